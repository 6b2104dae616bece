// Times since the start, written and spoken, and a link's `?t=`.
import { describe, expect, it } from 'vitest';
import { clockText, openingSecond, spokenTime } from './replayTime';

describe('replay times', () => {
  it('writes and speaks times since the start', () => {
    expect(clockText(754_000)).toBe('12:34');
    expect(clockText(3_725_000)).toBe('1:02:05');
    expect(spokenTime(0)).toBe('0 seconds');
    expect(spokenTime(61_000)).toBe('1 minute 1 second');
    expect(spokenTime(3_725_000)).toBe('1 hour 2 minutes 5 seconds');
  });

  it('reads where a link opens the replay', () => {
    expect(openingSecond('754')).toBe(754);
    expect(openingSecond('12:34')).toBe(754);
    expect(openingSecond('1:02:05')).toBe(3725);
    expect(openingSecond(null)).toBeNull();
    expect(openingSecond('soon')).toBeNull();
    expect(openingSecond('-5')).toBeNull();
  });
});
