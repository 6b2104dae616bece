// The bar above the output: the shown run's headline (its status, or a test run's verdict),
// who ran it and how, the time it has been running or the time and memory it took, and Cancel
// (with why a cancel failed) while it is going.
import type { JSX } from 'react';
import { Elapsed } from './Elapsed';
import { headlineOf } from './headline';
import type { RunState } from './runReducer';
import { formatKb, formatMs, isFinishedStatus, languageLabel } from './status';

export interface RunBarProps {
  run: RunState;
  canCancel: boolean;
  cancelling: boolean;
  cancelError: string | null;
  onCancel: () => void;
}

export function RunBar(props: RunBarProps): JSX.Element {
  const { run } = props;
  const finished = isFinishedStatus(run.status);
  const headline = headlineOf(run);
  const result = run.result ?? run.summary;
  return (
    <div
      className="run-view"
      data-testid="run-view"
      data-run-id={run.id}
      data-status={run.status}
      data-tone={headline.tone}
    >
      <div className="run-view__bar">
        <span className={`run-pill run-tone--${headline.tone}`} data-testid="run-status" role="status">
          {headline.label}
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
