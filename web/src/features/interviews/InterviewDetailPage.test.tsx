// Component tests for the interview detail page: invite link shown to the host, Start, End
// behind a confirmation, a regenerated link replacing the shown one, the email notice for a
// person added, the live "waiting in the lobby" banner from the room socket's presence, and
// server errors from adding a participant.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry } from '../../api/types';
import { FakeWebSocket } from '../../test/fakeWebSocket';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import InterviewDetailPage from './InterviewDetailPage';

const base = {
  id: 'iv1',
  workspace_id: 'w1',
  title: 'Platform screen',
  status: 'scheduled',
  room_code: 'ABC123',
  language: 'python',
  scheduled_at: null,
  duration_minutes: 60,
  question_ids: [],
  candidate_name: 'Casey',
  candidate_email: null,
  created_by: sampleUser.id,
  created_at: '2026-11-25T10:00:00Z',
  started_at: null,
  ended_at: null,
  my_role: 'host',
};
const detail = (status: string) => ({
  status: 200,
  body: {
    interview: { ...base, status },
    participants: [{ id: 'p1', user_id: sampleUser.id, name: sampleUser.name, email: sampleUser.email, role: 'host' }],
    questions: [],
    candidate_invite_url: 'http://127.0.0.1/join/ABC123?invite=s3cret',
  },
});

const hana: PresenceEntry = { participant_id: 'p1', name: sampleUser.name, role: 'host', online: true };
const casey = (online: boolean): PresenceEntry => ({ participant_id: 'p2', name: 'Casey', role: 'candidate', online });

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('InterviewDetailPage', () => {
  it('shows the invite link, starts, and ends only after confirmation', async () => {
    let status = 'scheduled';
    const calls = installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail(status),
      'POST /api/interviews/iv1/start': () => {
        status = 'live';
        return { status: 200, body: { interview: { ...base, status } } };
      },
      'POST /api/interviews/iv1/end': () => {
        status = 'ended';
        return { status: 200, body: { interview: { ...base, status } } };
      },
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    expect(((await screen.findByLabelText('Invite link')) as HTMLInputElement).value).toBe(
      'http://127.0.0.1/join/ABC123?invite=s3cret',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Start interview' }));
    await waitFor(() => expect(screen.getByTestId('interview-status').textContent).toBe('Live'));

    await userEvent.click(screen.getByRole('button', { name: 'End interview' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.url.endsWith('/end'))).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'End interview' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'End interview' }));
    await waitFor(() => expect(screen.getByTestId('interview-status').textContent).toBe('Ended'));
    expect(calls.filter((c) => c.url.endsWith('/end'))).toHaveLength(1);
  });

  it('shows the candidate waiting in the lobby live, and starts from the banner', async () => {
    let status = 'scheduled';
    const calls = installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail(status),
      'POST /api/interviews/iv1/start': () => {
        status = 'live';
        return { status: 200, body: { interview: { ...base, status } } };
      },
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    await screen.findByLabelText('Invite link');
    const socket = FakeWebSocket.latest();
    expect(socket.url).toMatch(/\/ws\/rooms\/iv1$/);
    socket.open();
    socket.emit(
      { type: 'hello', v: 1, interview_id: 'iv1', participant_id: 'p1', role: 'host', sandbox: null },
      { type: 'presence', v: 1, participants: [hana, casey(false)] },
    );
    await waitFor(() => expect(screen.queryByTestId('lobby-banner')).toBeNull());

    // Casey opens the lobby: the banner appears without a reload (no new GET), then goes when they leave.
    const loads = calls.filter((c) => c.url.endsWith('/api/interviews/iv1')).length;
    socket.emit({ type: 'presence', v: 1, participants: [hana, casey(true)] });
    const banner = await screen.findByTestId('lobby-banner');
    expect(banner.textContent).toContain('Casey is waiting in the lobby');
    expect(calls.filter((c) => c.url.endsWith('/api/interviews/iv1')).length).toBe(loads);
    socket.emit({ type: 'presence', v: 1, participants: [hana, casey(false)] });
    await waitFor(() => expect(screen.queryByTestId('lobby-banner')).toBeNull());

    socket.emit({ type: 'presence', v: 1, participants: [hana, casey(true)] });
    await userEvent.click(within(await screen.findByTestId('lobby-banner')).getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(screen.getByTestId('interview-status').textContent).toBe('Live'));
    expect(calls.filter((c) => c.url.endsWith('/start'))).toHaveLength(1);
    expect(screen.queryByTestId('lobby-banner')).toBeNull();
  });

  it('drops the banner when the socket goes down (what it knew may be stale)', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail('scheduled'),
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    await screen.findByLabelText('Invite link');
    const socket = FakeWebSocket.latest();
    socket.open();
    socket.emit({ type: 'presence', v: 1, participants: [hana, casey(true)] });
    await screen.findByTestId('lobby-banner');
    socket.drop();
    await waitFor(() => expect(screen.queryByTestId('lobby-banner')).toBeNull());
  });

  it('shows observers no banner: they cannot start the interview', async () => {
    const asObserver = detail('scheduled');
    asObserver.body.interview.my_role = 'observer';
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => asObserver,
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    await screen.findByText('Platform screen');
    const socket = FakeWebSocket.latest();
    socket.open();
    socket.emit({ type: 'presence', v: 1, participants: [hana, casey(true)] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('lobby-banner')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start interview' })).toBeNull();
  });

  it('explains why a participant could not be added', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail('scheduled'),
      'POST /api/interviews/iv1/participants': () => ({
        status: 404,
        body: { error: { code: 'user_not_found', message: 'no' } },
      }),
      // The rubric card loads beside it; its own tests are in features/evaluation.
      'GET /api/interviews/iv1/rubric': () => ({ status: 200, body: { rubric: { criteria: [], editable: false } } }),
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    await userEvent.type(await screen.findByLabelText('Add by email'), 'nobody@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/No CodeView account/);
  });

  it('puts "not a member of this workspace" on the email field with a link to invite them', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail('scheduled'),
      'POST /api/interviews/iv1/participants': () => ({
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Invalid',
            fields: { email: 'is not a member of this workspace' },
          },
        },
      }),
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    const email = await screen.findByLabelText('Add by email');
    await userEvent.type(email, 'outsider@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(email.getAttribute('aria-describedby') ?? '');
    expect(error?.textContent).toMatch(/^is not a member of this workspace Invite them to the workspace first\.$/);
    expect(within(error!).getByRole('link', { name: 'Invite them to the workspace' }).getAttribute('href')).toBe(
      '/workspaces/w1/settings#invite',
    );
  });

  it('shows the regenerated link, and says a person added was emailed', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => ({
        ...detail('scheduled'),
        body: { ...detail('scheduled').body, email_enabled: true },
      }),
      'POST /api/interviews/iv1/invite': () => ({
        status: 200,
        body: { candidate_invite_url: 'http://127.0.0.1/join/ABC123?invite=n3w' },
      }),
      'POST /api/interviews/iv1/participants': () => ({
        status: 201,
        body: {
          participant: { id: 'p2', user_id: 'u2', name: 'Cole Co', email: 'co@example.com', role: 'interviewer' },
          email_sent: true,
        },
      }),
    });
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    await userEvent.click(await screen.findByRole('button', { name: 'Regenerate link' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Regenerate link' }));
    await waitFor(() =>
      expect((screen.getByLabelText('Invite link') as HTMLInputElement).value).toBe(
        'http://127.0.0.1/join/ABC123?invite=n3w',
      ),
    );
    expect(screen.getByRole('button', { name: 'Email invite' })).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Add by email'), 'co@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText("Cole Co was added and emailed the interview's link.")).toBeTruthy();
  });

  it('links an ended interview to its review, and a live one to none', async () => {
    let status = 'live';
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/interviews/iv1': () => detail(status),
    });
    const view = renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    expect(await screen.findByRole('link', { name: 'Open room' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Review' })).toBeNull();
    view.unmount();
    status = 'ended';
    renderRoutes({ '/interviews/:id': <InterviewDetailPage /> }, '/interviews/iv1');
    expect((await screen.findByRole('link', { name: 'Review' })).getAttribute('href')).toBe('/interviews/iv1/review');
  });
});
