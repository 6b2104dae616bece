// Settings (c) Invite people (the section `#invite` that other pages link to): owners and admins
// invite by email and role and get the invite link to copy, with whether it was emailed; the
// pending invitations are listed with their expiry and can be revoked (the link dies). Members
// are told to ask an owner or admin.
import { useState } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import type { CreatedWorkspaceInvite, Workspace, WorkspaceInvite, WorkspaceRole } from '../../../api/types';
import { createInvite, listInvites, revokeInvite } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { WORKSPACE_ROLE_LABELS, WorkspaceRoleBadge } from '../../../components/Badges';
import { Card } from '../../../components/Card';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorState } from '../../../components/ErrorState';
import { Field, controlProps } from '../../../components/Field';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime } from '../../../lib/format';
import { useAsync, type AsyncState } from '../../../lib/useAsync';
import { useFormSubmit } from '../../../lib/useFormSubmit';
import { isEmail } from '../../../lib/validation';
import { assignableRoles, canManage } from '../workspaceRoles';

export const INVITE_SECTION_ID = 'invite';
const EMAIL_ID = 'invite-email';

export function InvitePeopleCard({ workspace }: { workspace: Workspace }) {
  if (!canManage(workspace.my_role)) {
    return (
      <div id={INVITE_SECTION_ID}>
        <Card title="Invite people">
          <p className="muted">
            Only owners and admins can invite people to {workspace.name}. Ask one of them to send an invitation.
          </p>
        </Card>
      </div>
    );
  }
  return <InviteForm workspace={workspace} />;
}

function InviteForm({ workspace }: { workspace: Workspace }) {
  const roles = assignableRoles(workspace.my_role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<WorkspaceRole>('member');
  const [created, setCreated] = useState<CreatedWorkspaceInvite | null>(null);
  const pending = useAsync((signal) => listInvites(workspace.id, signal), [workspace.id]);

  const form = useFormSubmit({
    fieldOrder: ['email'],
    fieldIds: { email: EMAIL_ID },
    validate: () => (isEmail(email) ? {} : { email: 'Enter the email address of the person to invite.' }),
    submit: async () => {
      const result = await createInvite(workspace.id, email.trim(), role);
      setCreated(result);
      setEmail('');
      pending.setData((prev) => [result.invite, ...(prev ?? []).filter((i) => i.email !== result.invite.email)]);
    },
    // Someone already in the workspace is refused on the email too.
    failure: (error) => {
      const refused =
        error instanceof ApiError
          ? (error.fields['email'] ?? (error.code === 'already_member' ? error.message : undefined))
          : undefined;
      return refused ? { fields: { email: refused } } : { form: errorMessage(error) };
    },
  });
  const emailError = form.errors['email'];

  return (
    <div id={INVITE_SECTION_ID}>
      <Card title="Invite people" bare>
        <form className="card__body stack" onSubmit={form.onSubmit} noValidate aria-busy={form.pending}>
          <p className="muted small">The invitation link is valid for 7 days and works once.</p>
          {form.formError && <Alert tone="error">{form.formError}</Alert>}
          <div className="invite-form">
            <Field id={EMAIL_ID} label="Email" error={emailError} className="field--grow">
              <input
                {...controlProps(EMAIL_ID, emailError)}
                type="email"
                className="input"
                placeholder="colleague@company.com"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <Field id="invite-role" label="Role">
              <select
                id="invite-role"
                className="select"
                value={role}
                onChange={(e) => setRole(e.target.value as WorkspaceRole)}
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {WORKSPACE_ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" className="btn btn--primary" disabled={form.pending}>
              {form.pending ? 'Inviting…' : 'Invite'}
            </button>
          </div>
          {created && <CreatedInvite created={created} />}
        </form>
        <PendingInvites workspace={workspace} pending={pending} />
      </Card>
    </div>
  );
}

function CreatedInvite({ created }: { created: CreatedWorkspaceInvite }) {
  return (
    <Alert tone={created.email_sent ? 'success' : 'info'} title={`Invitation for ${created.invite.email}`}>
      <label className="field__label" htmlFor="workspace-invite-url">
        Invite link
      </label>
      <div className="code-box" style={{ margin: '6px 0 8px' }}>
        <input
          id="workspace-invite-url"
          className="input"
          readOnly
          value={created.invite_url}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="workspace-invite-url"
        />
        <CopyButton text={created.invite_url} label="Copy link" />
      </div>
      <p data-testid="invite-delivery">
        {created.email_sent
          ? `Email sent to ${created.invite.email}.`
          : 'Email is not configured on this server: copy the link and send it yourself.'}
      </p>
    </Alert>
  );
}

interface PendingInvitesProps {
  workspace: Workspace;
  pending: AsyncState<WorkspaceInvite[]>;
}

function PendingInvites({ workspace, pending }: PendingInvitesProps) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onRevoke = async (invite: WorkspaceInvite) => {
    setRevoking(invite.id);
    setError(null);
    try {
      await revokeInvite(workspace.id, invite.id);
      pending.setData((prev) => (prev ?? []).filter((i) => i.id !== invite.id));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRevoking(null);
    }
  };

  const invites = pending.data ?? [];
  return (
    <div className="pending-invites">
      <h3 className="section-title card__body">
        Pending invitations {pending.loading && <Spinner label="Loading invitations" />}
      </h3>
      {error && (
        <div className="card__body">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      {pending.error ? (
        <div className="card__body">
          <ErrorState error={pending.error} onRetry={pending.reload} />
        </div>
      ) : invites.length === 0 ? (
        !pending.loading && <p className="card__body muted small">No pending invitations.</p>
      ) : (
        <ul className="list" data-testid="pending-invites">
          {invites.map((invite) => (
            <li key={invite.id} className="list__item list__item--wrap">
              <div className="list__main">
                <div className="cell-wrap">{invite.email}</div>
                <div className="muted small">
                  Expires {formatDateTime(invite.expires_at)}
                  {invite.invited_by && ` · invited by ${invite.invited_by}`}
                </div>
              </div>
              <WorkspaceRoleBadge role={invite.role} />
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => void onRevoke(invite)}
                disabled={revoking === invite.id}
                aria-label={`Revoke the invitation for ${invite.email}`}
              >
                {revoking === invite.id ? 'Revoking…' : 'Revoke'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
