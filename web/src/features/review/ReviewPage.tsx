// The review of an ended interview (`/interviews/:id/review`): times and participants, each
// question's prompt and final code, the run history (each run's code, stdin, output and test
// results, and a diff against the final code), the notes, the scorecards, and the summary's
// exports. Host and interviewers see it all (from the summary export); observers read it
// without notes, final code or exports. Before the end it says the interview is still going.
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { RoleBadge, StatusBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Markdown } from '../../components/Markdown';
import { EmptyState, PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime, formatDuration, formatElapsed } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { ScorecardsSection } from '../evaluation/ScorecardsSection';
import { languageLabel } from '../room/run/status';
import { ExportLinks } from './ExportLinks';
import { FinalCode, QuestionReview } from './QuestionReview';
import { loadReview, type ReviewData } from './reviewData';
import { RunReviewList } from './RunReview';
import '../room/run/run.css';
import './review.css';

export default function ReviewPage() {
  const { id = '' } = useParams();
  const { data, error, loading, reload } = useAsync((signal) => loadReview(id, signal), [id]);

  useEffect(() => {
    if (data) document.title = `Review: ${data.interview.title} · CodeView`;
  }, [data]);

  if (loading && !data) return <LoadingBlock label="Loading the review…" />;
  if (error || !data) return <ErrorState error={error} onRetry={reload} />;

  const { interview } = data;
  const back = (
    <Link to={`/interviews/${interview.id}`} className="breadcrumb">
      ← {interview.title}
    </Link>
  );
  if (interview.status !== 'ended') {
    return (
      <>
        {back}
        <PageHeader title={`Review: ${interview.title}`} />
        <Card title="The interview is still going">
          <p>
            {interview.status === 'live'
              ? 'The review opens once the interview has ended.'
              : 'This interview has not started yet; the review opens once it has ended.'}
          </p>
          {interview.status === 'live' && (
            <Link to={`/interviews/${interview.id}/room`} className="btn btn--primary">
              Open the room
            </Link>
          )}
        </Card>
      </>
    );
  }

  return (
    <>
      {back}
      <PageHeader
        title={
          <span className="row">
            Review: {interview.title} <StatusBadge status={interview.status} />
          </span>
        }
        subtitle={data.full ? undefined : 'Read only: notes, final code and exports are for the interviewers.'}
        actions={
          data.full ? (
            <>
              <Link
                to={`/interviews/${interview.id}/replay`}
                className="btn btn--secondary"
                data-testid="review-replay-link"
              >
                Replay session
              </Link>
              <ExportLinks interviewId={interview.id} />
            </>
          ) : undefined
        }
      />
      <div className="stack review">
        <Overview review={data} />
        <section className="stack" aria-labelledby="review-questions">
          <h2 id="review-questions" className="review-heading">
            Questions
          </h2>
          {data.questions.length === 0 ? (
            <Card title="No questions">
              {data.codeWithoutQuestion !== null ? (
                <FinalCode code={data.codeWithoutQuestion} language={interview.language} label="Final code" />
              ) : (
                <p className="muted">This interview had no questions.</p>
              )}
            </Card>
          ) : (
            data.questions.map((question, index) => (
              <QuestionReview
                key={question.id}
                question={question}
                number={index + 1}
                language={interview.language}
                interviewId={interview.id}
              />
            ))
          )}
        </section>
        <Card
          title="Runs"
          aside={<span className="muted small">{data.runs.length}</span>}
          bodyClassName="review-runs-body"
        >
          <RunReviewList review={data} />
        </Card>
        {data.notes !== null && (
          <Card title="Notes">
            {data.notes.trim() ? (
              <Markdown source={data.notes} className="review-notes" />
            ) : (
              <EmptyState title="No notes">Nobody wrote notes in this interview.</EmptyState>
            )}
          </Card>
        )}
        <Card title="Scorecards">
          <div data-testid="review-scorecards">
            <ScorecardsSection interviewId={interview.id} role={data.role} />
          </div>
        </Card>
      </div>
    </>
  );
}

function Overview({ review }: { review: ReviewData }) {
  const { interview, participants } = review;
  return (
    <Card title="Overview">
      <div className="review-overview">
        <dl className="dl">
          <dt>Scheduled</dt>
          <dd>
            {formatDateTime(interview.scheduled_at)} ({formatDuration(interview.duration_minutes)} planned)
          </dd>
          <dt>Started</dt>
          <dd>{interview.started_at ? formatDateTime(interview.started_at) : '—'}</dd>
          <dt>Ended</dt>
          <dd>{interview.ended_at ? formatDateTime(interview.ended_at) : '—'}</dd>
          <dt>Duration</dt>
          <dd>{formatElapsed(interview.started_at, interview.ended_at)}</dd>
          <dt>Language</dt>
          <dd>{languageLabel(interview.language)}</dd>
        </dl>
        <div>
          <h3 className="review-label">Participants</h3>
          <ul className="review-people" data-testid="review-participants">
            {participants.map((p) => (
              <li key={p.id}>
                <span>{p.name}</span> <RoleBadge role={p.role} />
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Card>
  );
}
