// Unit tests for the signals in words: the count, each kind of entry, durations and times.
import { describe, expect, it } from 'vitest';
import { describeSignalEntry, formatAwayDuration, signalCountText, signalTime } from './signalWords';

describe('signalCountText', () => {
  it('counts in words', () => {
    expect(signalCountText(0)).toBe('No signals');
    expect(signalCountText(1)).toBe('1 signal');
    expect(signalCountText(2)).toBe('2 signals');
    expect(signalCountText(1200)).toBe('1,200 signals');
  });
});

describe('formatAwayDuration', () => {
  it.each([
    [400, 'under a second'],
    [45_000, '45 s'],
    [72_000, '1 min 12 s'],
    [120_000, '2 min'],
    [3_900_000, '1 h 5 min'],
    [7_200_000, '2 h'],
  ])('%i ms is %s', (ms, words) => {
    expect(formatAwayDuration(ms)).toBe(words);
  });
});

describe('describeSignalEntry', () => {
  const at = 0;
  it('says what happened, plainly', () => {
    expect(describeSignalEntry({ type: 'paste', atMs: at, length: 412, external: true }, true)).toBe(
      'Pasted 412 characters from outside the editor',
    );
    expect(describeSignalEntry({ type: 'paste', atMs: at, length: 1, external: false }, true)).toBe(
      'Pasted 1 character copied in the editor',
    );
    expect(describeSignalEntry({ type: 'paste', atMs: at, length: 12_000, external: null }, true)).toBe(
      'Pasted 12,000 characters',
    );
    expect(describeSignalEntry({ type: 'copy', atMs: at, length: 900, share: 0.824 }, true)).toBe(
      'Copied 82 % of the code (900 characters)',
    );
    expect(describeSignalEntry({ type: 'large_insert', atMs: at, length: 350 }, true)).toBe(
      'Large insert of 350 characters without a paste',
    );
    expect(describeSignalEntry({ type: 'away', where: 'tab', atMs: at, durationMs: 72_000, back: true }, true)).toBe(
      'Left the tab for 1 min 12 s',
    );
    expect(describeSignalEntry({ type: 'away', where: 'window', atMs: at, durationMs: 40_000, back: true }, true)).toBe(
      'Left the browser window for 40 s',
    );
    expect(describeSignalEntry({ type: 'away', where: 'tab', atMs: at, durationMs: null, back: false }, true)).toBe(
      'Left the tab — not back yet',
    );
    expect(describeSignalEntry({ type: 'away', where: 'tab', atMs: at, durationMs: null, back: false }, false)).toBe(
      'Left the tab — no return noted',
    );
  });
});

describe('signalTime', () => {
  it('is the time into the interview when its start is known, else the clock time', () => {
    const started = '2026-12-06T08:00:00Z';
    const at = Date.parse('2026-12-06T08:12:34.900Z');
    expect(signalTime(at, started).label).toBe('12:34');
    expect(signalTime(Date.parse('2026-12-06T09:02:03Z'), started).label).toBe('1:02:03');
    const unknown = signalTime(at, null);
    expect(unknown.label).toBe(unknown.clock);
  });
});
