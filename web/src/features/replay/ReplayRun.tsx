// A run opened from the replay (its marker or its row in the event list): what the review
// shows of it — code, stdin, output, test results with hidden cases — fetched when opened
// (GET /api/runs/{id}), in a card with a close button that takes focus when it opens.
import { useEffect, useRef } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { getRun } from '../room/run/api';
import { runHeadline } from '../room/run/headline';
import { reviewRunOfView } from '../review/reviewData';
import { RunBody } from '../review/RunReview';
import { clockText } from './replayTime';

export interface ReplayRunProps {
  runId: string;
  number: number | undefined;
  /** When it started, since the session's start. */
  atMs: number;
  onClose: () => void;
}

export function ReplayRun({ runId, number, atMs, onClose }: ReplayRunProps) {
  const { data, error, loading, reload } = useAsync((signal) => getRun(runId, signal).then((r) => r.run), [runId]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [runId]);

  const kind = data?.mode === 'test' ? 'Test' : 'Run';
  const title = `${kind} #${number ?? '?'}`;
  const shown = data ? reviewRunOfView(data) : null;
  const headline = shown
    ? runHeadline(
        shown.status,
        shown.mode === 'test' ? shown.verdict : null,
        shown.mode === 'test' ? shown.tally : null,
      )
    : null;
  return (
    <section className="card replay-run" aria-labelledby={`replay-run-${runId}`} data-testid="replay-run">
      <div className="card__header">
        <h2 className="card__title" id={`replay-run-${runId}`} ref={heading} tabIndex={-1}>
          {title} <span className="muted small">at {clockText(atMs)}</span>
        </h2>
        {headline && <span className={`run-pill run-tone--${headline.tone}`}>{headline.label}</span>}
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose} aria-label={`Close ${title}`}>
          Close
        </button>
      </div>
      <div className="card__body">
        {loading && !data ? (
          <LoadingBlock label="Loading the run…" />
        ) : error || !data ? (
          <ErrorState error={error} onRetry={reload} />
        ) : (
          <>
            {data.requested_by && <p className="muted small">By {data.requested_by}</p>}
            <RunBody view={data} finalCode={null} isInterviewer title={title} />
          </>
        )}
      </div>
    </section>
  );
}
