// Who is using the app: the account or candidate session from `GET /api/auth/me`, loaded once
// at start-up and updated on login/logout. Also installs the API client's 401 handler, which
// drops the session and sends the user to /login (remembering where they were).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import * as auth from '../../api/auth';
import { ApiError, setUnauthorizedHandler } from '../../api/client';
import type { CandidateIdentity, User } from '../../api/types';

export type Session =
  | { kind: 'loading' }
  /** `signedOut`: they just signed out here (so no "come back to this page" after the next sign-in). */
  | { kind: 'anonymous'; signedOut?: boolean }
  | { kind: 'user'; user: User }
  | { kind: 'candidate'; candidate: CandidateIdentity };

interface SessionContextValue {
  session: Session;
  /** The signed-in account, if any. */
  user: User | null;
  /** Re-reads `/api/auth/me` (after joining as a candidate, for example). */
  refresh: () => Promise<Session>;
  signedIn: (user: User) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export async function loadSession(signal?: AbortSignal): Promise<Session> {
  try {
    const me = await auth.fetchMe(signal);
    if (me.user) return { kind: 'user', user: me.user };
    if (me.candidate) return { kind: 'candidate', candidate: me.candidate };
    return { kind: 'anonymous' };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return { kind: 'anonymous' };
    throw error;
  }
}

/** The session, or anonymous when the server cannot be reached (pages show their own load errors). */
async function loadSessionOrAnonymous(signal?: AbortSignal): Promise<Session> {
  try {
    return await loadSession(signal);
  } catch {
    return { kind: 'anonymous' };
  }
}

export function loginPath(from: string): string {
  return from && from !== '/' && !from.startsWith('/login') ? `/login?next=${encodeURIComponent(from)}` : '/login';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname + location.search;

  const refresh = useCallback(async () => {
    const next = await loadSessionOrAnonymous();
    setSession(next);
    return next;
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void loadSessionOrAnonymous(controller.signal).then((next) => {
      if (!controller.signal.aborted) setSession(next);
    });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession({ kind: 'anonymous' });
      navigate(loginPath(here), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, here]);

  const signedIn = useCallback((user: User) => setSession({ kind: 'user', user }), []);
  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setSession({ kind: 'anonymous', signedOut: true });
    }
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      user: session.kind === 'user' ? session.user : null,
      refresh,
      signedIn,
      signOut,
    }),
    [session, refresh, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered under `<RequireUser>`. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser must be used under <RequireUser>');
  return user;
}
