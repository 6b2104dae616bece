// The panel's state machine: folds room events, HTTP results and the interview's history (pages
// of summaries) into one record per run (status, live output, per-case outcomes, the summary,
// and the full stored result once fetched). Pure: no I/O, no clock of its own (times come in
// with the actions), so it is unit-tested directly.
import { EMPTY_OUTPUT, appendOutput, type OutputBuffer } from './output';
import { isFinishedStatus } from './status';
import type { RoomEvent, RunSummary, RunView } from './types';

export interface LiveCase {
  status: string;
  passed: boolean | null;
  reason?: string | null;
  time_ms: number | null;
  memory_kb: number | null;
}

/** Where fetching a run's full result (`GET /api/runs/{id}`) stands. */
export type DetailState = 'idle' | 'loading' | 'error';

export interface RunState {
  id: string;
  status: string;
  language: string | null;
  mode: string | null;
  requestedBy: string | null;
  /** The requester's participant id, when known (from the event or the stored run). */
  participantId: string | null;
  verdict: string | null;
  /** Server time the run was queued (from the API), when known. */
  createdAt: string | null;
  /** Client clock (ms) when the run was seen queued / started here; null if not seen. */
  queuedAt: number | null;
  startedAt: number | null;
  /** Output streamed over the socket, capped. */
  live: OutputBuffer;
  /** The test case the last output chunk belonged to (to print a separator on change). */
  lastCase: number | null;
  /**
   * True while every output event of the run has been seen here (we saw it queued or started
   * on a connected socket). When false, the stored result replaces the live output.
   */
  liveComplete: boolean;
  /** `run_case` outcomes by case index, before the stored result arrives. */
  cases: Record<number, LiveCase>;
  /** Started from this panel; see `isMine` for runs started before a reload. */
  mine: boolean;
  /** The history's summary of the run, when listed. */
  summary: RunSummary | null;
  /** `GET /api/runs/{id}`, once finished and fetched (when the run is shown). */
  result: RunView | null;
  detail: DetailState;
}

export interface PanelState {
  runs: Record<string, RunState>;
  /** Run ids, newest first. */
  order: string[];
  /**
   * An older run the person chose in the history, shown in the console until a new run is
   * queued; null follows the newest run (also one that turns up only when catching up).
   */
  selectedId: string | null;
  /** From the socket's hello: our role in the room. */
  role: string | null;
  /** From the socket's hello: our participant id. */
  me: string | null;
  /** The last run of the history loaded so far when older runs remain, else null. */
  olderCursor: string | null;
  /** Whether pages beyond the first were loaded (a refresh of the first keeps the cursor). */
  olderLoaded: boolean;
}

export type PanelAction =
  | { type: 'events'; events: RoomEvent[]; now: number }
  /** The newest page of the history. */
  | { type: 'history'; runs: RunSummary[]; next: string | null }
  /** An older page, after `olderCursor`. */
  | { type: 'older'; runs: RunSummary[]; next: string | null }
  | { type: 'result'; run: RunView }
  | { type: 'detail'; id: string; detail: DetailState }
  | { type: 'queued_here'; id: string; language: string; mode: string; now: number }
  | { type: 'select'; id: string | null }
  /** The socket dropped: output of unfinished runs may have gaps. */
  | { type: 'disconnected' };

export const INITIAL_STATE: PanelState = {
  runs: {},
  order: [],
  selectedId: null,
  role: null,
  me: null,
  olderCursor: null,
  olderLoaded: false,
};

function blankRun(id: string): RunState {
  return {
    id,
    status: 'queued',
    language: null,
    mode: null,
    requestedBy: null,
    participantId: null,
    verdict: null,
    createdAt: null,
    queuedAt: null,
    startedAt: null,
    live: EMPTY_OUTPUT,
    lastCase: null,
    liveComplete: false,
    cases: {},
    mine: false,
    summary: null,
    result: null,
    detail: 'idle',
  };
}

/** Statuses only move forward: a late `run_started` never undoes `finished`. */
function laterStatus(current: string, next: string): string {
  if (isFinishedStatus(current)) return current;
  if (current === 'running' && next === 'queued') return current;
  return next;
}

/** What a stored run (in full, or its history summary) says about a run. */
function fromStored(base: RunState, view: RunView | RunSummary): RunState {
  const finished = isFinishedStatus(view.status);
  return {
    ...base,
    // A stored finished status is the truth (e.g. cancelled after we saw it running).
    status: finished ? view.status : laterStatus(base.status, view.status),
    language: view.language,
    mode: view.mode,
    requestedBy: view.requested_by,
    participantId: view.participant_id,
    verdict: view.verdict ?? base.verdict,
    createdAt: view.created_at,
    // For a run first seen in the history while running, the server's start time drives the timer.
    startedAt: base.startedAt ?? (view.started_at ? Date.parse(view.started_at) : null),
  };
}

function fromView(existing: RunState | undefined, view: RunView): RunState {
  const finished = isFinishedStatus(view.status);
  const base = fromStored(existing ?? blankRun(view.id), view);
  return { ...base, result: finished ? view : base.result, detail: finished ? 'idle' : base.detail };
}

/** A stored run on its own, as the panel would hold it (the review page shows runs this way). */
export function runStateOf(view: RunView): RunState {
  return fromView(undefined, view);
}

function fromSummary(existing: RunState | undefined, summary: RunSummary): RunState {
  return { ...fromStored(existing ?? blankRun(summary.id), summary), summary };
}

function withRun(state: PanelState, run: RunState): PanelState {
  const order = state.order.includes(run.id) ? state.order : [run.id, ...state.order];
  return { ...state, runs: { ...state.runs, [run.id]: run }, order };
}

function applyEvent(state: PanelState, event: RoomEvent, now: number): PanelState {
  switch (event.type) {
    case 'hello':
      return { ...state, role: event.role, me: event.participant_id };
    case 'run_queued': {
      const existing = state.runs[event.run_id];
      const run: RunState = {
        ...(existing ?? blankRun(event.run_id)),
        language: event.language,
        mode: event.mode,
        requestedBy: event.requested_by,
        participantId: event.participant_id,
        queuedAt: existing?.queuedAt ?? now,
      };
      if (!existing) run.liveComplete = true;
      // A new run takes the console, whoever started it: the room watches it together.
      return { ...withRun(state, run), selectedId: null };
    }
    case 'run_started': {
      const existing = state.runs[event.run_id];
      const run: RunState = {
        ...(existing ?? blankRun(event.run_id)),
        status: laterStatus(existing?.status ?? 'queued', 'running'),
        startedAt: existing?.startedAt ?? now,
      };
      if (!existing) run.liveComplete = true;
      return withRun(state, run);
    }
    case 'run_output': {
      const existing = state.runs[event.run_id] ?? { ...blankRun(event.run_id), status: 'running' };
      const stream =
        event.case === null
          ? 'compile'
          : event.stream === 'stderr'
            ? 'stderr'
            : event.stream === 'compile'
              ? 'compile'
              : 'stdout';
      let live = existing.live;
      let lastCase = existing.lastCase;
      if (existing.mode === 'test' && event.case !== null && event.case !== lastCase) {
        const sep = `${live.size > 0 && !endsWithNewline(live) ? '\n' : ''}── Test #${event.case + 1} ──\n`;
        live = appendOutput(live, 'meta', sep);
        lastCase = event.case;
      }
      live = appendOutput(live, stream, event.text);
      return withRun(state, { ...existing, live, lastCase });
    }
    case 'run_case': {
      const existing = state.runs[event.run_id] ?? { ...blankRun(event.run_id), status: 'running', mode: 'test' };
      const cases = {
        ...existing.cases,
        [event.case]: {
          status: event.status,
          passed: event.passed,
          reason: event.reason ?? null,
          time_ms: event.time_ms,
          memory_kb: event.memory_kb,
        },
      };
      return withRun(state, { ...existing, cases });
    }
    case 'run_finished': {
      const existing = state.runs[event.run_id] ?? blankRun(event.run_id);
      return withRun(state, { ...existing, status: event.status, verdict: event.verdict ?? existing.verdict });
    }
    case 'status':
    case 'controls':
    case 'resync':
    case 'presence':
    case 'call_state':
    case 'call_welcome':
    case 'call_signal':
    case 'call_error':
    case 'call_left':
    case 'signal':
    case 'terminal_started':
    case 'terminal_output':
    case 'terminal_input':
    case 'terminal_ended':
    case 'terminal_state':
    case 'terminal_error':
      return state;
  }
}

function endsWithNewline(buffer: OutputBuffer): boolean {
  const last = buffer.chunks[buffer.chunks.length - 1];
  return !last || last.text.endsWith('\n');
}

export function runReducer(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'events': {
      let next = state;
      for (const event of action.events) {
        if (event.type === 'resync') next = markIncomplete(next);
        else next = applyEvent(next, event, action.now);
      }
      return next;
    }
    case 'history': {
      const runs = { ...state.runs };
      for (const summary of action.runs) runs[summary.id] = fromSummary(runs[summary.id], summary);
      const fromServer = action.runs.map((r) => r.id);
      const known = new Set(fromServer);
      // Runs not in the page: those before its first known run are newer (seen on the socket
      // only), those after it are older (loaded from later pages).
      const firstKnown = state.order.findIndex((id) => known.has(id));
      const newer = (firstKnown < 0 ? state.order : state.order.slice(0, firstKnown)).filter((id) => !known.has(id));
      const older = firstKnown < 0 ? [] : state.order.slice(firstKnown).filter((id) => !known.has(id));
      const olderCursor = state.olderLoaded
        ? state.olderCursor
        : action.next
          ? (fromServer[fromServer.length - 1] ?? null)
          : null;
      return { ...state, runs, order: [...newer, ...fromServer, ...older], olderCursor };
    }
    case 'older': {
      const runs = { ...state.runs };
      for (const summary of action.runs) runs[summary.id] = fromSummary(runs[summary.id], summary);
      const added = action.runs.map((r) => r.id).filter((id) => !state.order.includes(id));
      const olderCursor = action.next ? (action.runs[action.runs.length - 1]?.id ?? null) : null;
      return { ...state, runs, order: [...state.order, ...added], olderCursor, olderLoaded: true };
    }
    case 'detail': {
      const existing = state.runs[action.id];
      return existing
        ? { ...state, runs: { ...state.runs, [action.id]: { ...existing, detail: action.detail } } }
        : state;
    }
    case 'result':
      return withRun(state, fromView(state.runs[action.run.id], action.run));
    case 'queued_here': {
      const existing = state.runs[action.id];
      const run: RunState = {
        ...(existing ?? { ...blankRun(action.id), liveComplete: true }),
        language: existing?.language ?? action.language,
        mode: existing?.mode ?? action.mode,
        queuedAt: existing?.queuedAt ?? action.now,
        mine: true,
      };
      return { ...withRun(state, run), selectedId: null };
    }
    case 'select':
      // Choosing the newest run is following it: a newer one will take its place.
      return { ...state, selectedId: action.id === state.order[0] ? null : action.id };
    case 'disconnected':
      return markIncomplete(state);
  }
}

/** Unfinished runs may miss output from now on: their stored result will be shown instead. */
function markIncomplete(state: PanelState): PanelState {
  let changed = false;
  const runs = { ...state.runs };
  for (const run of Object.values(state.runs)) {
    if (run.liveComplete && !isFinishedStatus(run.status)) {
      runs[run.id] = { ...run, liveComplete: false };
      changed = true;
    }
  }
  return changed ? { ...state, runs } : state;
}

/** Whether we asked for `run` (a candidate may cancel only their own runs), also after a reload. */
export function isMine(state: PanelState, run: RunState): boolean {
  return run.mine || (state.me !== null && run.participantId === state.me);
}

/** Test cases passed out of those run. */
export interface Tally {
  passed: number;
  total: number;
}

/** "4/8". */
export const formatTally = (t: Tally): string => `${t.passed}/${t.total}`;

/**
 * How many cases of a test run passed, once it is over: from its stored result, its history
 * summary, or (for a run seen whole here) its `run_case` events; else null.
 */
export function tally(run: RunState): Tally | null {
  const tests = run.result?.tests ?? [];
  if (tests.length > 0) return { passed: tests.filter((t) => t.passed === true).length, total: tests.length };
  const summary = run.summary;
  if (summary?.tests_total) return { passed: summary.tests_passed ?? 0, total: summary.tests_total };
  const cases = Object.values(run.cases);
  if (run.liveComplete && isFinishedStatus(run.status) && cases.length > 0)
    return { passed: cases.filter((c) => c.passed === true).length, total: cases.length };
  return null;
}

/** The run the console shows: the one chosen in the history, else the newest. */
export function selectedRun(state: PanelState): RunState | null {
  const id = state.selectedId ?? state.order[0];
  return (id && state.runs[id]) || null;
}

/** What the console should print for a run: live output while it is whole, else the stored result. */
export function outputFor(run: RunState): OutputBuffer {
  if (!run.result || (run.liveComplete && run.live.size + run.live.dropped > 0)) return run.live;
  if (run.liveComplete && storedOutputEmpty(run.result)) return run.live;
  return outputFromResult(run.result);
}

function storedOutputEmpty(view: RunView): boolean {
  return !view.compile_output && !view.stdout && !view.stderr && view.tests.every((t) => !t.actual_output && !t.stderr);
}

/** Rebuilds console output from a stored result (stdout and stderr are not interleaved there). */
export function outputFromResult(view: RunView): OutputBuffer {
  let out = EMPTY_OUTPUT;
  if (view.compile_output) out = appendOutput(out, 'compile', view.compile_output);
  if (view.mode === 'test') {
    for (const test of view.tests) {
      if (!test.actual_output && !test.stderr) continue;
      const sep = `${out.size > 0 && !endsWithNewline(out) ? '\n' : ''}── Test #${test.index + 1} ──\n`;
      out = appendOutput(out, 'meta', sep);
      if (test.actual_output) out = appendOutput(out, 'stdout', test.actual_output);
      if (test.stderr) out = appendOutput(out, 'stderr', test.stderr);
    }
    return out;
  }
  if (view.stdout) out = appendOutput(out, 'stdout', view.stdout);
  if (view.stderr) out = appendOutput(out, 'stderr', view.stderr);
  return out;
}
