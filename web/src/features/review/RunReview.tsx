// The run history of the review: one row per run, newest first (who, when, the headline
// coloured by verdict, as in the room), each opening to its code, stdin, output and per-test
// results. "Compare with final code" opens a read-only Monaco diff of the run's code against
// the final code, loaded only then. Observers' runs are fetched as they may see them.
import { lazy, Suspense, useId, useState } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { getRun } from '../room/run/api';
import { runHeadline } from '../room/run/headline';
import { sanitizeOutput } from '../room/run/output';
import { runStateOf } from '../room/run/runReducer';
import { formatKb, formatMs, languageLabel, statusWords } from '../room/run/status';
import { TestResults } from '../room/run/TestResults';
import type { RunView } from '../room/run/types';
import { finalCodeFor, type ReviewData, type ReviewRun } from './reviewData';

const CodeDiff = lazy(() => import('./CodeDiff'));

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatRunTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : timeOfDay.format(date);
}

export function RunReviewList({ review }: { review: ReviewData }) {
  if (review.runs.length === 0) {
    return <EmptyState title="No runs">Nobody ran code in this interview.</EmptyState>;
  }
  const total = review.runs.length;
  return (
    <>
      <ol className="review-runs" aria-label="Runs, newest first">
        {review.runs.map((run, index) => (
          <RunReviewItem key={run.id} run={run} number={total - index} review={review} />
        ))}
      </ol>
      {review.olderRunsLeftOut && (
        <p className="muted small review-runs__more">Older runs are left out: the review shows the newest {total}.</p>
      )}
    </>
  );
}

function RunReviewItem({ run, number, review }: { run: ReviewRun; number: number; review: ReviewData }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const test = run.mode === 'test';
  const headline = runHeadline(run.status, test ? run.verdict : null, test ? run.tally : null);
  const title = `${test ? 'Test' : 'Run'} #${number}`;
  return (
    <li className="review-run" data-testid="review-run" data-run-id={run.id}>
      <button
        type="button"
        className="review-run__head"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
      >
        <span className="review-run__chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="review-run__title">{title}</span>
        <span className={`run-pill run-tone--${headline.tone}`} data-testid="review-run-headline">
          {headline.label}
        </span>
        <span className="review-run__meta muted small">
          {run.requestedBy} · {formatRunTime(run.createdAt)} · {languageLabel(run.language)}
          {run.interviewersOnly ? ' · interviewers only' : ''}
        </span>
      </button>
      {open && (
        <div id={panelId} className="review-run__body" role="region" aria-label={`${title} details`}>
          <RunDetail run={run} review={review} title={title} />
        </div>
      )}
    </li>
  );
}

function RunDetail({ run, review, title }: { run: ReviewRun; review: ReviewData; title: string }) {
  const { data, error, loading, reload } = useAsync(
    (signal) => (run.full ? Promise.resolve(run.full) : getRun(run.id, signal).then((r) => r.run)),
    [run],
  );
  if (loading && !data) return <LoadingBlock label="Loading the run…" />;
  if (error || !data) return <ErrorState error={error} onRetry={reload} />;
  return <RunBody view={data} finalCode={finalCodeFor(review, run)} isInterviewer={review.full} title={title} />;
}

export function RunBody({
  view,
  finalCode,
  isInterviewer,
  title,
}: {
  view: RunView;
  finalCode: string | null;
  isInterviewer: boolean;
  title: string;
}) {
  const [comparing, setComparing] = useState(false);
  const diffId = useId();
  return (
    <div className="stack review-run__detail">
      <p className="small">
        {statusWords(view.status, view)} · {formatMs(view.time_ms)} · {formatKb(view.memory_kb)}
        {view.message ? ` · ${view.message}` : ''}
      </p>
      <div className="review-run__code-head">
        <h4 className="review-label">Code</h4>
        {finalCode !== null && (
          <button
            type="button"
            className="btn btn--secondary btn--small"
            aria-expanded={comparing}
            aria-controls={diffId}
            onClick={() => setComparing((was) => !was)}
          >
            {comparing ? 'Close comparison' : 'Compare with final code'}
          </button>
        )}
      </div>
      {comparing && finalCode !== null ? (
        <div id={diffId} className="review-diff">
          <p className="muted small">Left: the code of this run. Right: the final code.</p>
          <Suspense fallback={<LoadingBlock label="Loading the editor…" />}>
            <CodeDiff
              original={view.code}
              modified={finalCode}
              language={view.language}
              ariaLabel={`${title} compared with the final code`}
            />
          </Suspense>
        </div>
      ) : (
        <TextBlock label="Code" text={view.code} hideLabel />
      )}
      {view.mode === 'run' && <TextBlock label="Stdin" text={view.stdin} />}
      {view.compile_output ? <TextBlock label="Compiler output" text={view.compile_output} /> : null}
      {view.mode === 'run' && (
        <>
          <TextBlock label="Stdout" text={view.stdout} />
          {view.stderr ? <TextBlock label="Stderr" text={view.stderr} /> : null}
        </>
      )}
      {view.mode === 'test' && view.tests.length > 0 && (
        <TestResults run={runStateOf(view)} question={undefined} isInterviewer={isInterviewer} />
      )}
    </div>
  );
}

function TextBlock({ label, text, hideLabel = false }: { label: string; text: string; hideLabel?: boolean }) {
  return (
    <div>
      {!hideLabel && <h4 className="review-label">{label}</h4>}
      <pre className="review-code" tabIndex={0} aria-label={label}>
        {text ? sanitizeOutput(text) : <span className="muted">(empty)</span>}
      </pre>
    </div>
  );
}
