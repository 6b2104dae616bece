// Interview, participant and room-code endpoints (`/api/interviews*`).
import { request } from './client';
import type {
  ControlsInput,
  CreatedInterview,
  Interview,
  InterviewControls,
  InterviewDetail,
  InterviewInput,
  InterviewStatus,
  InvitableRole,
  JoinResult,
  ParticipantAdded,
  RoomInfo,
  Uuid,
} from './types';

const base = (id: Uuid) => `/api/interviews/${encodeURIComponent(id)}`;

export interface InterviewFilters {
  status?: InterviewStatus;
  /** Only this workspace's interviews (without it: all the caller's). */
  workspace?: Uuid;
}

export async function listInterviews(filters: InterviewFilters = {}, signal?: AbortSignal): Promise<Interview[]> {
  const res = await request<{ interviews: Interview[] }>('/api/interviews', {
    query: { status: filters.status, workspace: filters.workspace },
    ...(signal ? { signal } : {}),
  });
  return res.interviews;
}

export function createInterview(input: InterviewInput): Promise<CreatedInterview> {
  return request<CreatedInterview>('/api/interviews', { method: 'POST', body: input });
}

/** `redirectOn401: false` for candidate pages, which must not bounce to the interviewer login. */
export function getInterview(
  id: Uuid,
  options: { signal?: AbortSignal; redirectOn401?: boolean } = {},
): Promise<InterviewDetail> {
  return request<InterviewDetail>(base(id), options);
}

export async function updateInterview(id: Uuid, input: Partial<InterviewInput>): Promise<Interview> {
  const res = await request<{ interview: Interview }>(base(id), { method: 'PATCH', body: input });
  return res.interview;
}

/** Changes the interview's controls (host and interviewers); answers them as stored. */
export async function updateControls(id: Uuid, input: ControlsInput): Promise<InterviewControls> {
  const res = await request<{ controls: InterviewControls }>(`${base(id)}/controls`, { method: 'PATCH', body: input });
  return res.controls;
}

export async function deleteInterview(id: Uuid): Promise<void> {
  await request<undefined>(base(id), { method: 'DELETE' });
}

export async function startInterview(id: Uuid): Promise<Interview> {
  const res = await request<{ interview: Interview }>(`${base(id)}/start`, { method: 'POST' });
  return res.interview;
}

export async function endInterview(id: Uuid): Promise<Interview> {
  const res = await request<{ interview: Interview }>(`${base(id)}/end`, { method: 'POST' });
  return res.interview;
}

/** Adds a co-interviewer or observer; `email_sent` says whether they were emailed the interview's link. */
export function addParticipant(id: Uuid, email: string, role: InvitableRole): Promise<ParticipantAdded> {
  return request<ParticipantAdded>(`${base(id)}/participants`, { method: 'POST', body: { email, role } });
}

/**
 * Replaces the candidate's invite link (the old one stops working at once) and returns the new
 * one. The candidate is signed out unless `keepCandidateSession`.
 */
export async function renewInvite(id: Uuid, keepCandidateSession: boolean): Promise<string> {
  const res = await request<{ candidate_invite_url: string }>(`${base(id)}/invite`, {
    method: 'POST',
    body: { keep_candidate_session: keepCandidateSession },
  });
  return res.candidate_invite_url;
}

/** Emails the current invite link to the interview's candidate email; false when it was not sent. */
export async function sendInvite(id: Uuid): Promise<boolean> {
  const res = await request<{ email_sent: boolean }>(`${base(id)}/invite/send`, { method: 'POST' });
  return res.email_sent;
}

export async function removeParticipant(id: Uuid, participantId: Uuid): Promise<void> {
  await request<undefined>(`${base(id)}/participants/${encodeURIComponent(participantId)}`, {
    method: 'DELETE',
  });
}

/** Needs the invite secret unless the caller is already a participant (a returning candidate). */
export async function getRoom(code: string, invite: string, signal?: AbortSignal): Promise<RoomInfo> {
  const res = await request<{ room: RoomInfo }>(`/api/interviews/room/${encodeURIComponent(code)}`, {
    query: { invite },
    redirectOn401: false,
    ...(signal ? { signal } : {}),
  });
  return res.room;
}

export function joinRoom(code: string, name: string, invite: string): Promise<JoinResult> {
  return request<JoinResult>(`/api/interviews/room/${encodeURIComponent(code)}/join`, {
    method: 'POST',
    body: { name, invite },
    redirectOn401: false,
  });
}
