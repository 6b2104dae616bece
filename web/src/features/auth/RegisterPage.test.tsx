// Component tests for registration: client checks, server field errors under the right
// input (with focus), landing on the dashboard after success, and the server's registration
// mode: invite-only and closed servers explain themselves instead of showing the form, and a
// workspace invite locks the email and is sent along.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import RegisterPage from './RegisterPage';

const anonymous = {
  'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
  'GET /api/auth/registration': () => ({ status: 200, body: { mode: 'open' } }),
};
const mode = (m: string) => ({ 'GET /api/auth/registration': () => ({ status: 200, body: { mode: m } }) });
const invitePreview = {
  workspace_name: 'Data science',
  email: 'grace@example.com',
  role: 'member',
  invited_by: 'Ada Lovelace',
  expires_at: '2026-12-04T10:00:00Z',
};

afterEach(() => vi.unstubAllGlobals());

describe('RegisterPage', () => {
  it('shows client-side errors without calling the server', async () => {
    const calls = installFetch(anonymous);
    renderRoutes({ '/register': <RegisterPage /> }, '/register');
    await userEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Enter your name.')).toBeTruthy();
    expect(screen.getByLabelText('Full name').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Full name'));
    expect(calls.filter((c) => c.url.includes('register'))).toHaveLength(0);
  });

  it('puts the server field errors under the matching inputs', async () => {
    installFetch({
      ...anonymous,
      'POST /api/auth/register': () => ({
        status: 409,
        body: {
          error: {
            code: 'email_taken',
            message: 'Email already registered',
            fields: { email: 'is already registered' },
          },
        },
      }),
    });
    renderRoutes({ '/register': <RegisterPage /> }, '/register');
    await userEvent.type(await screen.findByLabelText('Full name'), 'Ada Lovelace');
    await userEvent.type(screen.getByLabelText('Work email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const email = screen.getByLabelText('Work email');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('is already registered').id).toBe('email-error');
    expect(email.getAttribute('aria-describedby')).toBe('email-error');
    expect(document.activeElement).toBe(email);
  });

  it('signs in and goes to the dashboard on success', async () => {
    const calls = installFetch({
      ...anonymous,
      'POST /api/auth/register': () => ({ status: 201, body: { user: sampleUser } }),
    });
    renderRoutes({ '/register': <RegisterPage />, '/': <p>dashboard</p> }, '/register');
    await userEvent.type(await screen.findByLabelText('Full name'), ' Ada Lovelace ');
    await userEvent.type(screen.getByLabelText('Work email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByText('dashboard');
    expect(calls.find((c) => c.url === '/api/auth/register')?.body).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      password: 'correct horse',
    });
  });

  it('offers the form on an invite-only server that has no account yet (its first)', async () => {
    installFetch({
      ...anonymous,
      'GET /api/auth/registration': () => ({ status: 200, body: { mode: 'invite-only', first_account: true } }),
    });
    renderRoutes({ '/register': <RegisterPage /> }, '/register');
    expect(await screen.findByLabelText('Full name')).toBeTruthy();
    expect(screen.queryByText(/by invitation only/)).toBeNull();
  });

  it('explains an invite-only server instead of showing the form', async () => {
    installFetch({ ...anonymous, ...mode('invite-only') });
    renderRoutes({ '/register': <RegisterPage /> }, '/register');
    expect(await screen.findByText(/Registration on this server is by invitation only/)).toBeTruthy();
    expect(screen.queryByLabelText('Work email')).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();
  });

  it('explains a closed server', async () => {
    installFetch({ ...anonymous, ...mode('closed') });
    renderRoutes({ '/register': <RegisterPage /> }, '/register');
    expect(await screen.findByText(/Registration on this server is closed/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create account' })).toBeNull();
  });

  it('locks the email to the invitation and sends the invite token', async () => {
    const calls = installFetch({
      ...anonymous,
      ...mode('invite-only'),
      'GET /api/workspace-invites/tok3n': () => ({ status: 200, body: { invite: invitePreview } }),
      'POST /api/auth/register': () => ({ status: 201, body: { user: { ...sampleUser, email: 'grace@example.com' } } }),
    });
    renderRoutes({ '/register': <RegisterPage />, '/': <p>dashboard</p> }, '/register?invite=tok3n');
    const email = (await screen.findByLabelText('Work email')) as HTMLInputElement;
    expect(email.value).toBe('grace@example.com');
    expect(email.readOnly).toBe(true);
    expect(screen.getByText(/Join/).textContent).toBe('Join Data science on CodeView as member.');
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login?next=%2Finvites%2Ftok3n');
    await userEvent.type(email, 'x');
    expect(email.value).toBe('grace@example.com');
    await userEvent.type(screen.getByLabelText('Full name'), 'Grace Hopper');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByText('dashboard');
    expect(calls.find((c) => c.url === '/api/auth/register')?.body).toEqual({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      password: 'correct horse',
      invite: 'tok3n',
    });
  });

  it('says when the invitation in the link has expired', async () => {
    installFetch({
      ...anonymous,
      'GET /api/workspace-invites/tok3n': () => ({
        status: 409,
        body: { error: { code: 'invite_expired', message: 'expired' } },
      }),
    });
    renderRoutes({ '/register': <RegisterPage /> }, '/register?invite=tok3n');
    expect(await screen.findByRole('heading', { name: 'This invitation has expired' })).toBeTruthy();
    expect(screen.queryByLabelText('Work email')).toBeNull();
  });
});
