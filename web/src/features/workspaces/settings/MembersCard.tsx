// Settings (b) Members: everyone in the workspace with their role and when they joined. Owners
// and admins change roles and remove people (within workspaceRoles' rules, after a
// confirmation saying what removal does); anyone may leave. Leaving or being refused (the last
// owner, say) is explained with the server's message.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../../api/client';
import {
  WORKSPACE_ROLES,
  type User,
  type Workspace,
  type WorkspaceMember,
  type WorkspaceRole,
} from '../../../api/types';
import { listMembers, removeMember, updateMemberRole } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { WORKSPACE_ROLE_LABELS, WorkspaceRoleBadge } from '../../../components/Badges';
import { Card } from '../../../components/Card';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingBlock } from '../../../components/Spinner';
import { formatDate } from '../../../lib/format';
import { useAsync } from '../../../lib/useAsync';
import { useWorkspaces } from '../currentWorkspace';
import { assignableRoles, canChangeMember } from '../workspaceRoles';

const ROLE_ORDER: Record<WorkspaceRole, number> = { owner: 0, admin: 1, member: 2 };

export function MembersCard({ workspace, me }: { workspace: Workspace; me: User }) {
  const { gone } = useWorkspaces();
  const navigate = useNavigate();
  const members = useAsync((signal) => listMembers(workspace.id, signal), [workspace.id]);
  const [leaving, setLeaving] = useState<WorkspaceMember | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const myRole = workspace.my_role;
  const offered = assignableRoles(myRole);

  const onRole = async (member: WorkspaceMember, role: WorkspaceRole) => {
    setError(null);
    try {
      const updated = await updateMemberRole(workspace.id, member.user_id, role);
      members.setData((prev) => (prev ?? []).map((m) => (m.user_id === updated.user_id ? updated : m)));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const onRemove = async () => {
    if (!leaving) return;
    const self = leaving.user_id === me.id;
    setBusy(true);
    setError(null);
    try {
      await removeMember(workspace.id, leaving.user_id);
      setLeaving(null);
      if (self) {
        gone(workspace.id);
        navigate('/', { replace: true });
        return;
      }
      members.setData((prev) => (prev ?? []).filter((m) => m.user_id !== leaving.user_id));
    } catch (err) {
      setError(errorMessage(err));
      setLeaving(null);
    } finally {
      setBusy(false);
    }
  };

  const sorted = [...(members.data ?? [])].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name),
  );
  const removingSelf = leaving?.user_id === me.id;

  return (
    <Card title="Members" aside={members.data && <span className="muted small">{members.data.length}</span>} bare>
      {error && (
        <div className="card__body">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      {members.loading && !members.data ? (
        <LoadingBlock label="Loading members…" />
      ) : members.error ? (
        <div className="card__body">
          <ErrorState error={members.error} onRetry={members.reload} />
        </div>
      ) : (
        <table className="table table--stack" data-testid="members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((m) => {
              const self = m.user_id === me.id;
              const manageable = !self && canChangeMember(myRole, m.role);
              return (
                <tr key={m.user_id}>
                  <td data-label="Name">
                    <strong>{m.name}</strong>
                    {self && <span className="muted small"> (you)</span>}
                  </td>
                  <td data-label="Email" className="cell-wrap">
                    {m.email}
                  </td>
                  <td data-label="Role">
                    {manageable ? (
                      <select
                        className="select select--small"
                        aria-label={`Role of ${m.name}`}
                        value={m.role}
                        onChange={(e) => void onRole(m, e.target.value as WorkspaceRole)}
                      >
                        {WORKSPACE_ROLES.filter((r) => r === m.role || offered.includes(r)).map((r) => (
                          <option key={r} value={r}>
                            {WORKSPACE_ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <WorkspaceRoleBadge role={m.role} />
                    )}
                  </td>
                  <td data-label="Joined">{formatDate(m.joined_at)}</td>
                  <td className="table__actions">
                    {self ? (
                      <button
                        type="button"
                        className="btn btn--danger-outline btn--small"
                        onClick={() => setLeaving(m)}
                      >
                        Leave workspace
                      </button>
                    ) : (
                      manageable && (
                        <button
                          type="button"
                          className="btn btn--ghost btn--small"
                          onClick={() => setLeaving(m)}
                          aria-label={`Remove ${m.name}`}
                        >
                          Remove
                        </button>
                      )
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={leaving !== null}
        title={removingSelf ? `Leave ${workspace.name}?` : `Remove ${leaving?.name ?? ''}?`}
        confirmLabel={removingSelf ? 'Leave workspace' : 'Remove member'}
        busy={busy}
        onConfirm={() => void onRemove()}
        onCancel={() => setLeaving(null)}
      >
        {removingSelf ? (
          <p>
            You lose access to its questions and interviews at once, and the interviews you host pass to an owner. To
            come back you need a new invitation.
          </p>
        ) : (
          <p>
            {leaving?.name} loses access to {workspace.name}’s questions and interviews at once and is removed from its
            interviews. The interviews they host pass to an owner.
          </p>
        )}
      </ConfirmDialog>
    </Card>
  );
}
