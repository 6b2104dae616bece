// Unit tests for the lines under a finished run's output.
import { describe, expect, it } from 'vitest';
import { footerLines, verdictSentence } from './footerLines';
import { INITIAL_STATE, runReducer } from './runReducer';
import { runView, testResult } from './testFixtures';
import type { RunView } from './types';

const finishedRun = (view: Partial<RunView>) =>
  runReducer(INITIAL_STATE, { type: 'result', run: runView({ id: 'r', ...view }) }).runs['r']!;

describe('footerLines', () => {
  it('gives the exit code of a run, or what the signal that killed it means', () => {
    expect(footerLines(finishedRun({ exit_code: 0 }))).toEqual(['Process exited with code 0']);
    expect(footerLines(finishedRun({ status: 'runtime_error', exit_code: 1 }))).toEqual([
      'Runtime error (exit code 1)',
    ]);
    expect(footerLines(finishedRun({ status: 'runtime_error', exit_code: null, signal: 11 }))).toEqual([
      'Runtime error (segmentation fault, SIGSEGV)',
    ]);
  });

  it('says which limit stopped a run, not the signal the runner sent for it', () => {
    expect(
      footerLines(finishedRun({ status: 'time_limit', exit_code: null, signal: 9, time_ms: 2003 }), 'partial'),
    ).toEqual(['Time limit exceeded (used 2.00 s)']);
    expect(footerLines(finishedRun({ status: 'memory_limit', exit_code: null, signal: 9, memory_kb: 262144 }))).toEqual(
      ['Memory limit exceeded (used 256.0 MB)'],
    );
    expect(footerLines(finishedRun({ status: 'output_limit', exit_code: null, signal: 9 }))).toEqual([
      'Output limit exceeded (the program printed too much)',
    ]);
  });

  it('adds the runner message unless the output already shows it', () => {
    const run = finishedRun({
      status: 'compile_error',
      exit_code: 1,
      message: 'File "main.py", line 4\n  x\nIndentationError: unexpected indent',
    });
    expect(footerLines(run, '  File "main.py", line 4\n    x\nIndentationError: unexpected indent\n')).toEqual([
      'Compile error',
    ]);
    expect(footerLines(run, '')).toEqual([
      'File "main.py", line 4\n  x\nIndentationError: unexpected indent',
      'Compile error',
    ]);
    const broken = finishedRun({ status: 'internal_error', exit_code: null, message: 'the sandbox failed to start' });
    expect(footerLines(broken)).toEqual([
      'the sandbox failed to start',
      'Internal error (the runner failed, not the program; try again)',
    ]);
  });

  it("gives a test run's verdict rather than its first case's exit code", () => {
    const tests = [testResult({ index: 0, passed: false }), testResult({ index: 1, passed: false })];
    expect(footerLines(finishedRun({ mode: 'test', verdict: 'failed', exit_code: 0, tests }))).toEqual([
      '0 of 2 tests passed',
    ]);
    const compileError = finishedRun({ mode: 'test', status: 'compile_error', verdict: 'failed', tests: [] });
    expect(footerLines(compileError)).toEqual(['Compile error']);
  });

  it('says who cancelled a run', () => {
    expect(footerLines(finishedRun({ status: 'cancelled', exit_code: null, message: 'Cancelled by Ada.' }))).toEqual([
      'Cancelled by Ada.',
    ]);
    expect(footerLines(finishedRun({ status: 'cancelled', exit_code: null }))).toEqual(['Run cancelled.']);
  });
});

describe('verdictSentence', () => {
  it('counts passed cases in words', () => {
    expect(verdictSentence({ passed: 3, total: 3 })).toBe('All 3 tests passed');
    expect(verdictSentence({ passed: 2, total: 3 })).toBe('2 of 3 tests passed');
    expect(verdictSentence({ passed: 0, total: 1 })).toBe('0 of 1 test passed');
    expect(verdictSentence({ passed: 1, total: 1 })).toBe('1 of 1 test passed');
  });
});
