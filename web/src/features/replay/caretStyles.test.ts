// Caret CSS: colours, escaped names, nothing from a name can leave its CSS string.
import { describe, expect, it } from 'vitest';
import { caretCss } from './caretStyles';
import { clockText, spokenTime } from './replayTime';

describe('caretCss', () => {
  it('colours each slot and labels it with the escaped name', () => {
    const css = caretCss([
      { slot: 0, name: 'Ada', color: '#E11D48' },
      { slot: 1, name: 'x"}</style><script>', color: 'red' },
    ]);
    expect(css).toContain('.replay-caret-0{border-color:#e11d48;}');
    expect(css).toContain('.replay-caret-0::after{content:"Ada";background-color:#e11d48;}');
    expect(css).toContain('.replay-caret-1{border-color:#4f46e5;}');
    expect(css).not.toContain('</style>');
    expect(css).not.toMatch(/"}/);
  });
});

describe('replay times', () => {
  it('writes and speaks times since the start', () => {
    expect(clockText(754_000)).toBe('12:34');
    expect(clockText(3_725_000)).toBe('1:02:05');
    expect(spokenTime(0)).toBe('0 seconds');
    expect(spokenTime(61_000)).toBe('1 minute 1 second');
    expect(spokenTime(3_725_000)).toBe('1 hour 2 minutes 5 seconds');
  });
});
