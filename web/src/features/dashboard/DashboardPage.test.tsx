// Component tests for the dashboard: it opens on Live while an interview is live (a tab named
// in the URL wins), and the Past tab says when each interview actually ran and for how long.
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Interview } from '../../api/types';
import { installFetch } from '../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import DashboardPage from './DashboardPage';

function interview(over: Partial<Interview>): Interview {
  return {
    id: over.id ?? 'i',
    title: 'Interview',
    status: 'scheduled',
    room_code: 'ABC123',
    language: 'python',
    scheduled_at: '2026-12-01T10:00:00Z',
    duration_minutes: 60,
    question_ids: [],
    candidate_name: null,
    candidate_email: null,
    created_by: 'u',
    created_at: '2026-11-01T00:00:00Z',
    started_at: null,
    ended_at: null,
    my_role: 'host',
    ...over,
  };
}

const scheduled = interview({ id: 's', title: 'Scheduled one' });
const live = interview({ id: 'l', title: 'Live one', status: 'live', started_at: '2026-12-01T10:05:00Z' });
const past = interview({
  id: 'p',
  title: 'Past one',
  status: 'ended',
  started_at: '2026-12-01T10:07:00Z',
  ended_at: '2026-12-01T11:14:00Z',
});

function renderDashboard(interviews: Interview[], path = '/') {
  installFetch({
    ...signedInWith([sampleWorkspace()]),
    'GET /api/interviews': () => ({ status: 200, body: { interviews } }),
  });
  renderRoutes({ '/': inWorkspace(<DashboardPage />) }, path);
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('DashboardPage', () => {
  it('opens on Live while an interview is live', async () => {
    renderDashboard([scheduled, live, past]);
    expect(await screen.findByText('Live one')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Live/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByText('Scheduled one')).toBeNull();
  });

  it('opens on Upcoming when nothing is live', async () => {
    renderDashboard([scheduled, past]);
    expect(await screen.findByText('Scheduled one')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Upcoming/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('keeps Upcoming once chosen, even with a live interview', async () => {
    renderDashboard([scheduled, live], '/?tab=upcoming');
    expect(await screen.findByText('Scheduled one')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: /Live/ }));
    await userEvent.click(screen.getByRole('tab', { name: /Upcoming/ }));
    expect(screen.getByText('Scheduled one')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toContain('tab=upcoming');
  });

  it('shows when a past interview actually ran and for how long', async () => {
    renderDashboard([scheduled, live, past]);
    await screen.findByText('Live one');
    await userEvent.click(screen.getByRole('tab', { name: /Past/ }));
    const table = screen.getByTestId('interview-table');
    expect(within(table).getByRole('columnheader', { name: 'Ran' })).toBeTruthy();
    const row = within(table).getByText('Past one').closest('tr')!;
    expect(row.textContent).toContain('Ran 1 h 7 min');
    expect(row.textContent).toContain(new Date('2026-12-01T10:07:00Z').getMinutes().toString().padStart(2, '0'));
  });
});
