// Everything the run panel knows about runs, as one hook: the state machine (runReducer) fed by
// the room event socket, the interview's history (pages of summaries, refreshed when a run
// finishes or the socket comes back), the long-poll for our own runs, a shown run's full result,
// the available languages, and starting and cancelling runs. No markup: RunPanel renders it.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { cancelRun, createRun, getRun, listLanguages, listRuns } from './api';
import { INITIAL_STATE, runReducer, selectedRun, type PanelState, type RunState } from './runReducer';
import { activeQuestionOf, disabledReason, testDisabledReason } from './runGates';
import { isFinishedStatus } from './status';
import type { InterviewControls } from '../../../api/types';
import type { LanguageInfo, QuestionView, RoomEvent, RunMode } from './types';
import { useRoomEvents, type SocketState } from './useRoomEvents';

export interface RunsOptions {
  interviewId: string;
  /** Current shared language id (python, javascript, …). */
  language: string;
  /** Host/interviewer, or the candidate while live; never observers. */
  canRun: boolean;
  /** Host or interviewer: may see hidden test details. */
  isInterviewer: boolean;
  /** The current shared editor text. */
  getCode: () => string;
  questions: QuestionView[];
  // `| undefined` so a caller can pass a possibly-missing id under exactOptionalPropertyTypes.
  activeQuestionId?: string | undefined;
  /** The interviewers paused running code for the candidate (an interview control). */
  runsDisabled?: boolean | undefined;
  /** The interview's controls changed (a `controls` event on the room socket this hook owns). */
  onControls?: ((controls: InterviewControls) => void) | undefined;
}

/** Where loading the next (older) page of the history stands. */
export type OlderPageState = 'idle' | 'loading' | 'error';

export interface Runs {
  state: PanelState;
  /** The run the panel shows (the newest, or the one picked from the history). */
  shown: RunState | null;
  socketState: SocketState;
  /** The current language as the server describes it (null until known, or if unknown). */
  languageInfo: LanguageInfo | null;
  /** The question a Test runs against. */
  activeQuestion: QuestionView | undefined;
  /** Why Run is disabled, or null. */
  runReason: string | null;
  /** Why Test is disabled, or null. */
  testReason: string | null;
  /** The mode being started (until the server has queued it). */
  submitting: RunMode | null;
  /** Why the last start failed (anything thrown), or null. */
  startError: unknown;
  dismissStartError: () => void;
  /** Starts a run or a test of the current code (ignored while disabled or starting). */
  start: (mode: RunMode, stdin: string) => Promise<void>;
  /** The run being cancelled. */
  cancelling: string | null;
  cancelError: string | null;
  cancel: (runId: string) => Promise<void>;
  select: (runId: string) => void;
  /** Fetches a finished run's full result (again, after an error). */
  fetchResult: (runId: string) => Promise<void>;
  olderPage: OlderPageState;
  loadOlder: () => Promise<void>;
}

/** Long-poll window for our own runs (the server caps it at 30 s). */
const WAIT_SECONDS = 25;
/** How many long-polls one run gets before the panel relies on the socket alone. */
const WAIT_ATTEMPTS = 40;
/** Pause before asking again after an error, or after a server that answered at once. */
const RETRY_MS = 1000;

/** How many times catching up asks for the history before waiting for the next event. */
const CATCH_UP_ATTEMPTS = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function useRuns(options: RunsOptions): Runs {
  const { interviewId, language, canRun, isInterviewer, getCode, questions } = options;
  const [state, dispatch] = useReducer(runReducer, INITIAL_STATE);
  const [submitting, setSubmitting] = useState<RunMode | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [languages, setLanguages] = useState<LanguageInfo[] | null>(null);
  const [olderPage, setOlderPage] = useState<OlderPageState>('idle');
  /** Aborted on unmount: every request the panel makes hangs off it. */
  const lifetime = useRef<AbortController | null>(null);
  /** Runs whose result we are already long-polling for (our own). */
  const waiting = useRef(new Set<string>());

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  /** The newest page of the history; null when it could not be loaded. */
  const refreshHistory = useCallback(async () => {
    try {
      const { runs, next } = await listRuns(interviewId, lifetime.current?.signal);
      dispatch({ type: 'history', runs, next });
      return runs;
    } catch {
      // History is a convenience; live events keep working without it.
      return null;
    }
  }, [interviewId]);

  const loadOlder = async () => {
    if (!state.olderCursor || olderPage === 'loading') return;
    setOlderPage('loading');
    try {
      const { runs, next } = await listRuns(interviewId, lifetime.current?.signal, state.olderCursor);
      dispatch({ type: 'older', runs, next });
      setOlderPage('idle');
    } catch {
      setOlderPage('error');
    }
  };

  /** A finished run's full result (code, output, test details), when it is shown. */
  const fetchResult = useCallback(async (runId: string) => {
    if (waiting.current.has(runId)) return;
    dispatch({ type: 'detail', id: runId, detail: 'loading' });
    try {
      const { run } = await getRun(runId, lifetime.current?.signal);
      dispatch({ type: 'result', run });
    } catch {
      if (!lifetime.current?.signal.aborted) dispatch({ type: 'detail', id: runId, detail: 'error' });
    }
  }, []);

  /** Our own runs: long-poll until finished, so the result arrives even without the socket. */
  const waitForRun = useCallback(async (runId: string) => {
    waiting.current.add(runId);
    try {
      for (let attempt = 0; attempt < WAIT_ATTEMPTS; attempt += 1) {
        const signal = lifetime.current?.signal;
        if (signal?.aborted) return;
        const asked = Date.now();
        try {
          const { run } = await getRun(runId, signal, WAIT_SECONDS);
          if (isFinishedStatus(run.status)) {
            dispatch({ type: 'result', run });
            return;
          }
          // A server that answers at once (no long-poll) is not asked again straight away.
          if (Date.now() - asked < RETRY_MS) await pause(RETRY_MS);
        } catch (err) {
          if (signal?.aborted || (err instanceof ApiError && err.status >= 400 && err.status < 500)) return;
          await pause(RETRY_MS);
        }
      }
    } finally {
      waiting.current.delete(runId);
    }
  }, []);

  /** One run as stored now (its status, and its result once finished); quiet on failure. */
  const refreshRun = useCallback(async (runId: string) => {
    if (waiting.current.has(runId)) return;
    try {
      const { run } = await getRun(runId, lifetime.current?.signal);
      dispatch({ type: 'result', run });
    } catch {
      // The shown run's result is fetched again (with an error and Retry) once it is finished.
    }
  }, []);

  /**
   * Events may have been missed (the socket was away, or the server says so with `resync`):
   * the history and the newest run are loaded again, so a run started meanwhile is shown.
   */
  const catchUp = useCallback(async () => {
    let runs = await refreshHistory();
    // Right after a reconnect the network may still be flaky: a few more tries.
    for (let attempt = 1; runs === null && attempt < CATCH_UP_ATTEMPTS; attempt += 1) {
      await pause(RETRY_MS);
      if (lifetime.current?.signal.aborted) return;
      runs = await refreshHistory();
    }
    const newest = runs?.[0];
    if (newest) await refreshRun(newest.id);
  }, [refreshHistory, refreshRun]);

  useEffect(() => {
    void refreshHistory();
  }, [refreshHistory]);

  /** Whether the room socket has said hello, or dropped, since the panel opened. */
  const socketSeen = useRef({ hello: false, dropped: false });

  useEffect(() => {
    const controller = new AbortController();
    listLanguages(controller.signal).then(setLanguages, () => setLanguages([]));
    return () => controller.abort();
  }, []);

  const socketState = useRoomEvents(interviewId, {
    onEvents: (events: RoomEvent[]) => {
      dispatch({ type: 'events', events, now: Date.now() });
      const controls = events.findLast((event) => event.type === 'controls');
      if (controls) options.onControls?.(controls.controls);
      // Every hello but the very first (the initial load covers that one) follows a drop.
      let rejoined = false;
      for (const event of events) {
        if (event.type !== 'hello') continue;
        rejoined ||= socketSeen.current.hello || socketSeen.current.dropped;
        socketSeen.current.hello = true;
      }
      if (rejoined || events.some((event) => event.type === 'resync')) void catchUp();
      else if (events.some((event) => event.type === 'run_finished')) void refreshHistory();
    },
    onDisconnect: () => {
      socketSeen.current.dropped = true;
      dispatch({ type: 'disconnected' });
    },
  });

  const languageInfo = languages?.find((l) => l.id === language) ?? null;
  const activeQuestion = activeQuestionOf(questions, options.activeQuestionId);
  const runReason = disabledReason(canRun, isInterviewer, state.role, languageInfo, options.runsDisabled ?? false);
  const testReason = testDisabledReason(runReason, activeQuestion, isInterviewer);

  const start = async (mode: RunMode, stdin: string) => {
    if (submitting) return;
    if ((mode === 'run' ? runReason : testReason) !== null) return;
    setStartError(null);
    setSubmitting(mode);
    try {
      const { run } = await createRun(interviewId, {
        language,
        code: getCode(),
        mode,
        ...(mode === 'run' && stdin ? { stdin } : {}),
        ...(mode === 'test' && activeQuestion ? { question_id: activeQuestion.id } : {}),
      });
      dispatch({ type: 'queued_here', id: run.id, language, mode, now: Date.now() });
      void waitForRun(run.id);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setStartError(err);
    } finally {
      setSubmitting(null);
    }
  };

  const cancel = async (runId: string) => {
    setCancelling(runId);
    setCancelError(null);
    try {
      const { run } = await cancelRun(runId);
      if (isFinishedStatus(run.status)) dispatch({ type: 'result', run });
    } catch (err) {
      // 409 run_finished: it ended on its own first; its result is fetched once shown.
      if (!(err instanceof ApiError && err.status === 409)) setCancelError(errorMessage(err));
    } finally {
      setCancelling(null);
    }
  };

  const shown = selectedRun(state);
  // The shown run's full result is fetched once it has finished (our own arrive by long-poll).
  const shownNeedsDetail =
    shown !== null && isFinishedStatus(shown.status) && shown.result === null && shown.detail === 'idle';
  useEffect(() => {
    if (shownNeedsDetail && shown) void fetchResult(shown.id);
  }, [shownNeedsDetail, shown, fetchResult]);

  return {
    state,
    shown,
    socketState,
    languageInfo,
    activeQuestion,
    runReason,
    testReason,
    submitting,
    startError,
    dismissStartError: () => setStartError(null),
    start,
    cancelling,
    cancelError,
    cancel,
    select: (runId) => dispatch({ type: 'select', id: runId }),
    fetchResult,
    olderPage,
    loadOlder,
  };
}
