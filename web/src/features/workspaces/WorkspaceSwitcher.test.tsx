// Component tests for the workspace switcher in the top bar and the current-workspace rule:
// the menu lists the person's workspaces with their role, switching (mouse or keyboard)
// updates the URL's ?workspace= and what the dashboard lists, the last one used is remembered,
// "New workspace…" creates and switches, and someone without a workspace gets a way to make one.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DashboardPage from '../dashboard/DashboardPage';
import { RequireUser } from '../auth/RequireUser';
import { AppLayout } from '../layout/AppLayout';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';

const platform = sampleWorkspace({ id: 'w1', name: 'Platform team', my_role: 'owner' });
const data = sampleWorkspace({
  id: 'w2',
  name: 'Data science with a very long name that needs cutting',
  my_role: 'member',
});

function routes(extra = {}) {
  return {
    ...signedInWith([platform, data]),
    'GET /api/interviews': () => ({ status: 200, body: { interviews: [] } }),
    ...extra,
  };
}

const renderDashboard = (path: string) =>
  renderRoutes(
    { '/': <DashboardPage />, '/workspaces/:id/settings': <p>settings page</p> },
    path,
    <RequireUser>
      <AppLayout />
    </RequireUser>,
  );
const location = () => screen.getByTestId('location').textContent ?? '';

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('WorkspaceSwitcher', () => {
  it('lists the workspaces with roles and switches the dashboard and the URL', async () => {
    const calls = installFetch(routes());
    renderDashboard('/?tab=past');
    const button = await screen.findByRole('button', { name: /Workspace: Platform team/ });
    await waitFor(() => expect(location()).toBe('/?tab=past&workspace=w1'));
    expect(calls.some((c) => c.url === '/api/interviews?workspace=w1')).toBe(true);
    expect(button.getAttribute('title')).toBe('Platform team');

    await userEvent.click(button);
    const menu = screen.getByRole('menu', { name: 'Workspaces' });
    const items = within(menu).getAllByRole('menuitemradio');
    expect(items.map((i) => i.textContent)).toEqual(['✓Platform teamOwner', `${data.name}Member`]);
    expect(items[0]?.getAttribute('aria-checked')).toBe('true');
    expect(within(menu).getByRole('menuitem', { name: 'Workspace settings' }).getAttribute('href')).toBe(
      '/workspaces/w1/settings',
    );

    await userEvent.click(items[1]!);
    await waitFor(() => expect(location()).toBe('/?tab=past&workspace=w2'));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/interviews?workspace=w2')).toBe(true));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(screen.getByRole('button', { name: /Workspace: Data science/ }).getAttribute('title')).toBe(data.name);
    expect(window.localStorage.getItem(`codeview.workspace.${sampleUser.id}`)).toBe('w2');
  });

  it('works from the keyboard: arrows move, Enter picks, Escape closes', async () => {
    installFetch(routes());
    renderDashboard('/');
    const button = await screen.findByRole('button', { name: /Workspace: Platform team/ });
    button.focus();
    await userEvent.keyboard('{ArrowDown}');
    const items = screen.getByRole('menu').querySelectorAll('[role^="menuitem"]');
    expect(document.activeElement).toBe(items[0]);
    await userEvent.keyboard('{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('New workspace…');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    await userEvent.keyboard('{Enter}');
    expect(document.activeElement?.getAttribute('aria-checked')).toBe('true');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(location()).toBe('/?workspace=w2'));
  });

  it('opens the last workspace used, and a link to the page of another one wins', async () => {
    window.localStorage.setItem(`codeview.workspace.${sampleUser.id}`, 'w2');
    installFetch(routes());
    const first = renderDashboard('/');
    await waitFor(() => expect(location()).toBe('/?workspace=w2'));
    first.unmount();

    renderDashboard('/?workspace=w1');
    expect(await screen.findByRole('button', { name: /Workspace: Platform team/ })).toBeTruthy();
    expect(window.localStorage.getItem(`codeview.workspace.${sampleUser.id}`)).toBe('w1');
  });

  it('says so when a link names a workspace one is not a member of', async () => {
    const calls = installFetch(routes());
    renderDashboard('/?workspace=elsewhere');
    expect((await screen.findByText(/not a member of/)).textContent).toMatch(/Showing Platform team instead/);
    await waitFor(() => expect(location()).toBe('/?workspace=w1'));
    // The list was read again first, in case the workspace had just been joined.
    expect(calls.filter((c) => c.url === '/api/workspaces')).toHaveLength(2);
  });

  it('creates a workspace from "New workspace…" and switches to it', async () => {
    const created = sampleWorkspace({ id: 'w3', name: 'Mobile' });
    const calls = installFetch(
      routes({ 'POST /api/workspaces': () => ({ status: 201, body: { workspace: created } }) }),
    );
    renderDashboard('/');
    await userEvent.click(await screen.findByRole('button', { name: /Workspace: Platform team/ }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'New workspace…' }));
    const dialog = screen.getByRole('dialog', { name: 'New workspace' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Name'));
    await userEvent.keyboard('{Enter}');
    expect(within(dialog).getByText('Give the workspace a name.')).toBeTruthy();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Mobile{Enter}');
    await waitFor(() => expect(location()).toBe('/?workspace=w3'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Mobile' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: /Workspace: Mobile/ })).toBeTruthy();
  });

  it('shows the server refusing a new workspace in the dialog', async () => {
    installFetch(
      routes({
        'POST /api/workspaces': () => ({
          status: 429,
          body: { error: { code: 'quota_exceeded', message: 'You own 5 workspaces, the most allowed.' } },
        }),
      }),
    );
    renderDashboard('/');
    await userEvent.click(await screen.findByRole('button', { name: /Workspace: Platform team/ }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'New workspace…' }));
    await userEvent.type(screen.getByLabelText('Name'), 'One more{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('You own 5 workspaces, the most allowed.');
  });

  it('offers to create a workspace to someone who has none', async () => {
    const created = sampleWorkspace({ id: 'w9', name: 'Fresh start' });
    installFetch({
      ...signedInWith([]),
      'GET /api/interviews': () => ({ status: 200, body: { interviews: [] } }),
      'POST /api/workspaces': () => ({ status: 201, body: { workspace: created } }),
    });
    renderDashboard('/');
    expect(await screen.findByText('You are not in any workspace')).toBeTruthy();
    expect(screen.queryByTestId('welcome')).toBeNull();
    expect(screen.getByRole('button', { name: /Workspace: No workspace/ })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Create a workspace' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Fresh start{Enter}');
    expect(await screen.findByTestId('welcome')).toBeTruthy();
    await waitFor(() => expect(location()).toBe('/?workspace=w9'));
  });
});
