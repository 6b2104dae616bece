// Caret CSS: colours, escaped names, nothing from a name can leave its CSS string.
import { describe, expect, it } from 'vitest';
import { caretCss } from './caretStyles';

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
