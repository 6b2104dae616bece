// /invites/:token: a workspace invitation. Shows who invited you to which workspace, as what,
// and until when; then, depending on who is looking: the invited account accepts it (and lands
// on that workspace's dashboard), another account is told which email it is for and may sign
// out, and a visitor may create an account (locked to the invited email) or sign in and come
// back here. Used, expired and unknown links get a clear message.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import type { InvitePreview, User } from '../../api/types';
import { acceptInvite, getInvitePreview } from '../../api/workspaces';
import * as auth from '../../api/auth';
import { Alert } from '../../components/Alert';
import { WORKSPACE_ROLE_LABELS } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { AuthCard } from '../auth/AuthCard';
import { useSession } from '../auth/session';
import { useWorkspaces } from './currentWorkspace';
import { inviteProblem } from './inviteProblems';
import { dashboardPath } from './workspacePaths';

export default function InvitePage() {
  const { token = '' } = useParams();
  const { session } = useSession();
  const preview = useAsync((signal) => getInvitePreview(token, signal), [token]);

  useEffect(() => {
    document.title = 'Workspace invitation · CodeView';
  }, []);

  if (preview.loading) {
    return (
      <AuthCard title="Workspace invitation" subtitle="Opening your invitation…">
        <LoadingBlock />
      </AuthCard>
    );
  }
  if (preview.error || !preview.data) {
    const problem = inviteProblem(preview.error);
    if (problem) {
      return <AuthCard title={problem.title} subtitle={problem.detail} footer={<Link to="/">Go to CodeView</Link>} />;
    }
    return (
      <AuthCard title="Workspace invitation">
        <ErrorState error={preview.error} onRetry={preview.reload} />
      </AuthCard>
    );
  }

  const invite = preview.data;
  return (
    <AuthCard title={`Join ${invite.workspace_name}`} subtitle={<InviteSummary invite={invite} />}>
      {session.kind === 'loading' ? (
        <LoadingBlock label="Checking your session…" />
      ) : session.kind === 'user' ? (
        sameEmail(session.user.email, invite.email) ? (
          <AcceptInvitation token={token} invite={invite} />
        ) : (
          <WrongAccount user={session.user} invite={invite} />
        )
      ) : (
        <SignedOutChoices token={token} invite={invite} />
      )}
    </AuthCard>
  );
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function InviteSummary({ invite }: { invite: InvitePreview }) {
  const role = WORKSPACE_ROLE_LABELS[invite.role].toLowerCase();
  return (
    <>
      <span data-testid="invite-summary">
        {invite.invited_by ? <strong>{invite.invited_by}</strong> : 'Someone'} invited you to join{' '}
        <strong>{invite.workspace_name}</strong> as {/^[aeiou]/.test(role) ? 'an' : 'a'} {role}.
      </span>{' '}
      <span className="small">
        For {invite.email}; expires {formatDateTime(invite.expires_at)}.
      </span>
    </>
  );
}

function AcceptInvitation({ token, invite }: { token: string; invite: InvitePreview }) {
  const { joined } = useWorkspaces();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onAccept = async () => {
    setBusy(true);
    setError(null);
    try {
      const workspace = await acceptInvite(token);
      joined(workspace);
      navigate(dashboardPath(workspace.id), { replace: true });
    } catch (err) {
      const problem = inviteProblem(err);
      setError(problem ? `${problem.title}. ${problem.detail}` : errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div className="form">
      {error && (
        <Alert tone="error">
          <p>{error}</p>
          <Link to="/">Go to your dashboard</Link>
        </Alert>
      )}
      <button
        type="button"
        className="btn btn--primary btn--block"
        onClick={() => void onAccept()}
        disabled={busy}
        autoFocus
      >
        {busy ? 'Joining…' : 'Accept invitation'}
      </button>
      <p className="muted small">You will see {invite.workspace_name}'s questions and interviews at once.</p>
    </div>
  );
}

function WrongAccount({ user, invite }: { user: User; invite: InvitePreview }) {
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const onSignOut = async () => {
    setBusy(true);
    try {
      await signOut();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form">
      <Alert tone="warning" title="This invitation is for another account">
        <p>
          It was sent to <strong>{invite.email}</strong>, but you are signed in as <strong>{user.email}</strong>. Sign
          out, then sign in or create an account with {invite.email}.
        </p>
      </Alert>
      <button type="button" className="btn btn--secondary btn--block" onClick={() => void onSignOut()} disabled={busy}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}

function SignedOutChoices({ token, invite }: { token: string; invite: InvitePreview }) {
  // A closed server refuses every registration, invitations included.
  const registration = useAsync((signal) => auth.registrationMode(signal), []);
  const here = `/invites/${encodeURIComponent(token)}`;
  return (
    <div className="form">
      {registration.data !== 'closed' && (
        <div className="choice">
          <p className="choice__lead">New to CodeView?</p>
          <Link className="btn btn--primary btn--block" to={`/register?invite=${encodeURIComponent(token)}`}>
            Create an account
          </Link>
        </div>
      )}
      <div className="choice">
        <p className="choice__lead">Already have an account with {invite.email}?</p>
        <Link className="btn btn--secondary btn--block" to={`/login?next=${encodeURIComponent(here)}`}>
          Sign in
        </Link>
      </div>
    </div>
  );
}
