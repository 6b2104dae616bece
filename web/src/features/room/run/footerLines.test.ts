import { describe, expect, it } from 'vitest';
import { footerLines } from './footerLines';
import { INITIAL_STATE, runReducer } from './runReducer';
import { runView } from './testFixtures';
import type { RunView } from './types';

const finishedRun = (view: Partial<RunView>) =>
  runReducer(INITIAL_STATE, { type: 'result', run: runView({ id: 'r', ...view }) }).runs['r']!;

describe('footerLines', () => {
  it('gives the exit code of a run, or the signal that killed it', () => {
    expect(footerLines(finishedRun({ exit_code: 0 }))).toEqual(['Process exited with code 0']);
    expect(footerLines(finishedRun({ status: 'runtime_error', exit_code: null, signal: 11 }))).toEqual([
      'Killed by SIGSEGV (11)',
    ]);
  });

  it('adds the runner message unless the output already shows it', () => {
    const run = finishedRun({
      status: 'compile_error',
      exit_code: 1,
      message: 'File "main.py", line 4\n  x\nIndentationError: unexpected indent',
    });
    expect(footerLines(run, '  File "main.py", line 4\n    x\nIndentationError: unexpected indent\n')).toEqual([]);
    expect(footerLines(run, '')).toEqual(['File "main.py", line 4\n  x\nIndentationError: unexpected indent']);
    const limit = finishedRun({
      status: 'time_limit',
      exit_code: null,
      signal: 9,
      message: 'CPU time limit (2 s) exceeded',
    });
    expect(footerLines(limit, 'partial')).toEqual(['CPU time limit (2 s) exceeded', 'Killed by SIGKILL (9)']);
  });

  it('says who cancelled a run', () => {
    expect(footerLines(finishedRun({ status: 'cancelled', exit_code: null, message: 'Cancelled by Ada.' }))).toEqual([
      'Cancelled by Ada.',
    ]);
    expect(footerLines(finishedRun({ status: 'cancelled', exit_code: null }))).toEqual(['Run cancelled.']);
  });
});
