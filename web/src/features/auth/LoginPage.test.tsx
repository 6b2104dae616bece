// Component tests for sign-in: a wrong password stays on the page with a clear message,
// success follows the `next` parameter, and "Create an account" shows only where anyone may.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import LoginPage from './LoginPage';

const anonymous = {
  'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
};

afterEach(() => vi.unstubAllGlobals());

describe('LoginPage', () => {
  it('explains a wrong password without leaving the page', async () => {
    installFetch({
      ...anonymous,
      'POST /api/auth/login': () => ({
        status: 401,
        body: { error: { code: 'invalid_credentials', message: 'Invalid' } },
      }),
    });
    renderRoutes({ '/login': <LoginPage /> }, '/login');
    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/do not match/);
    expect(screen.getByTestId('location').textContent).toBe('/login');
    expect(document.activeElement).toBe(screen.getByLabelText('Password'));
  });

  it('tells a candidate sent here from a room to use their invite link', async () => {
    installFetch(anonymous);
    renderRoutes({ '/login': <LoginPage /> }, '/login?next=%2Finterviews%2Fiv1%2Froom');
    expect(await screen.findByText('Taking part as the candidate?')).toBeTruthy();
  });

  it('goes to the `next` page after signing in', async () => {
    installFetch({ ...anonymous, 'POST /api/auth/login': () => ({ status: 200, body: { user: sampleUser } }) });
    renderRoutes({ '/login': <LoginPage />, '/questions': <p>questions page</p> }, '/login?next=%2Fquestions');
    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'right password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('questions page');
  });

  it.each([
    ['open', true],
    ['invite-only', false],
    ['closed', false],
  ])('with registration %s, offers to create an account: %s', async (mode, offered) => {
    installFetch({ ...anonymous, 'GET /api/auth/registration': () => ({ status: 200, body: { mode } }) });
    renderRoutes({ '/login': <LoginPage /> }, '/login');
    await screen.findByLabelText('Email');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Create an account' }) !== null).toBe(offered));
    // Still so once everything has settled.
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('link', { name: 'Create an account' }) !== null).toBe(offered);
  });
});
