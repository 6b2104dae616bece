import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, EMPTY_OUTPUT, appendOutput, sanitizeOutput, truncationNote } from './output';

describe('sanitizeOutput', () => {
  it('keeps newlines, tabs and ordinary text', () => {
    expect(sanitizeOutput('a\tb\nc é 🦀')).toBe('a\tb\nc é 🦀');
  });

  it('shows control characters as visible placeholders', () => {
    expect(sanitizeOutput('\u0000\u001b[31mred\u0007')).toBe('␀␛[31mred␇');
    expect(sanitizeOutput('x\u007fy')).toBe('x␡y');
    expect(sanitizeOutput('\u0085')).toBe('\ufffd');
  });

  it('turns CRLF into LF and shows a lone CR', () => {
    expect(sanitizeOutput('a\r\nb\rc')).toBe('a\nb␍c');
  });

  it('neutralises bidirectional overrides', () => {
    expect(sanitizeOutput('abc\u202edef')).toBe('abc\ufffddef');
  });

  it('leaves markup as text (rendering uses text nodes)', () => {
    expect(sanitizeOutput('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('appendOutput', () => {
  it('merges consecutive chunks of the same stream', () => {
    let out = appendOutput(EMPTY_OUTPUT, 'stdout', 'a');
    out = appendOutput(out, 'stdout', 'b');
    out = appendOutput(out, 'stderr', 'c');
    expect(out.chunks).toEqual([
      { stream: 'stdout', text: 'ab' },
      { stream: 'stderr', text: 'c' },
    ]);
    expect(out.size).toBe(3);
  });

  it('does not modify the buffer it was given', () => {
    const first = appendOutput(EMPTY_OUTPUT, 'stdout', 'a');
    appendOutput(first, 'stdout', 'b');
    expect(first.chunks).toEqual([{ stream: 'stdout', text: 'a' }]);
  });

  it('keeps only the last `cap` characters and counts what it dropped', () => {
    let out = EMPTY_OUTPUT;
    out = appendOutput(out, 'stdout', 'aaaa', 6);
    out = appendOutput(out, 'stderr', 'bbbb', 6);
    expect(out.chunks).toEqual([
      { stream: 'stdout', text: 'aa' },
      { stream: 'stderr', text: 'bbbb' },
    ]);
    expect(out.size).toBe(6);
    expect(out.dropped).toBe(2);
    out = appendOutput(out, 'stdout', 'cccccccc', 6);
    expect(out.chunks).toEqual([{ stream: 'stdout', text: 'cccccc' }]);
    expect(out.dropped).toBe(10);
  });

  it('stays bounded under a flood of small chunks', () => {
    let out = EMPTY_OUTPUT;
    for (let i = 0; i < 5000; i += 1) out = appendOutput(out, i % 2 ? 'stdout' : 'stderr', 'x'.repeat(100), 10_000);
    expect(out.size).toBe(10_000);
    expect(out.chunks.length).toBeLessThanOrEqual(101);
    expect(out.dropped).toBe(490_000);
  });

  it('splits a long stream into bounded chunks with stable keys', () => {
    let out = appendOutput(EMPTY_OUTPUT, 'stdout', 'a'.repeat(CHUNK_CHARS + 10), 3 * CHUNK_CHARS);
    expect(out.chunks.map((c) => c.text.length)).toEqual([CHUNK_CHARS, 10]);
    out = appendOutput(out, 'stdout', 'b'.repeat(CHUNK_CHARS), 3 * CHUNK_CHARS);
    expect(out.chunks.map((c) => c.text.length)).toEqual([CHUNK_CHARS, CHUNK_CHARS, 10]);
    out = appendOutput(out, 'stdout', 'c'.repeat(2 * CHUNK_CHARS), 3 * CHUNK_CHARS);
    expect(out.size).toBe(3 * CHUNK_CHARS);
    expect(out.first).toBe(1);
    expect(out.chunks.map((c) => c.text).join('')).toBe('b'.repeat(CHUNK_CHARS) + 'c'.repeat(2 * CHUNK_CHARS));
    expect(out.dropped).toBe(CHUNK_CHARS + 10);
  });

  it('keeps only the tail of one huge write, counting the rest as dropped', () => {
    let out = appendOutput(EMPTY_OUTPUT, 'stdout', 'old', 10);
    out = appendOutput(out, 'stderr', '0123456789ABCDEFGHIJ', 10);
    expect(out.chunks).toEqual([{ stream: 'stderr', text: 'ABCDEFGHIJ' }]);
    expect(out.size).toBe(10);
    expect(out.dropped).toBe(13);
  });

  it('ignores empty text', () => {
    expect(appendOutput(EMPTY_OUTPUT, 'stdout', '')).toBe(EMPTY_OUTPUT);
  });
});

describe('truncationNote', () => {
  it('says how much was hidden, in KB', () => {
    expect(truncationNote(EMPTY_OUTPUT)).toBeNull();
    expect(truncationNote({ chunks: [], first: 0, size: 0, dropped: 300 * 1024 })).toBe(
      'output truncated — 300 KB hidden',
    );
    expect(truncationNote({ chunks: [], first: 0, size: 0, dropped: 10 })).toBe('output truncated — 1 KB hidden');
  });
});
