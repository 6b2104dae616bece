import { describe, expect, it } from 'vitest';
import { caseOutcome, formatKb, formatMs, isFinishedStatus, signalLabel, statusInfo } from './status';
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

describe('caseOutcome', () => {
  it('calls a finished case with the wrong output a wrong answer', () => {
    expect(caseOutcome('finished', true).label).toBe('Passed');
    expect(caseOutcome('finished', false).label).toBe('Wrong answer');
    expect(caseOutcome('time_limit', false).label).toBe('Time limit exceeded');
  });
});

describe('formatters', () => {
  it('formats time, memory and signals', () => {
    expect(formatMs(12)).toBe('12 ms');
    expect(formatMs(2345)).toBe('2.35 s');
    expect(formatMs(null)).toBe('—');
    expect(formatKb(900)).toBe('900 KB');
    expect(formatKb(9320)).toBe('9.1 MB');
    expect(signalLabel(9)).toBe('SIGKILL (9)');
    expect(signalLabel(64)).toBe('signal 64');
  });
});
