// The candidate is told what the interview records before joining: on the join form, above the
// Join button, and in the lobby where a returning candidate lands; and not on a link that cannot
// join (no form to act on).
import { screen, within } from '@testing-library/react';
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
  'GET /api/interviews/room/ABC123': () => ({ status: 200, body: { room } }),
};

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

function expectNotice(notice: HTMLElement) {
  expect(within(notice).getByRole('heading', { name: 'What this interview records' })).toBeTruthy();
  const items = within(notice)
    .getAllByRole('listitem')
    .map((item) => item.textContent ?? '');
  expect(items).toHaveLength(3);
  expect(items[0]).toMatch(/Your code and its runs, with their timing, so your interviewers can replay the session/);
  expect(items[1]).toMatch(/Pasting into the editor, copying most of the code, and leaving this tab or window/);
  expect(items[2]).toMatch(/Never your camera or microphone/);
}

describe('what the interview records', () => {
  it('is on the join form, before the Join button', async () => {
    installFetch(anonymous);
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123?invite=s3cret');
    const join = await screen.findByRole('button', { name: 'Join interview' });
    const notice = screen.getByRole('region', { name: 'What this interview records' });
    expectNotice(notice);
    expect(notice.compareDocumentPosition(join) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('is in the lobby a returning candidate lands in', async () => {
    installFetch({
      ...anonymous,
      'GET /api/auth/me': () => ({
        status: 200,
        body: { user: null, candidate: { interview_id: 'iv1', name: 'Casey' } },
      }),
      'GET /api/interviews/iv1': () => ({
        status: 200,
        body: {
          interview: {
            id: 'iv1',
            title: 'Platform screen',
            status: 'scheduled',
            room_code: 'ABC123',
            question_ids: [],
          },
          participants: [],
          questions: [],
        },
      }),
    });
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123');
    expect(await screen.findByText(/Hi Casey, you are in the lobby/)).toBeTruthy();
    expectNotice(screen.getByRole('region', { name: 'What this interview records' }));
  });

  it('is not shown on a link that cannot join', async () => {
    installFetch(anonymous);
    renderRoutes({ '/join/:code': <JoinPage /> }, '/join/ABC123');
    expect(await screen.findByText('This link is incomplete')).toBeTruthy();
    expect(screen.queryByTestId('recording-notice')).toBeNull();
  });
});
