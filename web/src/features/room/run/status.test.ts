import { describe, expect, it } from 'vitest';
import { caseOutcome, formatKb, formatMs, isFinishedStatus, statusInfo, statusWords } from './status';
import { RUN_STATUSES } from './types';

describe('statusInfo', () => {
  it('has a human label for every status the API sends', () => {
    for (const status of RUN_STATUSES) expect(statusInfo(status).label).not.toContain('_');
    expect(statusInfo('finished')).toEqual({ label: 'Finished', tone: 'success' });
    expect(statusInfo('cancelled')).toEqual({ label: 'Cancelled', tone: 'neutral' });
    expect(statusInfo('time_limit').label).toBe('Time limit exceeded');
    expect(statusInfo('compile_error').tone).toBe('danger');
  });

  it('shows an unknown status as words', () => {
    expect(statusInfo('something_new')).toEqual({ label: 'Something new', tone: 'neutral' });
  });
});

describe('isFinishedStatus', () => {
  it('treats everything but queued and running as over', () => {
    expect(isFinishedStatus('queued')).toBe(false);
    expect(isFinishedStatus('running')).toBe(false);
    expect(isFinishedStatus('cancelled')).toBe(true);
    expect(isFinishedStatus('runtime_error')).toBe(true);
  });
});

describe('statusWords', () => {
  it('says how a run ended in words for every status, never as a bare signal', () => {
    const facts = { exit_code: null, signal: 9, time_ms: 2000, memory_kb: 262144 };
    const words = Object.fromEntries(RUN_STATUSES.map((status) => [status, statusWords(status, facts)]));
    expect(words).toEqual({
      queued: 'Queued',
      running: 'Running',
      finished: 'Finished',
      compile_error: 'Compile error',
      time_limit: 'Time limit exceeded (used 2.00 s)',
      memory_limit: 'Memory limit exceeded (used 256.0 MB)',
      output_limit: 'Output limit exceeded (the program printed too much)',
      runtime_error: 'Runtime error (killed by SIGKILL)',
      internal_error: 'Internal error (the runner failed, not the program; try again)',
      cancelled: 'Cancelled',
    });
  });

  it('adds the exit code or the signal of a program that failed', () => {
    expect(statusWords('finished', { exit_code: 0 })).toBe('Process exited with code 0');
    expect(statusWords('runtime_error', { exit_code: 2 })).toBe('Runtime error (exit code 2)');
    expect(statusWords('runtime_error', { signal: 8 })).toBe('Runtime error (arithmetic error, SIGFPE)');
    expect(statusWords('runtime_error', { signal: 64 })).toBe('Runtime error (killed by signal 64)');
    expect(statusWords('runtime_error')).toBe('Runtime error');
    expect(statusWords('time_limit')).toBe('Time limit exceeded');
  });
});

describe('limit words', () => {
  it('names the limit that ended a run, told apart from what it used', () => {
    const used = { exit_code: null, signal: 9, time_ms: 12, memory_kb: 900 };
    expect(statusWords('time_limit', { ...used, limit: { kind: 'cpu_time', value: 2000 } })).toBe(
      'Time limit exceeded (2 s CPU)',
    );
    // A program waiting for input is killed on the wall clock having used 12 ms of CPU.
    expect(statusWords('time_limit', { ...used, limit: { kind: 'wall_time', value: 5000 } })).toBe(
      'Time limit exceeded (5 s wall clock)',
    );
    expect(statusWords('time_limit', { limit: { kind: 'cpu_time', value: 2500 } })).toBe(
      'Time limit exceeded (2.5 s CPU)',
    );
    expect(statusWords('memory_limit', { ...used, limit: { kind: 'memory', value: 256 * 1024 * 1024 } })).toBe(
      'Memory limit exceeded (256 MB)',
    );
    expect(statusWords('output_limit', { limit: { kind: 'output', value: 1024 * 1024 } })).toBe(
      'Output limit exceeded (1 MB per stream)',
    );
    expect(statusWords('output_limit', { limit: { kind: 'file_size', value: 16 * 1024 * 1024 } })).toBe(
      'Output limit exceeded (16 MB per file)',
    );
    expect(caseOutcome('time_limit', false, { limit: { kind: 'wall_time', value: 800 } }).label).toBe(
      'Time limit exceeded (800 ms wall clock)',
    );
  });
});

describe('caseOutcome', () => {
  it('calls a finished case with the wrong output a wrong answer', () => {
    expect(caseOutcome('finished', true).label).toBe('Passed');
    expect(caseOutcome('finished', false).label).toBe('Wrong answer');
    expect(caseOutcome('time_limit', false).label).toBe('Time limit exceeded');
  });

  it('says why a case did not finish, with its exit code or signal', () => {
    expect(caseOutcome('runtime_error', false, { exit_code: 1 })).toEqual({
      label: 'Runtime error (exit code 1)',
      tone: 'danger',
    });
    expect(caseOutcome('runtime_error', false, { signal: 11 }).label).toBe(
      'Runtime error (segmentation fault, SIGSEGV)',
    );
    expect(caseOutcome('memory_limit', false).label).toBe('Memory limit exceeded');
  });
});

describe('formatters', () => {
  it('formats time and memory', () => {
    expect(formatMs(12)).toBe('12 ms');
    expect(formatMs(2345)).toBe('2.35 s');
    expect(formatMs(null)).toBe('—');
    expect(formatKb(900)).toBe('900 KB');
    expect(formatKb(9320)).toBe('9.1 MB');
  });
});
