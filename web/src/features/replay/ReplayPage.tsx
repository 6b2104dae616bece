// /interviews/:id/replay — the replay of an interview for its host and interviewers: every
// moment of the code (with each author's caret), the notes, the runs and what happened, on one
// timeline (ReplayPlayer). Linked from the review page and, for interviewers, from the room
// (a new tab, so the live room goes on; a live interview's replay refreshes every 5 s). Anyone
// else is told plainly that the replay is not for them.
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { StatusBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState, PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { ReplayPlayer } from './ReplayPlayer';
import { useReplayData, type ReplayData } from './useReplayData';
import '../room/run/run.css';
import '../review/review.css';
import './replay.css';

export default function ReplayPage() {
  const { id = '' } = useParams();
  const { load, retry } = useReplayData(id);
  const title = load.phase === 'ready' ? load.data.detail.interview.title : null;

  useEffect(() => {
    document.title = title ? `Replay: ${title} · CodeView` : 'Replay · CodeView';
  }, [title]);

  if (load.phase === 'loading') {
    const percent = load.progress === null ? null : Math.round(load.progress * 100);
    return <LoadingBlock label={percent === null ? 'Loading the replay…' : `Preparing the replay… ${percent} %`} />;
  }
  if (load.phase === 'forbidden') {
    return (
      <div className="replay" data-testid="replay-forbidden">
        <Link to={`/interviews/${id}`} className="breadcrumb">
          ← Interview
        </Link>
        <PageHeader title="Replay" />
        <Card title="The replay is for the interviewers">
          <p>Only the host and the interviewers of this interview can replay it.</p>
        </Card>
      </div>
    );
  }
  if (load.phase === 'error') return <ErrorState error={load.error} onRetry={retry} />;
  return <Replay data={load.data} />;
}

function Replay({ data }: { data: ReplayData }) {
  const { interview } = data.detail;
  const nothing = data.code.length === 0 && data.notes.length === 0 && data.events.length === 0;
  return (
    <div className="replay" data-testid="replay">
      <Link to={`/interviews/${interview.id}`} className="breadcrumb">
        ← {interview.title}
      </Link>
      <PageHeader
        title={
          <span className="row">
            Replay: {interview.title} <StatusBadge status={interview.status} />
          </span>
        }
        subtitle={
          interview.status === 'live' ? 'The interview is going on: the replay refreshes every few seconds.' : undefined
        }
        actions={
          interview.status === 'live' ? (
            <Link to={`/interviews/${interview.id}/room`} className="btn btn--secondary btn--small">
              Open the room
            </Link>
          ) : interview.status === 'ended' ? (
            <Link to={`/interviews/${interview.id}/review`} className="btn btn--secondary btn--small">
              Review
            </Link>
          ) : undefined
        }
      />
      {nothing && interview.status !== 'live' ? (
        <Card title="Nothing to replay">
          <EmptyState title="No history">
            {interview.status === 'scheduled'
              ? 'The interview has not started: nothing has been recorded yet.'
              : 'Nothing was recorded in this interview: no code, no notes, no events.'}
          </EmptyState>
        </Card>
      ) : (
        <ReplayPlayer data={data} />
      )}
    </div>
  );
}
