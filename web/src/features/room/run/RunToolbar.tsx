// The run panel's toolbar: Run and Test (with their shortcuts, and why they are disabled as
// their tooltips), the language the code runs in, the state of the live-output socket, and the
// toggle that shows the stdin input.
import type { JSX } from 'react';
import { languageLabel } from './status';
import { STDIN_INPUT_ID } from './StdinInput';
import type { LanguageInfo, RunMode } from './types';
import type { SocketState } from './useRoomEvents';

/** The paragraph that says why Run is disabled (RunPanel shows it under the toolbar). */
export const RUN_DISABLED_REASON_ID = 'run-disabled-reason';

export interface RunToolbarProps {
  runReason: string | null;
  testReason: string | null;
  /** The mode being started, if any: both buttons wait for it. */
  submitting: RunMode | null;
  onStart: (mode: RunMode) => void;
  /** Named in Test's tooltip. */
  questionTitle: string | undefined;
  language: string;
  languageInfo: LanguageInfo | null;
  socketState: SocketState;
  stdinOpen: boolean;
  /** Whether stdin has text (marked on the toggle while the input is hidden). */
  stdinFilled: boolean;
  onToggleStdin: () => void;
}

export function RunToolbar(props: RunToolbarProps): JSX.Element {
  const { runReason, testReason, submitting, languageInfo, socketState, stdinOpen } = props;
  return (
    <div className="run-panel__toolbar">
      <button
        type="button"
        className="btn btn--primary btn--small"
        onClick={() => props.onStart('run')}
        disabled={runReason !== null || submitting !== null}
        title={runReason ?? 'Run the code (Ctrl+Enter)'}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        aria-describedby={runReason ? RUN_DISABLED_REASON_ID : undefined}
      >
        <span aria-hidden="true">▶ </span>
        {submitting === 'run' ? 'Starting…' : 'Run'}
      </button>
      <button
        type="button"
        className="btn btn--secondary btn--small"
        onClick={() => props.onStart('test')}
        disabled={testReason !== null || submitting !== null}
        title={testReason ?? `Run the test cases of “${props.questionTitle ?? ''}” (Ctrl+Shift+Enter)`}
        aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
      >
        {submitting === 'test' ? 'Starting…' : 'Test'}
      </button>
      <span className="run-panel__lang muted small" data-testid="run-language">
        {languageInfo ? `${languageInfo.name} ${languageInfo.version}` : languageLabel(props.language)}
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
        aria-controls={STDIN_INPUT_ID}
        onClick={props.onToggleStdin}
      >
        {stdinOpen ? '▾' : '▸'} stdin{props.stdinFilled && !stdinOpen ? ' •' : ''}
      </button>
    </div>
  );
}
