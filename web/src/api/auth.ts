// Account and session endpoints (`/api/auth/*`).
import { request } from './client';
import type { MeResponse, User } from './types';

export interface RegisterInput {
  email: string;
  name: string;
  password: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export async function register(input: RegisterInput): Promise<User> {
  const res = await request<{ user: User }>('/api/auth/register', {
    method: 'POST',
    body: input,
    redirectOn401: false,
  });
  return res.user;
}

export async function login(input: LoginInput): Promise<User> {
  const res = await request<{ user: User }>('/api/auth/login', {
    method: 'POST',
    body: input,
    redirectOn401: false,
  });
  return res.user;
}

/** The current session; 401 surfaces as an `ApiError` (no redirect) so guards can decide. */
export function fetchMe(signal?: AbortSignal): Promise<MeResponse> {
  return request<MeResponse>('/api/auth/me', signal ? { signal, redirectOn401: false } : { redirectOn401: false });
}

export async function logout(): Promise<void> {
  await request<undefined>('/api/auth/logout', { method: 'POST', redirectOn401: false });
}
