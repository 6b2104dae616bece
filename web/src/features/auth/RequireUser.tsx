// Route guard: renders its children only for a signed-in account, otherwise sends the
// visitor to /login?next=<here> (plain /login right after signing out). Waits (with a
// spinner) while the session is being loaded.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { LoadingBlock } from '../../components/Spinner';
import { loginPath, useSession } from './session';

export function RequireUser({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (session.kind === 'loading') return <LoadingBlock label="Checking your session…" />;
  if (session.kind !== 'user') {
    const signedOut = session.kind === 'anonymous' && session.signedOut === true;
    return <Navigate to={signedOut ? '/login' : loginPath(location.pathname + location.search)} replace />;
  }
  return <>{children}</>;
}
