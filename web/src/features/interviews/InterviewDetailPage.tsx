// One interview for its hosts/interviewers/observers: status, schedule, invite link,
// participants, questions, and the lifecycle buttons (edit, start, end with confirmation,
// delete). Listens to the room event socket, so a candidate waiting in the lobby shows up at
// once ("Casey is waiting in the lobby", with Start beside it) and status changes land
// without a reload; it also refreshes every few seconds.
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { deleteInterview, endInterview, getInterview, startInterview } from '../../api/interviews';
import { LANGUAGE_LABELS } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DifficultyBadge, StatusBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState, PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime, formatDuration } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { LobbyBanner } from '../presence/LobbyBanner';
import { onlineCandidate, usePresence } from '../presence/usePresence';
import { RubricEditor } from '../evaluation/RubricEditor';
import { InviteCard } from './InviteCard';
import { ParticipantsCard } from './ParticipantsCard';

const REFRESH_MS = 5000;
type Pending = 'start' | 'end' | 'delete' | null;

export default function InterviewDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const arrival = location.state as { created?: boolean; emailSent?: boolean } | null;
  const justCreated = arrival?.created === true;
  const { data, error, loading, reload, setData } = useAsync((signal) => getInterview(id, { signal }), [id]);
  const [confirm, setConfirm] = useState<'end' | 'delete' | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    if (data) document.title = `${data.interview.title} · CodeView`;
  }, [data]);

  // The lobby's presence, live; a start or end elsewhere reloads the detail.
  const { participants: present } = usePresence(id, () => {
    getInterview(id).then(setData, () => undefined);
  });

  const status = data?.interview.status;
  useEffect(() => {
    if (!status || status === 'ended') return undefined;
    const timer = window.setInterval(() => {
      getInterview(id).then(setData, () => undefined);
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [id, status, setData]);

  if (loading && !data) return <LoadingBlock label="Loading interview…" />;
  if (error || !data) return <ErrorState error={error} onRetry={reload} />;

  const { interview, participants, questions, candidate_invite_url } = data;
  const role = interview.my_role;
  const canRun = role === 'host' || role === 'interviewer';
  const waiting = interview.status === 'scheduled' && canRun ? onlineCandidate(present) : null;

  const act = async (kind: Exclude<Pending, null>) => {
    setPending(kind);
    setActionError(null);
    try {
      if (kind === 'delete') {
        await deleteInterview(interview.id);
        navigate('/', { replace: true });
        return;
      }
      const updated = kind === 'start' ? await startInterview(interview.id) : await endInterview(interview.id);
      setData((prev) => ({ ...(prev ?? data), interview: updated }));
      setConfirm(null);
    } catch (err) {
      setActionError(errorMessage(err));
      setConfirm(null);
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <Link to="/" className="breadcrumb">
        ← Dashboard
      </Link>
      <PageHeader
        title={
          <span className="row">
            {interview.title} <StatusBadge status={interview.status} />
          </span>
        }
        subtitle={interview.candidate_name ? `Candidate: ${interview.candidate_name}` : 'No candidate named yet'}
        actions={
          <>
            {interview.status === 'scheduled' && canRun && (
              <Link to={`/interviews/${interview.id}/edit`} className="btn btn--secondary">
                Edit
              </Link>
            )}
            {interview.status === 'ended' && (
              <Link to={`/interviews/${interview.id}/review`} className="btn btn--primary">
                Review
              </Link>
            )}
            {interview.status !== 'scheduled' && (
              <Link to={`/interviews/${interview.id}/room`} className="btn btn--secondary">
                {interview.status === 'live' ? 'Open room' : 'View room'}
              </Link>
            )}
            {interview.status === 'scheduled' && canRun && (
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => void act('start')}
                disabled={pending !== null}
              >
                {pending === 'start' ? 'Starting…' : 'Start interview'}
              </button>
            )}
            {interview.status === 'live' && canRun && (
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => setConfirm('end')}
                disabled={pending !== null}
              >
                End interview
              </button>
            )}
          </>
        }
      />
      <div className="stack">
        {justCreated && interview.status === 'scheduled' && (
          <Alert tone="success" title="Interview created">
            {arrival?.emailSent
              ? 'The invite was emailed to the candidate. You can also copy the link below.'
              : 'Copy the invite link below and send it to the candidate.'}
          </Alert>
        )}
        {actionError && <Alert tone="error">{actionError}</Alert>}
        {waiting && (
          <LobbyBanner candidate={waiting} onStart={() => void act('start')} starting={pending === 'start'} />
        )}
        <div className="detail-grid">
          <div className="stack">
            <Card title="Overview">
              <dl className="dl">
                <dt>Scheduled</dt>
                <dd>{formatDateTime(interview.scheduled_at)}</dd>
                <dt>Duration</dt>
                <dd>{formatDuration(interview.duration_minutes)}</dd>
                <dt>Language</dt>
                <dd>{interview.language ? LANGUAGE_LABELS[interview.language] : '—'}</dd>
                <dt>Candidate</dt>
                <dd>
                  {interview.candidate_name ?? '—'}
                  {interview.candidate_email && <span className="muted"> · {interview.candidate_email}</span>}
                </dd>
                {interview.started_at && (
                  <>
                    <dt>Started</dt>
                    <dd>{formatDateTime(interview.started_at)}</dd>
                  </>
                )}
                {interview.ended_at && (
                  <>
                    <dt>Ended</dt>
                    <dd>{formatDateTime(interview.ended_at)}</dd>
                  </>
                )}
              </dl>
            </Card>
            <Card title="Questions" aside={<span className="muted small">{questions.length}</span>} bare>
              {questions.length === 0 ? (
                <EmptyState title="No questions attached">
                  {interview.status === 'scheduled' && canRun && (
                    <Link to={`/interviews/${interview.id}/edit`}>Add questions</Link>
                  )}
                </EmptyState>
              ) : (
                <ol className="list">
                  {questions.map((q) => (
                    <li key={q.id} className="list__item">
                      <div className="list__main">
                        <Link to={`/questions/${q.id}`}>{q.title}</Link>
                        <div className="muted small">{q.category}</div>
                      </div>
                      <DifficultyBadge difficulty={q.difficulty} />
                    </li>
                  ))}
                </ol>
              )}
            </Card>
          </div>
          <div className="stack">
            {interview.status !== 'ended' && (
              <InviteCard
                interviewId={interview.id}
                url={candidate_invite_url ?? undefined}
                roomCode={interview.room_code}
                candidateEmail={interview.candidate_email ?? null}
                emailEnabled={data.email_enabled}
                onRenewed={(url) => setData((prev) => ({ ...(prev ?? data), candidate_invite_url: url }))}
              />
            )}
            <ParticipantsCard
              interviewId={interview.id}
              workspaceId={interview.workspace_id ?? undefined}
              participants={participants}
              myRole={role}
              canInvite={canRun && interview.status !== 'ended'}
              emailEnabled={data.email_enabled}
              onChange={(next) => setData((prev) => ({ ...(prev ?? data), participants: next }))}
            />
            {canRun && <RubricEditor interviewId={interview.id} role={role} />}
            {role === 'host' && (
              <section className="card danger-zone">
                <div className="card__body row" style={{ justifyContent: 'space-between' }}>
                  <div>
                    <strong>Delete interview</strong>
                    <div className="muted small">Removes it for everyone. This cannot be undone.</div>
                  </div>
                  <button type="button" className="btn btn--danger-outline" onClick={() => setConfirm('delete')}>
                    Delete
                  </button>
                </div>
              </section>
            )}
          </div>
        </div>
      </div>
      <ConfirmDialog
        open={confirm === 'end'}
        title="End this interview?"
        confirmLabel="End interview"
        busy={pending === 'end'}
        onConfirm={() => void act('end')}
        onCancel={() => setConfirm(null)}
      >
        <p>
          The candidate will be disconnected and cannot rejoin. The code becomes read-only; interviewers can still
          finish their notes.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title="Delete this interview?"
        confirmLabel="Delete interview"
        busy={pending === 'delete'}
        onConfirm={() => void act('delete')}
        onCancel={() => setConfirm(null)}
      >
        <p>“{interview.title}” and its invite link will stop working. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
