// Unit tests for a run's headline: a test run's verdict, else its status, and their colours.
import { describe, expect, it } from 'vitest';
import { headlineOf, runHeadline } from './headline';
import { INITIAL_STATE, runReducer } from './runReducer';
import { ev, runSummary } from './testFixtures';
import { RUN_STATUSES } from './types';

describe('runHeadline', () => {
  it("makes a test run's verdict the headline, coloured by it", () => {
    expect(runHeadline('finished', 'passed', { passed: 3, total: 3 })).toEqual({
      label: 'All tests passed · 3/3',
      tone: 'success',
    });
    expect(runHeadline('finished', 'failed', { passed: 2, total: 3 })).toEqual({
      label: 'Some tests failed · 2/3',
      tone: 'warning',
    });
    expect(runHeadline('finished', 'failed', { passed: 0, total: 3 })).toEqual({
      label: 'No tests passed · 0/3',
      tone: 'danger',
    });
    // The room event says only the verdict: no count yet.
    expect(runHeadline('finished', 'failed', null)).toEqual({ label: 'Tests failed', tone: 'danger' });
    expect(runHeadline('finished', 'passed', null)).toEqual({ label: 'All tests passed', tone: 'success' });
  });

  it('never shows a failed test run in green, whatever its process status', () => {
    for (const status of RUN_STATUSES) {
      for (const counts of [null, { passed: 0, total: 3 }, { passed: 1, total: 3 }]) {
        expect(runHeadline(status, 'failed', counts).tone).not.toBe('success');
      }
    }
    // A case over its time limit is still a verdict: the tests failed.
    expect(runHeadline('time_limit', 'failed', { passed: 1, total: 4 }).label).toBe('Some tests failed · 1/4');
  });

  it('judges by the tally when the verdict is not known', () => {
    expect(runHeadline('finished', null, { passed: 2, total: 2 }).tone).toBe('success');
    expect(runHeadline('finished', null, { passed: 0, total: 2 }).label).toBe('No tests passed · 0/2');
  });

  it('keeps the status when nothing was judged', () => {
    expect(runHeadline('compile_error', 'failed', null)).toEqual({ label: 'Compile error', tone: 'danger' });
    expect(runHeadline('compile_error', 'failed', { passed: 0, total: 0 }).label).toBe('Compile error');
    expect(runHeadline('cancelled', 'failed', { passed: 1, total: 3 })).toEqual({
      label: 'Cancelled',
      tone: 'neutral',
    });
    expect(runHeadline('internal_error', null, null).label).toBe('Internal error');
  });

  it('gives plain runs their status', () => {
    expect(runHeadline('queued', null, null)).toEqual({ label: 'Queued…', tone: 'neutral' });
    expect(runHeadline('running', null, null)).toEqual({ label: 'Running…', tone: 'info' });
    expect(runHeadline('finished', null, null)).toEqual({ label: 'Finished', tone: 'success' });
    expect(runHeadline('runtime_error', null, null)).toEqual({ label: 'Runtime error', tone: 'danger' });
    expect(runHeadline('time_limit', null, null).label).toBe('Time limit exceeded');
  });
});

describe('headlineOf', () => {
  it('reads the verdict from the room event, counting the cases seen live', () => {
    let s = runReducer(INITIAL_STATE, {
      type: 'events',
      now: 0,
      events: [ev.queued('r', 'Ada', 'test'), ev.started('r'), ev.kase('r', 0, false), ev.kase('r', 1, true)],
    });
    expect(headlineOf(s.runs['r']!)).toEqual({ label: 'Running…', tone: 'info' });
    s = runReducer(s, { type: 'events', now: 0, events: [ev.finished('r', 'finished', 'failed')] });
    expect(headlineOf(s.runs['r']!)).toEqual({ label: 'Some tests failed · 1/2', tone: 'warning' });
  });

  it("reads a history summary's tally, and ignores a plain run's verdict", () => {
    const s = runReducer(INITIAL_STATE, {
      type: 'history',
      next: null,
      runs: [
        runSummary({ id: 't', mode: 'test', verdict: 'failed', tests_passed: 0, tests_total: 3 }),
        runSummary({ id: 'p', mode: 'run' }),
      ],
    });
    expect(headlineOf(s.runs['t']!)).toEqual({ label: 'No tests passed · 0/3', tone: 'danger' });
    expect(headlineOf(s.runs['p']!)).toEqual({ label: 'Finished', tone: 'success' });
  });
});
