// Component tests for the workspace settings page: what each role may do (a member sees it
// read-only, an owner gets the danger zone), saving, inviting (the link and whether it was
// emailed), removing a member, deleting behind a typed name, and a workspace one cannot see.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workspace, WorkspaceRole } from '../../../api/types';
import { installFetch, sampleUser } from '../../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../../test/render';
import { sampleWorkspace, signedInWith } from '../../../test/workspaces';
import WorkspaceSettingsPage from './WorkspaceSettingsPage';

const colleague = {
  user_id: 'u2',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  role: 'member',
  joined_at: '2026-11-26T10:00:00Z',
};
const invite = {
  id: 'i1',
  email: 'linus@example.com',
  role: 'member',
  invited_by: 'Ada Lovelace',
  created_at: '2026-11-27T10:00:00Z',
  expires_at: '2026-12-04T10:00:00Z',
};

function routes(workspace: Workspace, extra = {}) {
  const me = {
    user_id: sampleUser.id,
    name: sampleUser.name,
    email: sampleUser.email,
    role: workspace.my_role,
    joined_at: '2026-11-25T10:00:00Z',
  };
  return {
    ...signedInWith([workspace]),
    'GET /api/workspaces/w1': () => ({ status: 200, body: { workspace } }),
    'GET /api/workspaces/w1/members': () => ({ status: 200, body: { members: [me, colleague] } }),
    'GET /api/workspaces/w1/invites': () => ({ status: 200, body: { invites: [invite] } }),
    ...extra,
  };
}

const renderSettings = () =>
  renderRoutes(
    { '/workspaces/:id/settings': inWorkspace(<WorkspaceSettingsPage />), '/': <p>dashboard</p> },
    '/workspaces/w1/settings',
  );

const as = (role: WorkspaceRole) => sampleWorkspace({ my_role: role });

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('WorkspaceSettingsPage', () => {
  it('shows a member everything read-only, without invites, export or danger zone', async () => {
    installFetch(routes(as('member')));
    renderSettings();
    const name = (await screen.findByLabelText('Workspace name')) as HTMLInputElement;
    expect(name.value).toBe('Platform team');
    // Disabled through their <fieldset>, which the :disabled selector (and the browser) honours.
    expect(name.matches(':disabled')).toBe(true);
    expect(screen.getByLabelText('Default language').matches(':disabled')).toBe(true);
    expect(screen.getByText('Only owners and admins can change these settings.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add criterion' })).toBeNull();
    await screen.findByText('Grace Hopper');
    expect(screen.queryByLabelText('Role of Grace Hopper')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove Grace Hopper' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Leave workspace' })).toBeTruthy();
    expect(screen.getByText(/Only owners and admins can invite people/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Download export' })).toBeNull();
    expect(screen.queryByTestId('danger-zone')).toBeNull();
  });

  it('lets an admin manage but keeps the danger zone for owners', async () => {
    installFetch(routes(as('admin')));
    renderSettings();
    expect((await screen.findByLabelText('Workspace name')).matches(':disabled')).toBe(false);
    expect(await screen.findByLabelText('Role of Grace Hopper')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download export' })).toBeTruthy();
    expect(screen.queryByTestId('danger-zone')).toBeNull();
  });

  it('gives an owner the danger zone, deleting only once the name is typed', async () => {
    const calls = installFetch(routes(as('owner'), { 'DELETE /api/workspaces/w1': () => ({ status: 204 }) }));
    renderSettings();
    const zone = await screen.findByTestId('danger-zone');
    await userEvent.click(within(zone).getByRole('button', { name: 'Delete workspace' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Platform team?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete workspace' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await userEvent.type(within(dialog).getByLabelText(/to confirm/), 'Platform tea');
    expect(confirm.disabled).toBe(true);
    await userEvent.keyboard('{Enter}');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.type(within(dialog).getByLabelText(/to confirm/), 'm');
    await userEvent.click(confirm);
    await screen.findByText('dashboard');
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/workspaces/w1']);
  });

  it('saves the general settings and shows server field errors on the rubric', async () => {
    let patches = 0;
    const calls = installFetch(
      routes(as('owner'), {
        'PATCH /api/workspaces/w1': () => {
          patches += 1;
          if (patches === 1) {
            return {
              status: 422,
              body: {
                error: {
                  code: 'validation_failed',
                  message: 'Some fields are invalid',
                  fields: { 'default_rubric[1].name': 'is reserved' },
                },
              },
            };
          }
          return { status: 200, body: { workspace: sampleWorkspace({ name: 'Platform', runs_per_day: 50 }) } };
        },
      }),
    );
    renderSettings();
    const name = await screen.findByLabelText('Workspace name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Platform');
    await userEvent.type(screen.getByLabelText('Runs per day'), '50');
    await userEvent.click(screen.getByRole('button', { name: 'Add criterion' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Criterion 2 name'));
    await userEvent.type(screen.getByLabelText('Criterion 2 name'), 'Communication');
    await userEvent.click(screen.getByRole('button', { name: 'Move criterion 2 up' }));
    expect((screen.getByLabelText('Criterion 1 name') as HTMLInputElement).value).toBe('Communication');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('is reserved')).toBeTruthy();
    expect(screen.getByLabelText('Criterion 2 name').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Criterion 2 name'));

    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH')[1]?.body).toEqual({
      name: 'Platform',
      default_language: 'python',
      default_duration_minutes: 60,
      runs_per_day: 50,
      default_rubric: [
        { name: 'Communication', description: '' },
        { name: 'Problem solving', description: 'Breaks the problem down.' },
      ],
    });
  });

  it('invites someone, shows the link to copy and says the email was not sent', async () => {
    const created = { ...invite, id: 'i2', email: 'new@example.com', role: 'admin' };
    const calls = installFetch(
      routes(as('admin'), {
        'POST /api/workspaces/w1/invites': () => ({
          status: 201,
          body: { invite: created, invite_url: 'http://127.0.0.1/invites/tok3n', email_sent: false },
        }),
      }),
    );
    renderSettings();
    expect(await screen.findByText('linus@example.com')).toBeTruthy();
    const roles = Array.from((screen.getByLabelText('Role') as HTMLSelectElement).options).map((o) => o.value);
    expect(roles).toEqual(['admin', 'member']);
    await userEvent.type(screen.getByLabelText('Email'), 'new@example.com');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'admin');
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(((await screen.findByLabelText('Invite link')) as HTMLInputElement).value).toBe(
      'http://127.0.0.1/invites/tok3n',
    );
    expect(screen.getByTestId('invite-delivery').textContent).toBe(
      'Email is not configured on this server: copy the link and send it yourself.',
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'new@example.com', role: 'admin' });
    expect(within(screen.getByTestId('pending-invites')).getByText('new@example.com')).toBeTruthy();
  });

  it('puts "already a member" under the invite email', async () => {
    installFetch(
      routes(as('owner'), {
        'POST /api/workspaces/w1/invites': () => ({
          status: 409,
          body: { error: { code: 'already_member', message: 'Already a member.' } },
        }),
      }),
    );
    renderSettings();
    await userEvent.type(await screen.findByLabelText('Email'), 'grace@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(() => expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Already a member.').id).toBe('invite-email-error');
  });

  it('removes a member after a confirmation that says what happens', async () => {
    const calls = installFetch(
      routes(as('owner'), { 'DELETE /api/workspaces/w1/members/u2': () => ({ status: 204 }) }),
    );
    renderSettings();
    await userEvent.click(await screen.findByRole('button', { name: 'Remove Grace Hopper' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Grace Hopper?' });
    expect(dialog.textContent).toMatch(/loses access .* at once/);
    expect(dialog.textContent).toMatch(/pass to an owner/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove member' }));
    await waitFor(() => expect(screen.queryByText('Grace Hopper')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/workspaces/w1/members/u2')).toBe(true);
  });

  it('explains a workspace that does not exist or is not yours', async () => {
    installFetch({
      ...signedInWith([sampleWorkspace()]),
      'GET /api/workspaces/w1': () => ({ status: 404, body: { error: { code: 'not_found', message: 'Not found' } } }),
    });
    renderSettings();
    expect(await screen.findByText('This workspace does not exist, or you are not a member of it.')).toBeTruthy();
  });
});
