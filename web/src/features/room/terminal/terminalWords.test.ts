// Unit tests for the terminal panel's sentences.
import { describe, expect, it } from 'vitest';
import { INITIAL_TERMINAL, type TerminalState } from './terminalSession';
import { problemTitle, startDisabledReason, terminalStatus } from './terminalWords';

const session = { id: 's', language: 'python', mode: 'line' as const, startedBy: 'p', startedAt: 't' };

describe('terminalStatus', () => {
  it('says what the terminal is doing', () => {
    expect(terminalStatus(INITIAL_TERMINAL)).toBe('Not running');
    expect(terminalStatus({ ...INITIAL_TERMINAL, starting: true })).toBe('Starting…');
    const running: TerminalState = { ...INITIAL_TERMINAL, session };
    expect(terminalStatus(running)).toBe('Running · python · line mode');
    expect(terminalStatus({ ...running, unconfirmed: true })).toBe('Reconnecting…');
    expect(terminalStatus(running, (id) => (id === 'p' ? 'Casey' : null))).toBe(
      'Running · python · line mode · started by Casey',
    );
    expect(terminalStatus({ ...running, end: { reason: 'exited', exitCode: 0, message: 'Exited with code 0.' } })).toBe(
      'Ended: Exited with code 0.',
    );
  });
});

describe('problemTitle and startDisabledReason', () => {
  it('puts refusals in words', () => {
    expect(problemTitle({ code: 'busy', message: '' })).toMatch(/already running/);
    expect(problemTitle({ code: 'rate_limited', message: '' })).toMatch(/Too fast/);
  });

  it('says why someone may not start', () => {
    const base = { role: 'candidate', live: true, isInterviewer: false, runsDisabled: false };
    expect(startDisabledReason(base)).toBeNull();
    expect(startDisabledReason({ ...base, role: 'observer' })).toMatch(/Observers/);
    expect(startDisabledReason({ ...base, live: false })).toMatch(/live/);
    expect(startDisabledReason({ ...base, runsDisabled: true })).toMatch(/paused/);
    expect(startDisabledReason({ ...base, role: 'host', isInterviewer: true, runsDisabled: true })).toBeNull();
  });
});
