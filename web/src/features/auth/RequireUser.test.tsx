// Component tests for the route guard and the session's global 401 handling.
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { RequireUser } from './RequireUser';
import { useSession, useUser } from './session';
import { useEffect } from 'react';
import { listInterviews } from '../../api/interviews';

function Secret() {
  const user = useUser();
  return <p>secret for {user.name}</p>;
}

/** Makes one signed-in API call that the server answers with 401 (session expired). */
function ExpiringPage() {
  useEffect(() => {
    listInterviews().catch(() => undefined);
  }, []);
  return <p>expiring</p>;
}

function SignOutButton() {
  const { signOut } = useSession();
  return (
    <button type="button" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('RequireUser', () => {
  it('redirects anonymous visitors to /login with next', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
    });
    renderRoutes(
      {
        '/questions': (
          <RequireUser>
            <Secret />
          </RequireUser>
        ),
        '/login': <p>login page</p>,
      },
      '/questions',
    );
    await screen.findByText('login page');
    expect(screen.getByTestId('location').textContent).toBe('/login?next=%2Fquestions');
  });

  it('treats a candidate session as not signed in', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: null, candidate: { interview_id: 'i', name: 'C' } } }),
    });
    renderRoutes(
      {
        '/': (
          <RequireUser>
            <Secret />
          </RequireUser>
        ),
        '/login': <p>login page</p>,
      },
      '/',
    );
    await screen.findByText('login page');
  });

  it('renders the page for a signed-in user', async () => {
    installFetch({ 'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }) });
    renderRoutes(
      {
        '/': (
          <RequireUser>
            <Secret />
          </RequireUser>
        ),
      },
      '/',
    );
    await screen.findByText('secret for Ada Lovelace');
  });

  it('sends the user to /login when a later API call returns 401', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } }),
    });
    renderRoutes(
      {
        '/': (
          <RequireUser>
            <ExpiringPage />
          </RequireUser>
        ),
        '/login': <p>login page</p>,
      },
      '/',
    );
    await screen.findByText('login page');
    expect(screen.getByTestId('location').textContent).toBe('/login');
  });

  it('sends someone who signs out to a plain /login (no way back to their page)', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'POST /api/auth/logout': () => ({ status: 204 }),
    });
    const page = (
      <RequireUser>
        <SignOutButton />
      </RequireUser>
    );
    renderRoutes({ '/questions': page, '/login': <p>login page</p> }, '/questions?workspace=w1');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByText('login page');
    expect(screen.getByTestId('location').textContent).toBe('/login');
  });
});
