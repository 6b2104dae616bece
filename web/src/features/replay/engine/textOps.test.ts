// Text steps: applying them, moving an index through them, and reading Yjs deltas.
import { describe, expect, it } from 'vitest';
import { applyOps, indexAfterLastChange, opsOfDelta, transformIndex } from './textOps';

describe('applyOps', () => {
  it('keeps, inserts and deletes', () => {
    expect(applyOps('hello world', [5, ',', 1, -5, 'there'])).toBe('hello, there');
    expect(applyOps('abc', ['X'])).toBe('Xabc');
    expect(applyOps('abc', [-1])).toBe('bc');
    expect(applyOps('', ['new'])).toBe('new');
    expect(applyOps('abc', [])).toBe('abc');
  });
});

describe('transformIndex', () => {
  it('moves past text inserted before it and stays before text inserted at it', () => {
    expect(transformIndex(5, [2, 'xy'])).toBe(7);
    expect(transformIndex(5, [5, 'xy'])).toBe(5);
    expect(transformIndex(5, [6, 'xy'])).toBe(5);
    expect(transformIndex(0, ['xy'])).toBe(0);
  });

  it('moves back over deleted text and to the deletion when inside it', () => {
    expect(transformIndex(5, [1, -2])).toBe(3);
    expect(transformIndex(5, [3, -4])).toBe(3);
    expect(transformIndex(5, [5, -4])).toBe(5);
    expect(transformIndex(5, [-2, 'abc'])).toBe(6);
  });
});

describe('indexAfterLastChange', () => {
  it('is just after the last insertion, or at the last deletion', () => {
    expect(indexAfterLastChange([3, 'ab'])).toBe(5);
    expect(indexAfterLastChange([3, -2])).toBe(3);
    expect(indexAfterLastChange(['a', 4, -1])).toBe(5);
    expect(indexAfterLastChange([])).toBeNull();
  });
});

describe('opsOfDelta', () => {
  it('reads inserts, retains and deletes and drops a trailing retain and embeds', () => {
    expect(opsOfDelta([{ retain: 2 }, { insert: 'x' }, { delete: 3 }, { retain: 9 }])).toEqual([2, 'x', -3]);
    expect(opsOfDelta([{ insert: { image: 'a.png' } }, { retain: 1, attributes: {} } as never])).toEqual([]);
  });
});
