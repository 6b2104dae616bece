// Component tests for the account page against a stubbed API: renaming, the password change
// (client checks, the server's field errors on the fields, what success says), the sessions
// (this device, signing others out) and the API tokens (the secret shown once, revoking
// behind a confirmation).
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { RequireUser } from '../auth/RequireUser';
import { formatDateTime } from '../../lib/format';
import AccountPage from './AccountPage';

const here = {
  id: 's1',
  created_at: '2026-12-01T09:00:00Z',
  expires_at: '2026-12-31T09:00:00Z',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  last_used_at: '2026-12-05T09:00:00Z',
  current: true,
};
const phone = {
  ...here,
  id: 's2',
  created_at: '2026-12-02T09:00:00Z',
  user_agent: null,
  last_used_at: '2026-12-03T17:30:00Z',
  current: false,
};
const ciToken = {
  id: 't1',
  name: 'CI pipeline',
  created_at: '2026-12-01T10:00:00Z',
  expires_at: '2099-03-01T10:00:00Z',
  last_used_at: null,
};

function routes(extra = {}) {
  return {
    'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
    'GET /api/workspaces': () => ({ status: 200, body: { workspaces: [] } }),
    'GET /api/auth/sessions': () => ({ status: 200, body: { sessions: [here, phone] } }),
    'GET /api/auth/tokens': () => ({ status: 200, body: { tokens: [ciToken] } }),
    ...extra,
  };
}

const renderAccount = () =>
  renderRoutes(
    {
      '/account': (
        <RequireUser>
          <AccountPage />
        </RequireUser>
      ),
    },
    '/account',
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('AccountPage', () => {
  it('shows the name, the sessions with this device marked, and the tokens', async () => {
    installFetch(routes());
    renderAccount();
    const name = (await screen.findByLabelText('Name')) as HTMLInputElement;
    expect(name.value).toBe('Ada Lovelace');
    const sessions = await screen.findByTestId('sessions');
    const rows = within(sessions).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Firefox on Linux')).toBeTruthy();
    expect(within(rows[0]!).getByText(/This device/)).toBeTruthy();
    expect(within(rows[1]!).getByText('Unknown browser')).toBeTruthy();
    expect(within(rows[0]!).getByText('Now')).toBeTruthy();
    expect(rows[1]!.querySelector('[data-label="Last active"]')?.textContent).toBe(
      formatDateTime('2026-12-03T17:30:00Z'),
    );
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    expect(within(rows[1]!).getByRole('button', { name: /Sign out Unknown browser/ })).toBeTruthy();
    const tokens = await screen.findByTestId('tokens');
    expect(within(tokens).getByText('CI pipeline')).toBeTruthy();
    expect(within(tokens).getByText('Never')).toBeTruthy();
  });

  it('renames the account', async () => {
    const calls = installFetch(
      routes({
        'PATCH /api/auth/me': () => ({ status: 200, body: { user: { ...sampleUser, name: 'Ada King' } } }),
      }),
    );
    renderAccount();
    const name = await screen.findByLabelText('Name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Ada King');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Ada King' });
  });

  it('checks the new password twice before sending anything', async () => {
    const calls = installFetch(routes());
    renderAccount();
    await userEvent.type(await screen.findByLabelText('Current password'), 'old password');
    await userEvent.type(screen.getByLabelText('New password'), 'new password 1');
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'new password 2');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The two new passwords do not match.')).toBeTruthy();
    expect(document.activeElement?.id).toBe('confirm_password');
    expect(calls.some((c) => c.url.includes('/api/auth/password'))).toBe(false);
  });

  it("shows the server's wrong-current-password error on its field", async () => {
    installFetch(
      routes({
        'POST /api/auth/password': () => ({
          status: 422,
          body: {
            error: {
              code: 'validation_failed',
              message: 'Invalid current_password: is not your current password.',
              fields: { current_password: 'is not your current password' },
            },
          },
        }),
      }),
    );
    renderAccount();
    await userEvent.type(await screen.findByLabelText('Current password'), 'wrong one');
    await userEvent.type(screen.getByLabelText('New password'), 'brand new passphrase');
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'brand new passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('is not your current password')).toBeTruthy();
    const current = screen.getByLabelText('Current password');
    expect(current.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(current));
  });

  it('changes the password, says what it signed out and reloads the sessions', async () => {
    let sessionLoads = 0;
    const calls = installFetch(
      routes({
        'GET /api/auth/sessions': () => {
          sessionLoads += 1;
          return { status: 200, body: { sessions: sessionLoads === 1 ? [here, phone] : [here] } };
        },
        'POST /api/auth/password': () => ({ status: 200, body: { sessions_ended: 1, tokens_revoked: 1 } }),
      }),
    );
    renderAccount();
    await userEvent.type(await screen.findByLabelText('Current password'), 'old password');
    await userEvent.type(screen.getByLabelText('New password'), 'brand new passphrase');
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'brand new passphrase');
    await userEvent.click(screen.getByLabelText('Also revoke all API tokens'));
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Password changed: 1 other session signed out, 1 API token revoked.')).toBeTruthy();
    expect(calls.find((c) => c.url.includes('/api/auth/password'))?.body).toEqual({
      current_password: 'old password',
      new_password: 'brand new passphrase',
      sign_out_tokens: true,
    });
    await waitFor(() => expect(within(screen.getByTestId('sessions')).getAllByRole('row')).toHaveLength(2));
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });

  it('signs out everywhere else after a confirmation', async () => {
    const calls = installFetch(
      routes({ 'DELETE /api/auth/sessions': () => ({ status: 200, body: { sessions_ended: 1 } }) }),
    );
    renderAccount();
    await screen.findByTestId('sessions');
    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere else' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sign out other sessions' }));
    expect(await screen.findByText('1 other session was signed out.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/api/auth/sessions'))).toBe(true);
    expect(within(screen.getByTestId('sessions')).getAllByRole('row')).toHaveLength(2);
  });

  it('creates a token, shows its secret once, and revokes one behind a confirmation', async () => {
    let listed = [ciToken];
    const calls = installFetch(
      routes({
        'GET /api/auth/tokens': () => ({ status: 200, body: { tokens: listed } }),
        'POST /api/auth/tokens': () => {
          const made = { id: 't2', name: 'Laptop script', expires_at: '2099-01-01T00:00:00Z' };
          listed = [...listed, { ...made, created_at: '2026-12-05T00:00:00Z', last_used_at: null }];
          return { status: 201, body: { ...made, token: 'cvt_secret123' } };
        },
        'DELETE /api/auth/tokens/t1': () => ({ status: 204 }),
      }),
    );
    renderAccount();
    await screen.findByTestId('tokens');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText('Name the token (what will use it?).')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Token name'), 'Laptop script');
    await userEvent.selectOptions(screen.getByLabelText('Expires after'), '30');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByTestId('new-token')).textContent).toBe('cvt_secret123');
    expect(screen.getByRole('button', { name: 'Copy token' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST' && c.url.endsWith('/api/auth/tokens'))?.body).toEqual({
      name: 'Laptop script',
      expires_in_days: 30,
    });
    await screen.findByText('Laptop script');

    await userEvent.click(screen.getByRole('button', { name: 'Revoke CI pipeline' }));
    const dialog = await screen.findByRole('dialog');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(screen.queryByText('CI pipeline')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/api/auth/tokens/t1'))).toBe(true);
  });
});
