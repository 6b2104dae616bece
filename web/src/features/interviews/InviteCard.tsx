// The candidate invite link with a copy button, and the room code for reading out loud.
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';

export function InviteCard({ url, roomCode }: { url: string | undefined; roomCode: string }) {
  return (
    <Card
      title="Candidate invite"
      aside={
        <span className="muted small">
          Room code{' '}
          <span className="room-code" data-testid="room-code">
            {roomCode}
          </span>
        </span>
      }
    >
      {url ? (
        <>
          <label className="field__label" htmlFor="invite-url">
            Invite link
          </label>
          <div className="code-box" style={{ marginTop: 6 }}>
            <input
              id="invite-url"
              className="input"
              readOnly
              value={url}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="invite-url"
            />
            <CopyButton text={url} label="Copy link" />
          </div>
          <p className="field__hint" style={{ marginTop: 8 }}>
            Send this to the candidate only: anyone with the link can join as the candidate.
          </p>
        </>
      ) : (
        <p className="muted">Only interviewers can see the invite link.</p>
      )}
    </Card>
  );
}
