// The candidate's waiting room. It keeps the room event socket open, which shows the
// interviewers that the candidate is here ("waiting in the lobby") and brings the `status`
// event the moment the interview starts; it also polls the interview every 2 s as a fallback.
// It moves into the room when the interview is live, or shows the "ended" screen if it is over.
// It says again what the interview records (RecordingNotice): a returning candidate lands here.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { getInterview } from '../../api/interviews';
import { Alert } from '../../components/Alert';
import { Spinner } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { useRoomEvents } from '../room/run/useRoomEvents';
import { isEndedError } from './joinErrors';
import { RecordingNotice } from './RecordingNotice';
import { EndedScreen, StatusScreen } from './StatusScreen';
import { usePolling } from './usePolling';

export const LOBBY_POLL_MS = 2000;

export interface LobbyProps {
  interviewId: string;
  title: string;
  candidateName: string;
  scheduledAt: string | null;
}

export function Lobby({ interviewId, title, candidateName, scheduledAt }: LobbyProps) {
  const navigate = useNavigate();
  const [ended, setEnded] = useState(false);
  const [lostAccess, setLostAccess] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const enterRoom = () => navigate(`/interviews/${interviewId}/room`, { replace: true });

  useRoomEvents(interviewId, {
    onEvents: (events) => {
      for (const event of events) {
        if (event.type !== 'status') continue;
        if (event.status === 'live') enterRoom();
        else if (event.status === 'ended') setEnded(true);
      }
    },
  });

  usePolling(
    async (signal) => {
      try {
        const detail = await getInterview(interviewId, { signal, redirectOn401: false });
        setProblem(null);
        if (detail.interview.status === 'live') enterRoom();
        else if (detail.interview.status === 'ended') setEnded(true);
      } catch (error) {
        if (signal.aborted) return;
        if (isEndedError(error)) setEnded(true);
        else if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404))
          setLostAccess(true);
        else setProblem(errorMessage(error));
      }
    },
    LOBBY_POLL_MS,
    !ended && !lostAccess,
  );

  if (ended) return <EndedScreen title={title} />;
  if (lostAccess) {
    return (
      <StatusScreen testId="lobby-no-access">
        <h1 className="auth-card__title">You are no longer in this interview</h1>
        <p className="auth-card__subtitle">
          The interview may have ended or been cancelled. Ask your interviewer for a new link.
        </p>
      </StatusScreen>
    );
  }
  return (
    <StatusScreen testId="lobby">
      <h1 className="auth-card__title">{title}</h1>
      <p className="auth-card__subtitle">
        Hi {candidateName}, you are in the lobby.
        {scheduledAt && <> Scheduled for {formatDateTime(scheduledAt)}.</>}
      </p>
      <div className="lobby__waiting" role="status" aria-live="polite">
        <Spinner label="Waiting" />
        <span>Waiting for the interviewer to start…</span>
      </div>
      <RecordingNotice />
      <p className="muted small">This page moves you into the interview automatically. Keep it open.</p>
      {problem && <Alert tone="warning">Connection problem: {problem} Retrying…</Alert>}
    </StatusScreen>
  );
}
