// /join/:code?invite=… — the candidate's way in. Shows the interview's public info, asks for
// a name, joins (which gives a candidate session bound to this interview), then shows the
// lobby. A returning candidate with a live session skips straight to the lobby. Both say what the
// interview records (RecordingNotice) before the candidate is in the room.
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { getRoom, joinRoom } from '../../api/interviews';
import type { RoomInfo } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Field, controlProps } from '../../components/Field';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useSession } from '../auth/session';
import { rememberCandidateRoom } from './candidateRoom';
import { Lobby } from './Lobby';
import { RecordingNotice } from './RecordingNotice';
import { isEndedError, joinErrorMessage } from './joinErrors';
import { EndedScreen, StatusScreen } from './StatusScreen';

export default function JoinPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const invite = params.get('invite') ?? '';
  const { session, refresh } = useSession();
  const room = useAsync((signal) => getRoom(code, invite, signal), [code, invite]);
  const [joinedAs, setJoinedAs] = useState<string | null>(null);
  const [endedOnJoin, setEndedOnJoin] = useState(false);

  useEffect(() => {
    document.title = room.data ? `Join ${room.data.title} · CodeView` : 'Join interview · CodeView';
  }, [room.data]);

  // So that the room, reloaded after the server ended this candidate's session, can come back here.
  useEffect(() => {
    if (room.data) rememberCandidateRoom(room.data.interview_id, room.data.room_code, invite);
  }, [room.data, invite]);

  if (room.loading || session.kind === 'loading') return <LoadingBlock label="Opening the interview…" />;
  if (isEndedError(room.error)) return <EndedScreen />;
  if (room.error || !room.data) {
    return (
      <StatusScreen testId="join-error">
        <h1 className="auth-card__title">Interview not found</h1>
        <Alert tone="error">{joinErrorMessage(room.error)}</Alert>
      </StatusScreen>
    );
  }

  const info = room.data;
  if (info.status === 'ended' || endedOnJoin) return <EndedScreen title={info.title} />;

  const returning =
    session.kind === 'candidate' && session.candidate.interview_id === info.interview_id
      ? session.candidate.name
      : null;
  const name = joinedAs ?? returning;
  if (name)
    return (
      <Lobby
        interviewId={info.interview_id}
        title={info.title}
        candidateName={name}
        scheduledAt={info.scheduled_at ?? null}
      />
    );

  return (
    <JoinForm
      info={info}
      invite={invite}
      onJoined={(joinedName) => {
        setJoinedAs(joinedName);
        void refresh();
      }}
      onEnded={() => setEndedOnJoin(true)}
    />
  );
}

const NAME_ID = 'candidate-name';

interface JoinFormProps {
  info: RoomInfo;
  invite: string;
  onJoined: (name: string) => void;
  onEnded: () => void;
}

function JoinForm({ info, invite, onJoined, onEnded }: JoinFormProps) {
  const [name, setName] = useState(info.candidate_name ?? '');
  const form = useFormSubmit({
    fieldOrder: ['name'],
    fieldIds: { name: NAME_ID },
    validate: () => (name.trim() ? {} : { name: 'Enter the name the interviewer should see.' }),
    submit: async () => {
      const joined = await joinRoom(info.room_code, name.trim(), invite);
      onJoined(joined.participant.name || name.trim());
    },
    // An interview that ended meanwhile shows its end screen instead.
    failure: (error) => {
      if (isEndedError(error)) {
        onEnded();
        return {};
      }
      const refused = error instanceof ApiError ? error.fields['name'] : undefined;
      return refused ? { fields: { name: refused } } : { form: joinErrorMessage(error) };
    },
  });
  const nameError = form.errors['name'];

  return (
    <StatusScreen testId="join-form">
      <p className="muted small" style={{ margin: 0 }}>
        You are invited to
      </p>
      <h1 className="auth-card__title">{info.title}</h1>
      <p className="auth-card__subtitle">
        {info.scheduled_at ? `Scheduled for ${formatDateTime(info.scheduled_at)}.` : 'Join when you are ready.'} Room{' '}
        <span className="room-code">{info.room_code}</span>
      </p>
      {!invite ? (
        <Alert tone="error" title="This link is incomplete">
          The invite link is missing its secret part. Open the full link from your invitation.
        </Alert>
      ) : (
        <form className="form" onSubmit={form.onSubmit} noValidate aria-busy={form.pending}>
          {form.formError && <Alert tone="error">{form.formError}</Alert>}
          <Field id={NAME_ID} label="Your name" error={nameError} hint="Shown to your interviewers.">
            <input
              {...controlProps(NAME_ID, nameError, true)}
              className="input"
              autoComplete="name"
              autoFocus
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <RecordingNotice />
          <button type="submit" className="btn btn--primary btn--block" disabled={form.pending}>
            {form.pending ? 'Joining…' : 'Join interview'}
          </button>
        </form>
      )}
    </StatusScreen>
  );
}
