// The table diff of a failed SQL case: shown above the outputs for a case the viewer may see;
// a hidden case (whose diff the server never sends to candidates) shows none.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { runStateOf } from './runReducer';
import { runView, testResult } from './testFixtures';
import { TestResults } from './TestResults';

const DIFF = "Expected 2 rows, got 2 rows.\nMissing rows (expected, not in the result):\n  'red', 2";

describe('TestResults with a SQL table diff', () => {
  it('shows what differs for a failed visible case', async () => {
    const view = runView({
      language: 'sql',
      mode: 'test',
      verdict: 'failed',
      tests: [
        testResult({ passed: false, reason: 'wrong_answer', diff: DIFF }),
        testResult({ index: 1, hidden: true, passed: false, reason: 'wrong_answer', input: null, actual_output: null }),
      ],
    });
    render(<TestResults run={runStateOf(view)} question={undefined} isInterviewer={false} />);
    await userEvent.click(screen.getByText('Test #1'));
    const diff = screen.getByTestId('table-diff');
    expect(diff.textContent).toContain('What differs');
    expect(diff.textContent).toContain("Missing rows (expected, not in the result):\n  'red', 2");
    expect(screen.getAllByTestId('table-diff')).toHaveLength(1);
  });

  it('shows no diff block for a case without one', async () => {
    const view = runView({
      mode: 'test',
      tests: [testResult({ passed: false, reason: 'wrong_answer', actual_output: 'x' })],
    });
    render(<TestResults run={runStateOf(view)} question={undefined} isInterviewer />);
    await userEvent.click(screen.getByText('Test #1'));
    expect(screen.queryByTestId('table-diff')).toBeNull();
  });
});
