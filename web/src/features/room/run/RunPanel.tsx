// The run panel of the interview room: Run / Test (Ctrl/Cmd+Enter runs, from anywhere on the
// page, the editor included), stdin, the live output console everyone in the room sees, test
// results, the running state with Cancel, and the run history (pages of summaries; a run's
// output is fetched when it is shown). RoomPage mounts it; everything about runs lives in
// this folder.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type JSX } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { onTabListKeyDown } from '../../../lib/tablistKeys';
import { cancelRun, createRun, getRun, listLanguages, listRuns } from './api';
import { OutputConsole } from './OutputConsole';
import { RunHistory } from './RunHistory';
import { EMPTY_OUTPUT } from './output';
import { INITIAL_STATE, isMine, outputFor, runReducer, selectedRun, tally, type RunState } from './runReducer';
import { formatKb, formatMs, isFinishedStatus, languageLabel, signalLabel, statusInfo } from './status';
import { TestResults } from './TestResults';
import type { LanguageInfo, QuestionView, RoomEvent, RunMode } from './types';
import { useRoomEvents } from './useRoomEvents';
import './run.css';

export type { QuestionView } from './types';

export interface RunPanelProps {
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
}

/** Long-poll window for our own runs (the server caps it at 30 s). */
const WAIT_SECONDS = 25;

export function RunPanel(props: RunPanelProps): JSX.Element {
  const { interviewId, language, canRun, isInterviewer, questions } = props;
  const [state, dispatch] = useReducer(runReducer, INITIAL_STATE);
  const [stdin, setStdin] = useState('');
  const [stdinOpen, setStdinOpen] = useState(false);
  const [submitting, setSubmitting] = useState<RunMode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [languages, setLanguages] = useState<LanguageInfo[] | null>(null);
  /** Aborted on unmount: every request the panel makes hangs off it. */
  const lifetime = useRef<AbortController | null>(null);
  /** Runs whose result we are already long-polling for (our own). */
  const waiting = useRef(new Set<string>());

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const refreshHistory = useCallback(async () => {
    try {
      const { runs, next } = await listRuns(interviewId, lifetime.current?.signal);
      dispatch({ type: 'history', runs, next });
    } catch {
      // History is a convenience; live events keep working without it.
    }
  }, [interviewId]);

  const [olderState, setOlderState] = useState<'idle' | 'loading' | 'error'>('idle');
  const loadOlder = async () => {
    if (!state.olderCursor || olderState === 'loading') return;
    setOlderState('loading');
    try {
      const { runs, next } = await listRuns(interviewId, lifetime.current?.signal, state.olderCursor);
      dispatch({ type: 'older', runs, next });
      setOlderState('idle');
    } catch {
      setOlderState('error');
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
      for (let attempt = 0; attempt < 40; attempt += 1) {
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
          if (Date.now() - asked < 1000) await new Promise((resolve) => setTimeout(resolve, 1000));
        } catch (err) {
          if (signal?.aborted || (err instanceof ApiError && err.status >= 400 && err.status < 500)) return;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    } finally {
      waiting.current.delete(runId);
    }
  }, []);

  useEffect(() => {
    void refreshHistory();
  }, [refreshHistory]);

  useEffect(() => {
    const controller = new AbortController();
    listLanguages(controller.signal).then(setLanguages, () => setLanguages([]));
    return () => controller.abort();
  }, []);

  const socketState = useRoomEvents(interviewId, {
    onEvents: (events: RoomEvent[]) => {
      dispatch({ type: 'events', events, now: Date.now() });
      let refresh = false;
      for (const event of events) {
        if (event.type === 'run_finished' || event.type === 'resync') refresh = true;
      }
      if (refresh) void refreshHistory();
    },
    onReconnect: () => void refreshHistory(),
    onDisconnect: () => dispatch({ type: 'disconnected' }),
  });

  const languageInfo = languages?.find((l) => l.id === language) ?? null;
  const activeQuestion = questions.find((q) => q.id === props.activeQuestionId) ?? questions[0];
  const testCount = activeQuestion
    ? activeQuestion.test_cases.length + (isInterviewer ? 0 : (activeQuestion.hidden_test_count ?? 0))
    : 0;

  const runReason = disabledReason(canRun, isInterviewer, state.role, languageInfo);
  const testReason =
    runReason ??
    (!activeQuestion
      ? 'This interview has no question to test against.'
      : testCount === 0
        ? 'This question has no test cases.'
        : null);

  const start = async (mode: RunMode) => {
    if (submitting) return;
    if ((mode === 'run' ? runReason : testReason) !== null) return;
    setError(null);
    setSubmitting(mode);
    try {
      const { run } = await createRun(interviewId, {
        language,
        code: props.getCode(),
        mode,
        ...(mode === 'run' && stdin ? { stdin } : {}),
        ...(mode === 'test' && activeQuestion ? { question_id: activeQuestion.id } : {}),
      });
      dispatch({ type: 'queued_here', id: run.id, language, mode, now: Date.now() });
      void waitForRun(run.id);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
    } finally {
      setSubmitting(null);
    }
  };

  // Ctrl/Cmd+Enter runs, Ctrl/Cmd+Shift+Enter tests. Capture phase on window, so the editor
  // (Monaco binds Ctrl+Enter itself) never sees the key first.
  const startRef = useRef(start);
  useLayoutEffect(() => {
    startRef.current = start;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.repeat) return;
      event.preventDefault();
      event.stopPropagation();
      void startRef.current(event.shiftKey ? 'test' : 'run');
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);

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
  const [tab, setTab] = useState<RunTab>('output');
  // A newly shown run (a new run in the room, or one picked from the history) opens on its
  // natural view: the test results for a test run, the output otherwise.
  const shownId = shown?.id ?? null;
  const shownMode = shown?.mode ?? null;
  useEffect(() => {
    if (shownId) setTab(shownMode === 'test' ? 'tests' : 'output');
  }, [shownId, shownMode]);
  const activeTab: RunTab = tab === 'tests' && shown?.mode !== 'test' ? 'output' : tab;
  const tabs: { id: RunTab; label: string; count?: string | number }[] = [
    { id: 'output', label: 'Output' },
    ...(shown?.mode === 'test'
      ? [{ id: 'tests' as const, label: 'Tests', ...(tally(shown) ? { count: tally(shown)! } : {}) }]
      : []),
    { id: 'history', label: 'History', ...(state.order.length > 0 ? { count: state.order.length } : {}) },
  ];

  return (
    <section className="run-panel" aria-label="Run code" data-testid="run-panel">
      <div className="run-panel__toolbar">
        <button
          type="button"
          className="btn btn--primary btn--small"
          onClick={() => void start('run')}
          disabled={runReason !== null || submitting !== null}
          title={runReason ?? 'Run the code (Ctrl+Enter)'}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          aria-describedby={runReason ? 'run-disabled-reason' : undefined}
        >
          <span aria-hidden="true">▶ </span>
          {submitting === 'run' ? 'Starting…' : 'Run'}
        </button>
        <button
          type="button"
          className="btn btn--secondary btn--small"
          onClick={() => void start('test')}
          disabled={testReason !== null || submitting !== null}
          title={testReason ?? `Run the test cases of “${activeQuestion?.title ?? ''}” (Ctrl+Shift+Enter)`}
          aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
        >
          {submitting === 'test' ? 'Starting…' : 'Test'}
        </button>
        <span className="run-panel__lang muted small" data-testid="run-language">
          {languageInfo ? `${languageInfo.name} ${languageInfo.version}` : languageLabel(language)}
        </span>
        <span className="run-panel__spacer" />
        {socketState === 'down' && (
          <span className="run-panel__offline small" role="status" data-testid="run-socket-down">
            Live output disconnected — reconnecting…
          </span>
        )}
        {socketState === 'refused' && (
          <span className="run-panel__offline small" role="status">
            Live output unavailable
          </span>
        )}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          aria-expanded={stdinOpen}
          aria-controls="run-stdin"
          onClick={() => setStdinOpen((open) => !open)}
        >
          {stdinOpen ? '▾' : '▸'} stdin{stdin && !stdinOpen ? ' •' : ''}
        </button>
      </div>
      {runReason && (
        <p id="run-disabled-reason" className="run-panel__reason muted small" data-testid="run-disabled-reason">
          {runReason}
        </p>
      )}
      {stdinOpen && (
        <label className="run-panel__stdin">
          <span className="small muted">Standard input for Run</span>
          <textarea
            id="run-stdin"
            className="input run-panel__stdin-input"
            value={stdin}
            onChange={(e) => setStdin(e.target.value)}
            rows={4}
            spellCheck={false}
            placeholder="Input passed to the program on Run (Test uses the question's cases)"
          />
        </label>
      )}
      {error !== null && <RunError error={error} onDismiss={() => setError(null)} />}
      {shown && (
        <RunBar
          run={shown}
          canCancel={canRun && (isInterviewer || isMine(state, shown))}
          cancelling={cancelling === shown.id}
          cancelError={cancelError}
          onCancel={() => void cancel(shown.id)}
        />
      )}
      <div className="tabs run-panel__tabs" role="tablist" aria-label="Run views" onKeyDown={onTabListKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`run-tab-${t.id}`}
            className="tabs__tab run-panel__tab"
            aria-selected={t.id === activeTab}
            aria-controls={`run-tabpanel-${t.id}`}
            tabIndex={t.id === activeTab ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.count !== undefined && <span className="tabs__count">{t.count}</span>}
          </button>
        ))}
      </div>
      <div className="run-panel__body">
        <div
          role="tabpanel"
          id="run-tabpanel-output"
          aria-labelledby="run-tab-output"
          className="run-panel__tabpanel run-panel__tabpanel--output"
          hidden={activeTab !== 'output'}
        >
          {shown ? (
            <ShownOutput run={shown} onRetry={() => void fetchResult(shown.id)} />
          ) : (
            <OutputConsole
              output={EMPTY_OUTPUT}
              placeholder={
                canRun
                  ? 'Run your code to see its output here (Ctrl+Enter).'
                  : 'Output of runs in this room appears here.'
              }
            />
          )}
        </div>
        {shown?.mode === 'test' && (
          <div
            role="tabpanel"
            id="run-tabpanel-tests"
            aria-labelledby="run-tab-tests"
            className="run-panel__tabpanel"
            hidden={activeTab !== 'tests'}
          >
            <TestResults
              run={shown}
              question={questions.find((q) => q.id === (shown.result?.question_id ?? '')) ?? activeQuestion}
              isInterviewer={isInterviewer}
            />
          </div>
        )}
        <div
          role="tabpanel"
          id="run-tabpanel-history"
          aria-labelledby="run-tab-history"
          className="run-panel__tabpanel"
          hidden={activeTab !== 'history'}
        >
          <RunHistory
            state={state}
            shownId={shown?.id ?? null}
            onSelect={(id) => dispatch({ type: 'select', id })}
            older={olderState}
            onLoadOlder={() => void loadOlder()}
          />
        </div>
      </div>
    </section>
  );
}

/** Why Run is disabled, or null when it is not. */
export function disabledReason(
  canRun: boolean,
  isInterviewer: boolean,
  role: string | null,
  language: LanguageInfo | null,
): string | null {
  if (!canRun) {
    if (role === 'observer') return "Observers can't run code.";
    if (role === 'candidate' || (role === null && !isInterviewer)) return 'Code can be run once the interview is live.';
    return "You can't run code in this room.";
  }
  if (language && !language.available)
    return `${language.name} is unavailable: ${language.reason ?? 'not installed on this server'}.`;
  return null;
}

function RunError({ error, onDismiss }: { error: unknown; onDismiss: () => void }) {
  const title =
    error instanceof ApiError
      ? error.status === 429
        ? 'Run budget used up'
        : error.status === 403
          ? 'Not allowed to run'
          : error.status === 422
            ? 'The run was rejected'
            : 'Could not start the run'
      : 'Could not start the run';
  const fields = error instanceof ApiError ? Object.entries(error.fields) : [];
  return (
    <div className="run-panel__error" data-testid="run-error">
      <Alert tone={error instanceof ApiError && error.status === 429 ? 'warning' : 'error'} title={title}>
        <p>{errorMessage(error)}</p>
        {fields.length > 0 && (
          <ul>
            {fields.map(([field, why]) => (
              <li key={field}>
                <code>{field}</code>: {why}
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="btn btn--ghost btn--small" onClick={onDismiss}>
          Dismiss
        </button>
      </Alert>
    </div>
  );
}

type RunTab = 'output' | 'tests' | 'history';

/** The shown run's status, who ran it, time and memory, and Cancel while it is going. */
function RunBar(props: {
  run: RunState;
  canCancel: boolean;
  cancelling: boolean;
  cancelError: string | null;
  onCancel: () => void;
}) {
  const { run } = props;
  const finished = isFinishedStatus(run.status);
  const info = statusInfo(run.status);
  const result = run.result ?? run.summary;
  return (
    <div className="run-view" data-testid="run-view" data-run-id={run.id} data-status={run.status}>
      <div className="run-view__bar">
        <span className={`run-pill run-tone--${info.tone}`} data-testid="run-status">
          {run.status === 'queued' ? 'Queued…' : run.status === 'running' ? 'Running…' : info.label}
        </span>
        {run.status === 'running' && run.startedAt !== null && <Elapsed since={run.startedAt} />}
        <span className="run-view__who small muted" data-testid="run-who">
          {run.requestedBy ?? 'Someone'} · {run.mode === 'test' ? 'Test' : 'Run'}
          {run.language ? ` · ${languageLabel(run.language)}` : ''}
        </span>
        {finished && result && (result.time_ms !== null || result.memory_kb !== null) && (
          <span className="run-view__stats small muted">
            {formatMs(result.time_ms)} · {formatKb(result.memory_kb)}
          </span>
        )}
        <span className="run-panel__spacer" />
        {!finished && props.canCancel && (
          <button
            type="button"
            className="btn btn--danger btn--small"
            onClick={props.onCancel}
            disabled={props.cancelling}
          >
            {props.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {props.cancelError && !finished && (
        <p className="run-panel__reason small run-tone--danger">{props.cancelError}</p>
      )}
    </div>
  );
}

function ShownOutput({ run, onRetry }: { run: RunState; onRetry: () => void }) {
  const finished = isFinishedStatus(run.status);
  const output = outputFor(run);
  const footer = finished ? footerLines(run, output.chunks.map((c) => c.text).join('')) : [];
  const loading = finished && run.result === null && run.detail !== 'error';
  return (
    <>
      {finished && run.result === null && run.detail === 'error' && (
        <div className="run-panel__detail-error" data-testid="run-detail-error" role="alert">
          <span className="small">Could not load this run's output.</span>{' '}
          <button type="button" className="btn btn--ghost btn--small" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      <OutputConsole
        output={output}
        placeholder={
          loading ? (
            <span data-testid="run-detail-loading">Loading output…</span>
          ) : finished ? (
            'No output.'
          ) : run.status === 'queued' ? (
            'Waiting for a free runner…'
          ) : (
            'Waiting for output…'
          )
        }
        footer={footer}
      />
    </>
  );
}

/**
 * The lines under the output once a run is over: the runner's message (unless the output
 * already says it, as with a compiler's or interpreter's error), exit code or signal.
 */
export function footerLines(run: RunState, outputText = ''): string[] {
  const result = run.result;
  const lines: string[] = [];
  if (run.status === 'cancelled') {
    lines.push(result?.message ?? 'Run cancelled.');
    return lines;
  }
  if (!result) return lines;
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (result.message && !squash(outputText).includes(squash(result.message))) lines.push(result.message);
  if (result.signal !== null && result.signal !== undefined) lines.push(`Killed by ${signalLabel(result.signal)}`);
  else if (
    result.exit_code !== null &&
    result.exit_code !== undefined &&
    run.mode !== 'test' &&
    run.status !== 'compile_error'
  )
    lines.push(`Process exited with code ${result.exit_code}`);
  return lines;
}

/** "2.3 s" counting up from `since` (client clock), re-rendering only itself. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(id);
  }, []);
  return (
    <span className="run-view__elapsed small" data-testid="run-elapsed">
      {(Math.max(0, now - since) / 1000).toFixed(1)} s
    </span>
  );
}
