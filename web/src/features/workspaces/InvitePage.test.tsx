// Component tests for /invites/:token: the invited account accepts and lands in the workspace,
// another account is told whose invite it is and may sign out, a visitor is offered to create
// an account or sign in, and used, expired and unknown links say so.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import InvitePage from './InvitePage';

const preview = {
  workspace_name: 'Data science',
  email: 'ada@example.com',
  role: 'admin',
  invited_by: 'Grace Hopper',
  expires_at: '2026-12-04T10:00:00Z',
};
const joinedWorkspace = sampleWorkspace({ id: 'w2', name: 'Data science', my_role: 'admin' });
const anonymous = {
  'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
};
const invitation = { 'GET /api/workspace-invites/tok3n': () => ({ status: 200, body: { invite: preview } }) };
const refused = (status: number, code: string) => ({
  'GET /api/workspace-invites/tok3n': () => ({ status, body: { error: { code, message: 'no' } } }),
});

const renderInvite = () => renderRoutes({ '/invites/:token': <InvitePage />, '/': <p>dashboard</p> }, '/invites/tok3n');
const location = () => screen.getByTestId('location').textContent ?? '';

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('InvitePage', () => {
  it('lets the invited account accept and opens that workspace', async () => {
    const calls = installFetch({
      ...signedInWith([sampleWorkspace()]),
      ...invitation,
      'POST /api/workspace-invites/tok3n/accept': () => ({ status: 200, body: { workspace: joinedWorkspace } }),
    });
    renderInvite();
    expect((await screen.findByTestId('invite-summary')).textContent).toBe(
      'Grace Hopper invited you to join Data science as an admin.',
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }));
    await waitFor(() => expect(location()).toBe('/?workspace=w2'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/workspace-invites/tok3n/accept']);
    expect(window.localStorage.getItem(`codeview.workspace.${sampleUser.id}`)).toBe('w2');
  });

  it('tells another account whose invitation it is, and signs out', async () => {
    const other = { ...sampleUser, email: 'someone.else@example.com' };
    installFetch({
      ...invitation,
      'GET /api/auth/me': () => ({ status: 200, body: { user: other } }),
      'GET /api/workspaces': () => ({ status: 200, body: { workspaces: [] } }),
      'POST /api/auth/logout': () => ({ status: 204 }),
      'GET /api/auth/registration': () => ({ status: 200, body: { mode: 'open' } }),
    });
    renderInvite();
    const warning = await screen.findByText(/It was sent to/);
    expect(warning.textContent).toMatch(/sent to ada@example.com, but you are signed in as someone.else@example.com/);
    expect(screen.queryByRole('button', { name: 'Accept invitation' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('link', { name: 'Create an account' })).toBeTruthy();
  });

  it('offers a visitor to create an account (email locked there) or to sign in and come back', async () => {
    installFetch({
      ...anonymous,
      ...invitation,
      'GET /api/auth/registration': () => ({ status: 200, body: { mode: 'invite-only' } }),
    });
    renderInvite();
    expect((await screen.findByRole('link', { name: 'Create an account' })).getAttribute('href')).toBe(
      '/register?invite=tok3n',
    );
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login?next=%2Finvites%2Ftok3n');
    expect(screen.getByText('Already have an account with ada@example.com?')).toBeTruthy();
  });

  it('does not offer an account on a server where registration is closed', async () => {
    installFetch({
      ...anonymous,
      ...invitation,
      'GET /api/auth/registration': () => ({ status: 200, body: { mode: 'closed' } }),
    });
    renderInvite();
    expect(await screen.findByRole('link', { name: 'Sign in' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Create an account' })).toBeNull());
  });

  it.each([
    [409, 'invite_used', 'This invitation has already been used'],
    [409, 'invite_expired', 'This invitation has expired'],
    [404, 'not_found', 'This invitation link is not valid'],
  ])('explains a %i %s link', async (status, code, title) => {
    installFetch({ ...anonymous, ...refused(status, code) });
    renderInvite();
    expect(await screen.findByRole('heading', { name: title })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Create an account' })).toBeNull();
  });

  it('explains an invitation that was used between loading and accepting', async () => {
    installFetch({
      ...signedInWith([sampleWorkspace()]),
      ...invitation,
      'POST /api/workspace-invites/tok3n/accept': () => ({
        status: 409,
        body: { error: { code: 'invite_used', message: 'used' } },
      }),
    });
    renderInvite();
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/already been used/);
    expect(location()).toBe('/invites/tok3n');
  });
});
