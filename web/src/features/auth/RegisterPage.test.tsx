// Component tests for registration: client checks, server field errors under the right
// input (with focus), and landing on the dashboard after success.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import RegisterPage from './RegisterPage';

const anonymous = { 'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }) };

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
        body: { error: { code: 'email_taken', message: 'Email already registered', fields: { email: 'is already registered' } } },
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
});
