// Component tests for the room page's way in: a candidate signed out by the end of the interview
// (a reload, or the room opened again later) sees the "ended" screen, not the staff sign-in page;
// staff without a session go to the sign-in page; a candidate session told "interview_ended"
// sees the ended screen too.
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import JoinPage from '../join/JoinPage';
import RoomPage from './RoomPage';

const room = {
  interview_id: 'iv1',
  title: 'Platform screen',
  status: 'ended',
  room_code: 'ABC123',
  scheduled_at: null,
};
const anonymous = {
  'GET /api/auth/me': () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }),
};
const unauthorized = () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'Sign in.' } } });
const pages = {
  '/join/:code': <JoinPage />,
  '/interviews/:id/room': <RoomPage />,
  '/login': <p>staff sign-in</p>,
};

beforeEach(() => window.localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('RoomPage for a signed-out visitor', () => {
  it('shows a candidate whose session ended with the interview the ended screen', async () => {
    installFetch({
      ...anonymous,
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room: { ...room, status: 'live' } } }),
    });
    // The candidate opened their invite link earlier (the join page remembers it)…
    const first = renderRoutes(pages, '/join/ABC123?invite=s3cret');
    expect(await screen.findByLabelText('Your name')).toBeTruthy();
    first.unmount();

    // …and comes back to the room after the end, signed out by the server.
    const calls = installFetch({
      ...anonymous,
      'GET /api/interviews/iv1': unauthorized,
      'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
    });
    renderRoutes(pages, '/interviews/iv1/room');
    expect(await screen.findByText('This interview has ended')).toBeTruthy();
    expect(screen.queryByText('staff sign-in')).toBeNull();
    expect(calls.some((c) => c.url === '/api/interviews/room/ABC123?invite=s3cret')).toBe(true);
  });

  it('sends someone the browser never saw join this interview to the sign-in page', async () => {
    installFetch({ ...anonymous, 'GET /api/interviews/iv1': unauthorized });
    renderRoutes(pages, '/interviews/iv1/room');
    expect(await screen.findByText('staff sign-in')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/login?next=%2Finterviews%2Fiv1%2Froom');
  });

  it('shows a candidate session that the server calls ended the ended screen', async () => {
    installFetch({
      'GET /api/auth/me': () => ({
        status: 200,
        body: { user: null, candidate: { interview_id: 'iv1', name: 'Casey' } },
      }),
      'GET /api/interviews/iv1': () => ({
        status: 403,
        body: { error: { code: 'interview_ended', message: 'This interview has ended.' } },
      }),
    });
    renderRoutes(pages, '/interviews/iv1/room');
    expect(await screen.findByText('This interview has ended')).toBeTruthy();
  });
});
