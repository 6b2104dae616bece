// Account (c) Sessions: the browsers signed in to this account (read from the User-Agent they
// signed in with), when each signed in and until when it lasts, "this device" on the current one. Each other one can be signed out, or all of
// them at once ("Sign out everywhere else", after a confirmation).
import { useState } from 'react';
import { endOtherSessions, endSession, listSessions } from '../../api/account';
import { errorMessage } from '../../api/client';
import type { AccountSession } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { describeUserAgent } from '../../lib/userAgent';
import { useAsync } from '../../lib/useAsync';

/** `reloadKey` changes when something else ended sessions (a password change). */
export function SessionsCard({ reloadKey }: { reloadKey: number }) {
  const sessions = useAsync((signal) => listSessions(signal), [reloadKey]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const others = (sessions.data ?? []).filter((s) => !s.current);

  const onEnd = async (session: AccountSession) => {
    setBusy(session.id);
    setError(null);
    setNotice(null);
    try {
      await endSession(session.id);
      sessions.setData((prev) => (prev ?? []).filter((s) => s.id !== session.id));
      setNotice('That session was signed out.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const onEndOthers = async () => {
    setBusy('others');
    setError(null);
    setNotice(null);
    try {
      const ended = await endOtherSessions();
      sessions.setData((prev) => (prev ?? []).filter((s) => s.current));
      setNotice(`${ended} other ${ended === 1 ? 'session was' : 'sessions were'} signed out.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  };

  return (
    <Card
      title="Signed-in browsers"
      aside={
        others.length > 0 && (
          <button
            type="button"
            className="btn btn--danger-outline btn--small"
            onClick={() => setConfirming(true)}
            disabled={busy !== null}
          >
            Sign out everywhere else
          </button>
        )
      }
      bare
    >
      {(error || notice) && (
        <div className="card__body">
          {error && <Alert tone="error">{error}</Alert>}
          {notice && <Alert tone="success">{notice}</Alert>}
        </div>
      )}
      {sessions.loading && !sessions.data ? (
        <LoadingBlock label="Loading sessions…" />
      ) : sessions.error ? (
        <div className="card__body">
          <ErrorState error={sessions.error} onRetry={sessions.reload} />
        </div>
      ) : (
        <table className="table table--stack" data-testid="sessions">
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(sessions.data ?? []).map((s) => (
              <tr key={s.id}>
                <td data-label="Browser" className="cell-wrap">
                  <span title={s.user_agent ?? undefined}>{describeUserAgent(s.user_agent)}</span>
                  {s.current && <strong className="small"> · This device</strong>}
                </td>
                <td data-label="Signed in">{formatDateTime(s.created_at)}</td>
                <td data-label="Last active">
                  {s.current ? 'Now' : s.last_used_at ? formatDateTime(s.last_used_at) : 'Not since sign-in'}
                </td>
                <td data-label="Expires">{formatDateTime(s.expires_at)}</td>
                <td className="table__actions">
                  {!s.current && (
                    <button
                      type="button"
                      className="btn btn--ghost btn--small"
                      onClick={() => void onEnd(s)}
                      disabled={busy !== null}
                      aria-label={`Sign out ${describeUserAgent(s.user_agent)} (signed in ${formatDateTime(s.created_at)})`}
                    >
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere else?"
        confirmLabel="Sign out other sessions"
        busy={busy === 'others'}
        onConfirm={() => void onEndOthers()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Every other browser signed in to this account is signed out at once. This one stays signed in; API tokens keep
          working.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
