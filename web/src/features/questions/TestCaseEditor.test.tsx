// Component tests for the test-case editor: add (focus moves to the new row), edit, hide, remove;
// errors under their cells.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { emptyTestCase, type TestCaseRow } from './questionDraft';
import { TestCaseEditor } from './TestCaseEditor';

let latest: TestCaseRow[] = [];
function Harness({
  fieldErrors,
  initial,
  sql = false,
}: {
  fieldErrors?: Record<string, string>;
  initial?: TestCaseRow[];
  sql?: boolean;
}) {
  const [rows, setRows] = useState<TestCaseRow[]>(initial ?? [emptyTestCase()]);
  const onChange = (next: TestCaseRow[]) => {
    latest = next;
    setRows(next);
  };
  return <TestCaseEditor rows={rows} onChange={onChange} sql={sql} {...(fieldErrors ? { fieldErrors } : {})} />;
}

describe('TestCaseEditor', () => {
  it('for SQL, names the seed data and the expected table and lets a case accept rows in any order', async () => {
    render(<Harness sql />);
    await userEvent.type(screen.getByLabelText('Seed data (SQL) for test 1'), 'INSERT');
    await userEvent.type(screen.getByLabelText('Expected table for test 1'), "'x'");
    const inOrder = screen.getByLabelText<HTMLInputElement>('Rows in order');
    expect(inOrder.checked).toBe(true);
    await userEvent.click(inOrder);
    expect(latest[0]).toMatchObject({ input: 'INSERT', expected_output: "'x'", ordered: false });
  });

  it('has no order flag for other languages', () => {
    render(<Harness />);
    expect(screen.queryByLabelText('Rows in order')).toBeNull();
  });

  it('adds, edits, hides and removes rows', async () => {
    render(<Harness />);
    await userEvent.type(screen.getByLabelText('Input for test 1'), '1 2');
    await userEvent.type(screen.getByLabelText('Expected output for test 1'), '3');
    await userEvent.click(screen.getByRole('button', { name: '+ Add test case' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Input for test 2'));
    await userEvent.click(screen.getAllByLabelText('Hidden')[1]!);
    expect(latest.map(({ input, expected_output, hidden }) => ({ input, expected_output, hidden }))).toEqual([
      { input: '1 2', expected_output: '3', hidden: false },
      { input: '', expected_output: '', hidden: true },
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove test 1' }));
    expect(latest).toHaveLength(1);
    expect(latest[0]?.hidden).toBe(true);
  });

  it('shows server errors next to the right cell (every row is sent, so row i is test_cases[i])', () => {
    const rows = [
      { key: 'first', input: '1', expected_output: '1', hidden: false, ordered: true },
      { key: 'second', input: '1', expected_output: 'x'.repeat(10), hidden: false, ordered: true },
    ];
    render(<Harness initial={rows} fieldErrors={{ 'test_cases[1].expected_output': 'too long' }} />);
    const cell = screen.getByLabelText('Expected output for test 2');
    expect(cell.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(cell.getAttribute('aria-describedby') ?? '')?.textContent).toBe('too long');
    expect(screen.getByLabelText('Expected output for test 1').getAttribute('aria-invalid')).toBeNull();
  });
});
