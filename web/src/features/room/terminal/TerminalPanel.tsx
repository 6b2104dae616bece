// The run panel's Terminal tab: "Run interactively" (Ctrl/⌘+Alt+Enter) with the input mode for
// the next start (line, the default, or raw), Stop, Clear, what the terminal is doing, why
// someone cannot type (observers), a refusal as a dismissable alert, and the terminal itself
// (TerminalView, xterm.js), loaded the first time the tab opens. useTerminal holds the state;
// this only lays it out.
import { lazy, Suspense, useState, type JSX } from 'react';
import { Alert } from '../../../components/Alert';
import { isRunning } from './terminalSession';
import { TERMINAL_MODES, type TerminalMode } from './terminalWire';
import { emptyHint, MODE_LABELS, problemTitle, terminalStatus } from './terminalWords';
import type { TerminalHandle } from './useTerminal';
import './terminal.css';

const TerminalView = lazy(() => import('./TerminalView'));

export const TERMINAL_HINT_ID = 'terminal-hint';

export interface TerminalPanelProps {
  terminal: TerminalHandle;
  /** Names whoever started the session. */
  nameOf?: (participantId: string) => string | null;
  /** May start, type and stop (the server checks too). */
  canUse: boolean;
  /** Why "Run interactively" is disabled for this person, or null. */
  startReason: string | null;
  /** The tab is open: the terminal is loaded from the first time it is. */
  open: boolean;
}

export function TerminalPanel({ terminal, nameOf, canUse, startReason, open }: TerminalPanelProps): JSX.Element {
  const { state, socketState, mode } = terminal;
  const running = isRunning(state);
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  const offline = socketState !== 'open';
  const startDisabled = startReason !== null || running || state.starting || offline;
  const startTitle =
    startReason ?? (offline ? 'Connecting to the room…' : 'Run the code interactively (Ctrl+Alt+Enter)');
  const hint = !canUse ? (startReason ?? "You can't type in this terminal.") : null;
  const typing = terminal.acceptsKeys;
  const status = terminalStatus(state, nameOf);
  const label = typing
    ? `Terminal, ${MODE_LABELS[state.session?.mode ?? mode].toLowerCase()}: type the program's input. Tab leaves the terminal.`
    : 'Terminal (read only)';

  return (
    <div className="terminal-panel" data-testid="terminal-panel">
      <div className="terminal-panel__toolbar" role="group" aria-label="Terminal controls">
        <button
          type="button"
          className="btn btn--primary btn--small"
          onClick={() => terminal.start()}
          disabled={startDisabled}
          title={startTitle}
          aria-keyshortcuts="Control+Alt+Enter Meta+Alt+Enter"
          aria-describedby={hint ? TERMINAL_HINT_ID : undefined}
          data-testid="terminal-start"
        >
          <span aria-hidden="true">▶ </span>
          {state.starting ? 'Starting…' : 'Run interactively'}
        </button>
        <label className="terminal-panel__mode small">
          <span>Input</span>
          <select
            className="select select--compact"
            value={mode}
            onChange={(event) => terminal.setMode(event.target.value as TerminalMode)}
            disabled={!canUse || running || state.starting}
            data-testid="terminal-mode"
          >
            {TERMINAL_MODES.map((m) => (
              <option key={m} value={m}>
                {m === 'line' ? 'Line (edit, then Enter)' : 'Raw (every key)'}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn--secondary btn--small"
          onClick={() => terminal.dispatch({ kind: 'stop' })}
          disabled={!canUse || !running || state.stopping}
          data-testid="terminal-stop"
        >
          {state.stopping ? 'Stopping…' : 'Stop'}
        </button>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => terminal.dispatch({ kind: 'clear' })}
          title="Clear your terminal (only yours)"
        >
          Clear
        </button>
        <span className="terminal-panel__status small muted" role="status" title={status} data-testid="terminal-status">
          {status}
        </span>
      </div>
      {hint && (
        <p id={TERMINAL_HINT_ID} className="terminal-panel__hint muted small" data-testid="terminal-hint">
          {hint}
        </p>
      )}
      {state.problem && (
        <div className="terminal-panel__problem" data-testid="terminal-error">
          <Alert tone={state.problem.code === 'rate_limited' ? 'warning' : 'error'} title={problemTitle(state.problem)}>
            {state.problem.message && <p>{state.problem.message}</p>}
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => terminal.dispatch({ kind: 'dismiss' })}
            >
              Dismiss
            </button>
          </Alert>
        </div>
      )}
      <div className="terminal-panel__screen">
        {!state.session && <p className="terminal-panel__empty small">{emptyHint(canUse)}</p>}
        {opened && (
          <Suspense
            fallback={
              <p className="terminal-panel__empty small" role="status">
                Loading the terminal…
              </p>
            }
          >
            <TerminalView
              screen={state.screen}
              interactive={typing}
              onKeys={(data) => terminal.dispatch({ kind: 'keys', data })}
              bells={terminal.bells}
              focusRequests={terminal.focusRequests}
              label={label}
            />
          </Suspense>
        )}
      </div>
    </div>
  );
}
