// /interviews/:id/room — the interview room: top bar, the question panel on the left, and the
// live workspace (shared Monaco editor, run panel, interviewers' notes), which is a separate
// lazy chunk because it carries Monaco and the Yjs stack. Open to signed-in participants and
// to this interview's candidate. The active question (its prompt here, its code in the editor)
// is the room's, switched by the interviewers for everyone (`activeQuestion.ts`). Everyone polls the interview while it is live, so the room
// turns read-only when it ends and a candidate is shown the "ended" screen. The question
// panel's width is resizable and remembered per person (lib/useResizableSplit). The room event
// socket's presence marks who is here in the participants list and, before the start, shows
// an interviewer "Casey is waiting in the lobby" with the Start button. The bar shows everyone
// the interview's timer, and the host an "End interview" button (with a confirmation) while
// live; once ended, interviewers are offered the interview page (their notes stay editable).
// Interviewers also get the candidate's integrity signals there (integrity/SignalsBadge), and
// a warning when the server runs code in a weaker sandbox (sandbox/SandboxWarning).
import { lazy, Suspense, useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { getInterview, startInterview } from '../../api/interviews';
import type { InterviewDetail } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DifficultyBadge, RoleBadge, StatusBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { Markdown } from '../../components/Markdown';
import { LoadingBlock } from '../../components/Spinner';
import { SplitHandle } from '../../components/SplitHandle';
import { useAsync } from '../../lib/useAsync';
import { layoutStorageKey, useResizableSplit } from '../../lib/useResizableSplit';
import { loginPath, useSession, type Session } from '../auth/session';
import { candidateJoinPath } from '../join/candidateRoom';
import { isEndedError } from '../join/joinErrors';
import { EndedScreen } from '../join/StatusScreen';
import { usePolling } from '../join/usePolling';
import { KeyboardShortcuts } from './shortcuts/KeyboardShortcuts';
import { LobbyBanner } from '../presence/LobbyBanner';
import { onlineCandidate, usePresence } from '../presence/usePresence';
import { useActiveQuestion } from './activeQuestion';
import { QuestionTabs } from './QuestionTabs';
import { SqlSchema } from './SqlSchema';
import { EndInterviewButton } from './EndInterviewButton';
import { SignalsBadge } from './integrity/SignalsBadge';
import { SandboxWarning } from './sandbox/SandboxWarning';
import { RoomTimer } from './timer/RoomTimer';
import { WorkspaceBoundary } from './WorkspaceBoundary';

const STATUS_POLL_MS = 5000;
/** The question panel's share of the room's width, in percent. */
const PROMPT_SPLIT = { defaultValue: 28, min: 18, max: 50 } as const;

const RoomWorkspace = lazy(() => import('./collab/RoomWorkspace'));

export default function RoomPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const isCandidate = session.kind === 'candidate';
  const detail = useAsync((signal) => getInterview(id, { signal, redirectOn401: false }), [id]);
  const [lockedOut, setLockedOut] = useState(false);

  // Candidates learn that the interview ended by polling; their access ends with it.
  usePolling(
    async (signal) => {
      try {
        const next = await getInterview(id, { signal, redirectOn401: false });
        detail.setData(next);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404))
          setLockedOut(true);
      }
    },
    STATUS_POLL_MS,
    !lockedOut && detail.data?.interview.status === 'live',
  );

  useEffect(() => {
    if (detail.data) document.title = `${detail.data.interview.title} · Room · CodeView`;
  }, [detail.data]);

  if (session.kind === 'loading' || (detail.loading && !detail.data))
    return <LoadingBlock label="Entering the room…" />;
  if (session.kind === 'anonymous') {
    // A candidate is signed out when the interview ends: their join page (remembered from the
    // invite link) says so, or lets them back in; staff go to the sign-in page.
    return <Navigate to={candidateJoinPath(id) ?? loginPath(`/interviews/${id}/room`)} replace />;
  }
  if (isCandidate && (lockedOut || isEndedError(detail.error) || detail.data?.interview.status === 'ended'))
    return <EndedScreen title={detail.data?.interview.title} />;
  if (detail.error || !detail.data) {
    return (
      <main className="page">
        <ErrorState error={detail.error} onRetry={detail.reload} />
      </main>
    );
  }
  if (isCandidate && detail.data.interview.status === 'scheduled') {
    return <Navigate to={`/join/${detail.data.interview.room_code}`} replace />;
  }
  return <Room detail={detail.data} session={session} lockedOut={lockedOut} onDetail={detail.setData} />;
}

interface RoomProps {
  detail: InterviewDetail;
  session: Session;
  lockedOut: boolean;
  /** Replaces the interview detail (after a start, or a status event). */
  onDetail: (detail: InterviewDetail) => void;
}

function Room({ detail, session, lockedOut, onDetail }: RoomProps) {
  const { interview, questions, participants } = detail;
  const isCandidate = session.kind === 'candidate';
  const role = interview.my_role ?? (isCandidate ? 'candidate' : null);
  const self =
    session.kind === 'user'
      ? participants.find((p) => p.user_id === session.user.id)
      : participants.find((p) => p.role === 'candidate');
  const selfName =
    session.kind === 'user' ? session.user.name : session.kind === 'candidate' ? session.candidate.name : '';
  const active = useActiveQuestion(detail);
  const navigate = useNavigate();
  const question = questions.find((q) => q.id === active.activeId) ?? questions[0];
  const layoutOwner = session.kind === 'user' ? session.user.id : (self?.id ?? null);
  const promptSplit = useResizableSplit({
    ...PROMPT_SPLIT,
    storageKey: layoutStorageKey(layoutOwner, 'room.prompt'),
    orientation: 'vertical',
    pane: 'before',
  });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const { participants: present } = usePresence(interview.id, () => {
    getInterview(interview.id, { redirectOn401: false }).then(onDetail, () => undefined);
  });
  const roomOnline = useMemo(
    () => new Set((present ?? []).filter((p) => p.online).map((p) => p.participant_id)),
    [present],
  );
  const isInterviewer = role === 'host' || role === 'interviewer';
  const waiting = interview.status === 'scheduled' && isInterviewer ? onlineCandidate(present) : null;

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      onDetail({ ...detail, interview: await startInterview(interview.id) });
    } catch (error) {
      setStartError(errorMessage(error));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="room" data-testid="room">
      <header className="room__bar">
        {isCandidate ? (
          <span className="brand">
            <span className="brand__mark" aria-hidden="true">
              &lt;/&gt;
            </span>
            <span className="brand__name">CodeView</span>
          </span>
        ) : (
          <Link to={`/interviews/${interview.id}`} className="brand" aria-label="Back to interview details">
            <span className="brand__mark" aria-hidden="true">
              &lt;/&gt;
            </span>
            <span className="brand__name">CodeView</span>
          </Link>
        )}
        <h1 className="room__title">{interview.title}</h1>
        <StatusBadge status={interview.status} />
        {interview.my_role && <RoleBadge role={interview.my_role} />}
        <span className="topbar__spacer" />
        <RoomTimer interview={interview} />
        {interview.status !== 'scheduled' && (
          <SignalsBadge
            key={interview.id}
            interviewId={interview.id}
            role={role}
            startedAt={interview.started_at}
            live={interview.status === 'live'}
          />
        )}
        {role === 'host' && interview.status === 'live' && (
          <EndInterviewButton
            interviewId={interview.id}
            onEnded={(ended) => onDetail({ ...detail, interview: ended })}
          />
        )}
        <KeyboardShortcuts />
        {isInterviewer && interview.status !== 'scheduled' && (
          // A new tab: the live room goes on while someone scrubs back.
          <a
            href={`/interviews/${interview.id}/replay`}
            target="_blank"
            rel="noopener"
            className="btn btn--secondary btn--small"
            data-testid="room-replay-link"
          >
            Replay
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        )}
        {isInterviewer && interview.status === 'ended' && (
          <Link to={`/interviews/${interview.id}/review`} className="btn btn--primary btn--small">
            Review
          </Link>
        )}
        {!isCandidate && (
          <button
            type="button"
            className="btn btn--secondary btn--small"
            onClick={() => navigate(`/interviews/${interview.id}`)}
          >
            Leave room
          </button>
        )}
      </header>
      {(waiting || startError || (isInterviewer && interview.status === 'ended')) && (
        <div className="room__notice">
          {waiting && <LobbyBanner candidate={waiting} onStart={() => void start()} starting={starting} />}
          {startError && <Alert tone="error">{startError}</Alert>}
          {isInterviewer && interview.status === 'ended' && (
            <Alert tone="info" title="This interview has ended.">
              The code is read-only; your notes stay editable.{' '}
              <Link to={`/interviews/${interview.id}`} data-testid="room-ended-interview-link">
                Go to the interview page
              </Link>
            </Alert>
          )}
        </div>
      )}
      <SandboxWarning interviewId={interview.id} role={role} />
      <main className="room__body" style={{ '--prompt-size': `${promptSplit.value}%` } as CSSProperties}>
        {/* Focusable: a long prompt scrolls inside the panel, and keyboard users must reach it. */}
        <section className="room__panel room__prompt" id="room-prompt" aria-label="Question" tabIndex={0}>
          <QuestionTabs questions={questions} active={active} canSwitch={isInterviewer && !lockedOut} />
          {question ? (
            <article>
              <div className="row" style={{ marginBottom: 12 }}>
                <h2 className="room__question-title">{question.title}</h2>
                <DifficultyBadge difficulty={question.difficulty} />
              </div>
              <Markdown source={question.prompt} />
              <SqlSchema schema={question.sql_schema} />
            </article>
          ) : (
            <p className="muted">No question has been attached to this interview yet.</p>
          )}
        </section>
        <SplitHandle
          split={promptSplit}
          label="Resize the question panel"
          controls="room-prompt"
          valueText={`Question panel ${promptSplit.value}% of the width`}
          testId="prompt-split"
        />
        <div className="room__workspace">
          {lockedOut ? (
            <div className="room__panel">
              <Alert tone="error" title="You no longer have access to this room.">
                Ask the host to add you again, or go back to your dashboard.
              </Alert>
            </div>
          ) : (
            <WorkspaceBoundary>
              <Suspense fallback={<LoadingBlock label="Loading the editor…" />}>
                <RoomWorkspace
                  detail={detail}
                  role={role}
                  selfParticipantId={self?.id ?? null}
                  selfName={selfName}
                  activeQuestionId={question?.id}
                  layoutOwner={layoutOwner}
                  roomOnline={roomOnline}
                />
              </Suspense>
            </WorkspaceBoundary>
          )}
        </div>
      </main>
    </div>
  );
}
