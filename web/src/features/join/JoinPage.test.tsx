// Component tests for the candidate's way in: join form → lobby → room on start (by polling,
// or at once on the room socket's `status` event); the ended screen; and a link without its
// invite secret.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../test/fakeWebSocket';
import { installFetch } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import JoinPage from './JoinPage';

const room = {
  interview_id: 'iv1',
  title: 'Platform screen',
  status: 'scheduled',
  room_code: 'ABC123',
  scheduled_at: null,
};
const anonymous = {
  'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
};
const detail = (status: string) => ({
  status: 200,
  body: {
    interview: {
      id: 'iv1',
      title: 'Platform screen',
      status,
      room_code: 'ABC123',
      question_ids: [],
      my_role: 'candidate',
    },
    participants: [],
    questions: [],
  },
});

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('JoinPage', () => {
  it('joins with a name, waits in the lobby and enters the room when live', async () => {
    let status = 'scheduled';
    const calls = installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
      'POST /api/interviews/room/ABC123/join': () => ({
        status: 200,
        body: {
          interview: detail('scheduled').body.interview,
          participant: { id: 'p1', user_id: null, name: 'Casey', email: null, role: 'candidate' },
        },
      }),
      'GET /api/interviews/iv1': () => detail(status),
    });
    renderRoutes(
      { '/join/:code': <JoinPage />, '/interviews/:id/room': <p>the room</p> },
      '/join/ABC123?invite=s3cret',
    );
    await userEvent.type(await screen.findByLabelText('Your name'), 'Casey');
    await userEvent.click(screen.getByRole('button', { name: 'Join interview' }));
    expect(await screen.findByText('Waiting for the interviewer to start…')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Casey', invite: 's3cret' });
    expect(calls.some((c) => c.url === '/api/interviews/room/ABC123?invite=s3cret')).toBe(true);
    status = 'live';
    expect(await screen.findByText('the room', {}, { timeout: 5000 })).toBeTruthy();
  });

  it('keeps the room socket open in the lobby and enters the room on its start event', async () => {
    const calls = installFetch({
      'GET /api/auth/me': () => ({
        status: 200,
        body: { user: null, candidate: { interview_id: 'iv1', name: 'Casey' } },
      }),
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
      'GET /api/interviews/iv1': () => detail('scheduled'),
    });
    renderRoutes({ '/join/:code': <JoinPage />, '/interviews/:id/room': <p>the room</p> }, '/join/ABC123');
    expect(await screen.findByText(/Hi Casey, you are in the lobby/)).toBeTruthy();
    const socket = FakeWebSocket.latest();
    expect(socket.url).toMatch(/\/ws\/rooms\/iv1$/);
    socket.open();
    const polls = calls.filter((c) => c.url === '/api/interviews/iv1').length;
    socket.emit({ type: 'status', v: 1, status: 'live' });
    expect(await screen.findByText('the room')).toBeTruthy();
    expect(calls.filter((c) => c.url === '/api/interviews/iv1').length).toBe(polls);
    // The lobby's socket closes in its unmount cleanup, which React may run after the commit.
    await waitFor(() => expect(socket.closedByClient).toBe(true));
  });

  it('shows the ended screen for an ended interview', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room: { ...room, status: 'ended' } } }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=s3cret');
    expect(await screen.findByText('This interview has ended')).toBeTruthy();
  });

  it('prefills the name the interviewer entered', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({
        status: 200,
        body: { room: { ...room, candidate_name: 'Casey Jones' } },
      }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=s3cret');
    expect(((await screen.findByLabelText('Your name')) as HTMLInputElement).value).toBe('Casey Jones');
  });

  it('shows the ended screen when the server says the interview ended', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({
        status: 403,
        body: { error: { code: 'interview_ended', message: 'ended' } },
      }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=s3cret');
    expect(await screen.findByText('This interview has ended')).toBeTruthy();
  });

  it('takes a returning candidate straight to the lobby, then shows the end', async () => {
    let ended = false;
    installFetch({
      'GET /api/auth/me': () => ({
        status: 200,
        body: { user: null, candidate: { interview_id: 'iv1', name: 'Casey' } },
      }),
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
      'GET /api/interviews/iv1': () =>
        ended ? { status: 403, body: { error: { code: 'interview_ended', message: 'ended' } } } : detail('scheduled'),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123');
    expect(await screen.findByText(/Hi Casey, you are in the lobby/)).toBeTruthy();
    ended = true;
    expect(await screen.findByText('This interview has ended', {}, { timeout: 5000 })).toBeTruthy();
  });

  it('explains a link without its invite secret', async () => {
    installFetch({ ...anonymous, 'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }) });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123');
    expect(await screen.findByText('This link is incomplete')).toBeTruthy();
    expect(screen.queryByLabelText('Your name')).toBeNull();
  });

  it('explains a link whose code is unknown or whose invite was retired', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'No such room.' } },
      }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=old');
    expect(await screen.findByText('Interview not found')).toBeTruthy();
    expect(screen.getByText(/This invite link is not valid/)).toBeTruthy();
    expect(screen.queryByLabelText('Your name')).toBeNull();
  });

  it('explains an invalid invite', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
      'POST /api/interviews/room/ABC123/join': () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'No such room.' } },
      }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=wrong');
    await userEvent.type(await screen.findByLabelText('Your name'), 'Casey');
    await userEvent.click(screen.getByRole('button', { name: 'Join interview' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not valid/);
  });
});
