import { describe, expect, it } from 'vitest';
import {
  INITIAL_STATE,
  isMine,
  outputFor,
  runReducer,
  selectedRun,
  type PanelAction,
  type PanelState,
} from './runReducer';
import { CANDIDATE_ID, HOST_ID, ev, runSummary, runView, testResult } from './testFixtures';
import type { RoomEvent } from './types';

const fold = (state: PanelState, ...events: RoomEvent[]) => runReducer(state, { type: 'events', events, now: 1000 });
const apply = (state: PanelState, ...actions: PanelAction[]) => actions.reduce(runReducer, state);

describe('runReducer', () => {
  it('follows a run from queued to finished, with interleaved output', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1', 'Ada'));
    expect(selectedRun(s)?.status).toBe('queued');
    expect(selectedRun(s)?.requestedBy).toBe('Ada');
    s = fold(s, ev.started('r1'), ev.out('r1', 'hello\n'), ev.out('r1', 'oops\n', 'stderr'), ev.out('r1', 'bye\n'));
    const run = selectedRun(s)!;
    expect(run.status).toBe('running');
    expect(run.startedAt).toBe(1000);
    expect(run.live.chunks).toEqual([
      { stream: 'stdout', text: 'hello\n' },
      { stream: 'stderr', text: 'oops\n' },
      { stream: 'stdout', text: 'bye\n' },
    ]);
    s = fold(s, ev.finished('r1', 'runtime_error'));
    expect(selectedRun(s)?.status).toBe('runtime_error');
  });

  it('puts new runs first and shows them, whoever started them', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'));
    s = runReducer(s, { type: 'select', id: 'r1' });
    s = fold(s, ev.queued('r2', 'Ada'));
    expect(s.order).toEqual(['r2', 'r1']);
    expect(selectedRun(s)?.id).toBe('r2');
    s = runReducer(s, { type: 'select', id: 'r1' });
    expect(selectedRun(s)?.id).toBe('r1');
  });

  it('follows the newest run, also one that only the history knows, unless an older one was chosen', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'));
    // Caught up after a drop: r2 was started meanwhile.
    s = runReducer(s, { type: 'history', runs: [runSummary({ id: 'r2' }), runSummary({ id: 'r1' })], next: null });
    expect(selectedRun(s)?.id).toBe('r2');
    s = runReducer(s, { type: 'select', id: 'r1' });
    s = runReducer(s, {
      type: 'history',
      runs: [runSummary({ id: 'r3' }), runSummary({ id: 'r2' }), runSummary({ id: 'r1' })],
      next: null,
    });
    expect(selectedRun(s)?.id).toBe('r1');
    // Choosing the newest is following it.
    s = runReducer(s, { type: 'select', id: 'r3' });
    s = runReducer(s, { type: 'history', runs: [runSummary({ id: 'r4' }), runSummary({ id: 'r3' })], next: null });
    expect(selectedRun(s)?.id).toBe('r4');
  });

  it('never moves a status backwards', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'), ev.finished('r1', 'cancelled'), ev.started('r1'));
    expect(s.runs['r1']?.status).toBe('cancelled');
    s = runReducer(s, { type: 'history', runs: [runSummary({ id: 'r1', status: 'running' })], next: null });
    expect(s.runs['r1']?.status).toBe('cancelled');
  });

  it('labels compiler output (no case) as compile output', () => {
    const s = fold(INITIAL_STATE, ev.queued('r1'), ev.out('r1', 'main.c:1: error', 'stderr', null));
    expect(s.runs['r1']?.live.chunks).toEqual([{ stream: 'compile', text: 'main.c:1: error' }]);
  });

  it('separates the output of test cases and records their outcomes', () => {
    const s = fold(
      INITIAL_STATE,
      ev.queued('r1', 'Ada', 'test'),
      ev.out('r1', 'a', 'stdout', 0),
      ev.kase('r1', 0, true),
      ev.out('r1', 'b\n', 'stdout', 1),
      ev.kase('r1', 1, false),
    );
    const run = s.runs['r1']!;
    expect(run.live.chunks.map((c) => c.text).join('')).toBe('── Test #1 ──\na\n── Test #2 ──\nb\n');
    expect(run.cases[1]).toEqual({
      status: 'finished',
      passed: false,
      reason: 'wrong_answer',
      time_ms: 10,
      memory_kb: 8000,
    });
  });

  it('keeps the live output of a run it saw whole, and takes the stored result otherwise', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'), ev.out('r1', 'live\n'), ev.finished('r1'));
    s = runReducer(s, { type: 'result', run: runView({ id: 'r1', stdout: 'live\n' }) });
    expect(outputFor(s.runs['r1']!).chunks).toEqual([{ stream: 'stdout', text: 'live\n' }]);

    // Joined mid-run: only the tail was seen.
    let t = fold(INITIAL_STATE, ev.out('r2', 'tail\n'), ev.finished('r2'));
    expect(outputFor(t.runs['r2']!).chunks[0]?.text).toBe('tail\n');
    t = runReducer(t, { type: 'result', run: runView({ id: 'r2', stdout: 'head\ntail\n', stderr: 'warn\n' }) });
    expect(outputFor(t.runs['r2']!).chunks).toEqual([
      { stream: 'stdout', text: 'head\ntail\n' },
      { stream: 'stderr', text: 'warn\n' },
    ]);
  });

  it('prefers the stored result after the socket dropped mid-run', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'), ev.out('r1', 'a\n'));
    s = runReducer(s, { type: 'disconnected' });
    s = fold(s, ev.finished('r1'));
    s = runReducer(s, { type: 'result', run: runView({ id: 'r1', stdout: 'a\nb\n' }) });
    expect(outputFor(s.runs['r1']!).chunks).toEqual([{ stream: 'stdout', text: 'a\nb\n' }]);
  });

  it('treats resync like a drop', () => {
    let s = fold(INITIAL_STATE, ev.queued('r1'));
    s = fold(s, { type: 'resync', v: 1 });
    expect(s.runs['r1']?.liveComplete).toBe(false);
  });

  it('merges the history with runs only the socket has seen', () => {
    let s = fold(INITIAL_STATE, ev.queued('new'));
    s = runReducer(s, {
      type: 'history',
      runs: [runSummary({ id: 'b', requested_by: 'Ada' }), runSummary({ id: 'a', status: 'compile_error' })],
      next: null,
    });
    expect(s.order).toEqual(['new', 'b', 'a']);
    expect(s.runs['b']?.requestedBy).toBe('Ada');
    expect(s.runs['a']?.status).toBe('compile_error');
    expect(s.runs['a']?.result).toBeNull();
    s = runReducer(s, { type: 'result', run: runView({ id: 'a', status: 'compile_error', compile_output: 'boom' }) });
    expect(outputFor(s.runs['a']!).chunks).toEqual([{ stream: 'compile', text: 'boom' }]);
  });

  it('pages the history: older pages append, a refresh of the first keeps them', () => {
    let s = runReducer(INITIAL_STATE, {
      type: 'history',
      runs: [runSummary({ id: 'c' }), runSummary({ id: 'b' })],
      next: 'more',
    });
    expect(s.olderCursor).toBe('b');
    s = runReducer(s, { type: 'older', runs: [runSummary({ id: 'a' })], next: null });
    expect(s.order).toEqual(['c', 'b', 'a']);
    expect(s.olderCursor).toBeNull();
    s = runReducer(s, { type: 'history', runs: [runSummary({ id: 'd' }), runSummary({ id: 'c' })], next: 'more' });
    expect(s.order).toEqual(['d', 'c', 'b', 'a']);
    expect(s.olderCursor).toBeNull();
  });

  it("tracks fetching a run's detail until its result arrives", () => {
    let s = runReducer(INITIAL_STATE, { type: 'history', runs: [runSummary({ id: 'r1' })], next: null });
    s = runReducer(s, { type: 'detail', id: 'r1', detail: 'loading' });
    expect(s.runs['r1']?.detail).toBe('loading');
    s = runReducer(s, { type: 'detail', id: 'r1', detail: 'error' });
    expect(s.runs['r1']?.detail).toBe('error');
    s = runReducer(s, { type: 'result', run: runView({ id: 'r1', stdout: 'out' }) });
    expect(s.runs['r1']).toMatchObject({ detail: 'idle', result: { stdout: 'out' } });
  });

  it('rebuilds a stored test run from its visible cases', () => {
    const view = runView({
      mode: 'test',
      tests: [
        testResult({
          index: 0,
          test_case_id: null,
          hidden: false,
          status: 'finished',
          passed: true,
          time_ms: 1,
          memory_kb: 1,
          input: '1',
          expected_output: '1',
          actual_output: '1\n',
          stderr: '',
        }),
        testResult({
          index: 1,
          test_case_id: null,
          hidden: true,
          status: 'finished',
          passed: false,
          time_ms: 1,
          memory_kb: 1,
          input: null,
          expected_output: null,
          actual_output: null,
          stderr: null,
        }),
      ],
    });
    const s = runReducer(INITIAL_STATE, { type: 'result', run: view });
    expect(
      outputFor(s.runs['run-1']!)
        .chunks.map((c) => c.text)
        .join(''),
    ).toBe('── Test #1 ──\n1\n');
  });

  it('records a run queued here and selects it', () => {
    const s = apply(INITIAL_STATE, { type: 'queued_here', id: 'mine', language: 'go', mode: 'run', now: 5 });
    expect(selectedRun(s)).toMatchObject({ id: 'mine', language: 'go', queuedAt: 5, liveComplete: true, mine: true });
  });

  it('remembers the role and participant from hello', () => {
    const s = fold(INITIAL_STATE, {
      type: 'hello',
      v: 1,
      interview_id: 'i',
      participant_id: 'p',
      role: 'observer',
      sandbox: null,
    });
    expect(s.role).toBe('observer');
    expect(s.me).toBe('p');
  });

  it('knows our own runs after a reload, from the stored requester', () => {
    let s = fold(INITIAL_STATE, ev.hello(CANDIDATE_ID));
    s = runReducer(s, {
      type: 'history',
      runs: [
        runSummary({ id: 'ours', status: 'running' }),
        runSummary({ id: 'theirs', status: 'running', participant_id: HOST_ID }),
      ],
      next: null,
    });
    s = fold(s, ev.queued('live', 'Ada', 'run', HOST_ID));
    expect(isMine(s, s.runs['ours']!)).toBe(true);
    expect(isMine(s, s.runs['theirs']!)).toBe(false);
    expect(isMine(s, s.runs['live']!)).toBe(false);
  });
});
