// Account and session endpoints (`/api/auth/*`).
import { request } from './client';
import type { MeResponse, RegistrationMode, User } from './types';

export interface RegisterInput {
  email: string;
  name: string;
  password: string;
  /** A workspace invite token: the account joins that workspace (and gets no personal one). */
  invite?: string;
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

/**
 * Who may create an account on this server now (`--registration`): `open` while the install
 * has no account yet, whatever the mode, since its first account may always register.
 */
export async function registrationMode(signal?: AbortSignal): Promise<RegistrationMode> {
  const res = await request<{ mode: RegistrationMode; first_account?: boolean }>('/api/auth/registration', {
    redirectOn401: false,
    ...(signal ? { signal } : {}),
  });
  return res.first_account ? 'open' : res.mode;
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
