import { describe, expect, it } from 'vitest';
import { differingLines } from './TestResults';

describe('differingLines', () => {
  it('marks the actual lines that differ, ignoring trailing whitespace and blank lines', () => {
    expect([...differingLines('1\n2\n3\n', '1\n2\n3\n')]).toEqual([]);
    expect([...differingLines('1\n2\n3', '1  \n2\n3\n\n')]).toEqual([]);
    expect([...differingLines('1\n2\n3\n', '1\n5\n3\n4\n')]).toEqual([1, 3]);
    expect([...differingLines('a\r\nb\r\n', 'a\nb\n')]).toEqual([]);
  });
});
