// Unit tests for the editor's remembered copies: equal text (line endings aside) is recognised,
// other text is not, and only the latest copies are kept.
import { describe, expect, it } from 'vitest';
import { CopyMemory, fingerprint } from './copyMemory';

describe('CopyMemory', () => {
  it('recognises text copied before and nothing else', () => {
    const memory = new CopyMemory();
    memory.remember('def solve(xs):\n    return sorted(xs)\n');
    expect(memory.has('def solve(xs):\n    return sorted(xs)\n')).toBe(true);
    expect(memory.has('def solve(xs):\n    return sorted(xs)')).toBe(false);
    expect(memory.has('something from a website')).toBe(false);
  });

  it('treats CRLF and LF as the same text', () => {
    const memory = new CopyMemory();
    memory.remember('a\nb\n');
    expect(memory.has('a\r\nb\r\n')).toBe(true);
    expect(fingerprint('a\r\nb')).toBe(fingerprint('a\nb'));
  });

  it('forgets the oldest copies beyond its capacity, and a copy made again counts as new', () => {
    const memory = new CopyMemory(3);
    for (const text of ['one', 'two', 'three']) memory.remember(text);
    memory.remember('one');
    memory.remember('four');
    expect(memory.size).toBe(3);
    expect(memory.has('two')).toBe(false);
    expect(memory.has('one')).toBe(true);
    expect(memory.has('three')).toBe(true);
    expect(memory.has('four')).toBe(true);
  });

  it('ignores empty copies', () => {
    const memory = new CopyMemory();
    memory.remember('');
    expect(memory.size).toBe(0);
  });
});
