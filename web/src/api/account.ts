// The signed-in account's own settings: name, password, browser sessions and API tokens
// (`/api/auth/me`, `/api/auth/password`, `/api/auth/sessions*`, `/api/auth/tokens*`).
import { request } from './client';
import type { AccountSession, ApiToken, ChangePasswordInput, CreatedToken, PasswordChanged, User, Uuid } from './types';

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export async function updateName(name: string): Promise<User> {
  const res = await request<{ user: User }>('/api/auth/me', { method: 'PATCH', body: { name } });
  return res.user;
}

/** Signs out every other session; a wrong current password is a field error on `current_password`. */
export function changePassword(input: ChangePasswordInput): Promise<PasswordChanged> {
  return request<PasswordChanged>('/api/auth/password', { method: 'POST', body: input });
}

export async function listSessions(signal?: AbortSignal): Promise<AccountSession[]> {
  const res = await request<{ sessions: AccountSession[] }>('/api/auth/sessions', withSignal(signal));
  return res.sessions;
}

export async function endSession(id: Uuid): Promise<void> {
  await request<undefined>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** "Sign out everywhere else": every session but this one; how many ended. */
export async function endOtherSessions(): Promise<number> {
  const res = await request<{ sessions_ended: number }>('/api/auth/sessions', { method: 'DELETE' });
  return res.sessions_ended;
}

export async function listTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const res = await request<{ tokens: ApiToken[] }>('/api/auth/tokens', withSignal(signal));
  return res.tokens;
}

/** `expiresInDays` 1–365; the server's default (90) when omitted. */
export function createToken(name: string, expiresInDays?: number): Promise<CreatedToken> {
  const body = expiresInDays === undefined ? { name } : { name, expires_in_days: expiresInDays };
  return request<CreatedToken>('/api/auth/tokens', { method: 'POST', body });
}

export async function revokeToken(id: Uuid): Promise<void> {
  await request<undefined>(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
