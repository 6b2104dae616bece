// Workspace (hiring team) endpoints: workspaces, their members and invites (`/api/workspaces*`),
// and the invite links people open (`/api/workspace-invites/{token}`).
import { request, requestBlob } from './client';
import type {
  CreatedWorkspaceInvite,
  InvitePreview,
  Uuid,
  Workspace,
  WorkspaceInput,
  WorkspaceInvite,
  WorkspaceMember,
  WorkspaceRole,
} from './types';

const base = (id: Uuid) => `/api/workspaces/${encodeURIComponent(id)}`;
const inviteLink = (token: string) => `/api/workspace-invites/${encodeURIComponent(token)}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

/** The caller's workspaces, by name. */
export async function listWorkspaces(signal?: AbortSignal): Promise<Workspace[]> {
  const res = await request<{ workspaces: Workspace[] }>('/api/workspaces', withSignal(signal));
  return res.workspaces;
}

/** A new workspace owned by the caller. */
export async function createWorkspace(name: string): Promise<Workspace> {
  const res = await request<{ workspace: Workspace }>('/api/workspaces', { method: 'POST', body: { name } });
  return res.workspace;
}

export async function getWorkspace(id: Uuid, signal?: AbortSignal): Promise<Workspace> {
  const res = await request<{ workspace: Workspace }>(base(id), withSignal(signal));
  return res.workspace;
}

/** Owner/admin only (a member gets 403). */
export async function updateWorkspace(id: Uuid, input: WorkspaceInput): Promise<Workspace> {
  const res = await request<{ workspace: Workspace }>(base(id), { method: 'PATCH', body: input });
  return res.workspace;
}

/** Owner only: deletes its questions, interviews, runs, invites and memberships. */
export async function deleteWorkspace(id: Uuid): Promise<void> {
  await request<undefined>(base(id), { method: 'DELETE' });
}

/** The whole workspace as one JSON document, as the server wrote it (owner/admin). */
export function exportWorkspace(id: Uuid): Promise<Blob> {
  return requestBlob(`${base(id)}/export`);
}

export async function listMembers(id: Uuid, signal?: AbortSignal): Promise<WorkspaceMember[]> {
  const res = await request<{ members: WorkspaceMember[] }>(`${base(id)}/members`, withSignal(signal));
  return res.members;
}

export async function updateMemberRole(id: Uuid, userId: Uuid, role: WorkspaceRole): Promise<WorkspaceMember> {
  const res = await request<{ member: WorkspaceMember }>(`${base(id)}/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { role },
  });
  return res.member;
}

/** Removes a member (owner/admin), or the caller themselves (leaving). */
export async function removeMember(id: Uuid, userId: Uuid): Promise<void> {
  await request<undefined>(`${base(id)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

export function createInvite(id: Uuid, email: string, role: WorkspaceRole): Promise<CreatedWorkspaceInvite> {
  return request<CreatedWorkspaceInvite>(`${base(id)}/invites`, { method: 'POST', body: { email, role } });
}

/** Pending invites (owner/admin). */
export async function listInvites(id: Uuid, signal?: AbortSignal): Promise<WorkspaceInvite[]> {
  const res = await request<{ invites: WorkspaceInvite[] }>(`${base(id)}/invites`, withSignal(signal));
  return res.invites;
}

export async function revokeInvite(id: Uuid, inviteId: Uuid): Promise<void> {
  await request<undefined>(`${base(id)}/invites/${encodeURIComponent(inviteId)}`, { method: 'DELETE' });
}

/** What an invite link offers; anyone may ask (404 unknown, 409 `invite_used` / `invite_expired`). */
export async function getInvitePreview(token: string, signal?: AbortSignal): Promise<InvitePreview> {
  const res = await request<{ invite: InvitePreview }>(inviteLink(token), {
    redirectOn401: false,
    ...withSignal(signal),
  });
  return res.invite;
}

/** Joins the invite's workspace as the signed-in account (which must use the invited email). */
export async function acceptInvite(token: string): Promise<Workspace> {
  const res = await request<{ workspace: Workspace }>(`${inviteLink(token)}/accept`, { method: 'POST' });
  return res.workspace;
}
