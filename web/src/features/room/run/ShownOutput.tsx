// The shown run's output in the console, with what the console says while there is none yet
// (waiting for a runner, for output, for the stored result) and the footer once it is over.
// A stored result that could not be loaded gets a Retry.
import type { JSX } from 'react';
import { footerLines } from './footerLines';
import { OutputConsole } from './OutputConsole';
import { outputFor, type RunState } from './runReducer';
import { isFinishedStatus } from './status';

export function ShownOutput({ run, onRetry }: { run: RunState; onRetry: () => void }): JSX.Element {
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
