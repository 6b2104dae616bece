// The candidate invite link with a copy button, and the room code for reading out loud. Hosts
// and interviewers may regenerate the link (behind a confirmation that says the old link stops
// working, with the choice to keep a joined candidate signed in) and, when the server sends
// email, email it to the candidate, with a notice saying whether it went out.
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { renewInvite, sendInvite } from '../../api/interviews';
import type { Uuid } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';

export interface InviteCardProps {
  interviewId: Uuid;
  /** The invite link; absent for people who may not see it. */
  url: string | undefined;
  roomCode: string;
  /** Where the invite is emailed (the interview's candidate email), if anywhere. */
  candidateEmail: string | null;
  /** The server sends email (`email_enabled`). */
  emailEnabled: boolean;
  /** Called with the new link after a regeneration. */
  onRenewed: (url: string) => void;
}

type Notice = { tone: 'success' | 'error' | 'info'; text: string };

export function InviteCard({ interviewId, url, roomCode, candidateEmail, emailEnabled, onRenewed }: InviteCardProps) {
  const [confirming, setConfirming] = useState(false);
  const [keepSession, setKeepSession] = useState(false);
  const [pending, setPending] = useState<'renew' | 'send' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const regenerate = async () => {
    setPending('renew');
    setNotice(null);
    try {
      const next = await renewInvite(interviewId, keepSession);
      onRenewed(next);
      setNotice({
        tone: 'success',
        text: keepSession
          ? 'New link ready. The old link no longer works; the candidate stays signed in.'
          : 'New link ready. The old link no longer works and the candidate was signed out.',
      });
    } catch (err) {
      setNotice({ tone: 'error', text: errorMessage(err) });
    } finally {
      setPending(null);
      setConfirming(false);
      setKeepSession(false);
    }
  };

  const email = async () => {
    setPending('send');
    setNotice(null);
    try {
      const sent = await sendInvite(interviewId);
      setNotice(
        sent
          ? { tone: 'success', text: `Invite emailed to ${candidateEmail ?? 'the candidate'}.` }
          : { tone: 'error', text: 'The email could not be sent. Copy the link and send it yourself.' },
      );
    } catch (err) {
      setNotice({ tone: 'error', text: errorMessage(err) });
    } finally {
      setPending(null);
    }
  };

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
          {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
          <div className="row" style={{ marginTop: 8, flexWrap: 'wrap' }}>
            {emailEnabled && (
              <button
                type="button"
                className="btn btn--secondary btn--small"
                onClick={() => void email()}
                disabled={pending !== null || !candidateEmail}
                aria-describedby={candidateEmail ? undefined : 'invite-email-hint'}
              >
                {pending === 'send' ? 'Sending…' : 'Email invite'}
              </button>
            )}
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => setConfirming(true)}
              disabled={pending !== null}
            >
              Regenerate link
            </button>
          </div>
          {emailEnabled && !candidateEmail && (
            <p className="field__hint" id="invite-email-hint">
              Add the candidate&apos;s email to the interview to email the invite.
            </p>
          )}
        </>
      ) : (
        <p className="muted">Only interviewers can see the invite link.</p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Regenerate the invite link?"
        confirmLabel="Regenerate link"
        busy={pending === 'renew'}
        onConfirm={() => void regenerate()}
        onCancel={() => {
          setConfirming(false);
          setKeepSession(false);
        }}
      >
        <p>
          The current link stops working at once: nobody can join with it any more. Send the new link to the candidate.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={keepSession} onChange={(e) => setKeepSession(e.target.checked)} />
          Keep the candidate&apos;s current session
        </label>
        <p className="field__hint">
          If the candidate has already joined, they stay in. Otherwise they are signed out and join again with the new
          link.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
