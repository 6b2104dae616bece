// Who may do what in a workspace, as the server enforces it (docs/api.md): owners and admins
// manage members, settings, invites and exports; only owners make or invite owners, and admins
// cannot change or remove owners; only owners delete the workspace. The UI mirrors these rules
// to hide what would be refused; the server stays the authority.
import type { WorkspaceRole } from '../../api/types';

export const canManage = (me: WorkspaceRole) => me === 'owner' || me === 'admin';

export const canDeleteWorkspace = (me: WorkspaceRole) => me === 'owner';

/** The roles `me` may give to someone (by invite or by changing their role). */
export function assignableRoles(me: WorkspaceRole): WorkspaceRole[] {
  if (me === 'owner') return ['owner', 'admin', 'member'];
  if (me === 'admin') return ['admin', 'member'];
  return [];
}

/** Whether `me` may change the role of, or remove, someone else who is `them`. */
export const canChangeMember = (me: WorkspaceRole, them: WorkspaceRole) =>
  me === 'owner' || (me === 'admin' && them !== 'owner');
