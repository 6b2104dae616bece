// The one edit between two texts.
import { describe, expect, it } from 'vitest';
import { smallestEdit } from './smallestEdit';

const apply = (before: string, [start, end, text]: [number, number, string]) =>
  before.slice(0, start) + text + before.slice(end);

describe('smallestEdit', () => {
  it('keeps the common start and end', () => {
    expect(smallestEdit('hello world', 'hello, world')).toEqual([5, 5, ',']);
    expect(smallestEdit('abc', 'abc')).toEqual([3, 3, '']);
    expect(smallestEdit('aaa', 'aa')).toEqual([2, 3, '']);
    expect(smallestEdit('', 'x')).toEqual([0, 0, 'x']);
  });

  it('never cuts an emoji in two, and always gives the new text', () => {
    const pairs: [string, string][] = [
      ['a😀b', 'a😃b'],
      ['😀', '😃'],
      ['x😀', 'x'],
      ['print(1)\n', 'print(12)\n'],
    ];
    for (const [before, after] of pairs) {
      const edit = smallestEdit(before, after);
      expect(apply(before, edit)).toBe(after);
      expect(edit[2]).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
    expect(smallestEdit('a😀b', 'a😃b')).toEqual([1, 3, '😃']);
  });
});
