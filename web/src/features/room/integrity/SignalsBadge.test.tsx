// Component tests for the interviewers' signals badge against a fake room socket and a stubbed
// timeline: the stored signals' count, a live signal raising it, the list's plain descriptions
// and hint, keyboard and list semantics, the timeline read again after a reconnect, and nothing
// at all for a candidate (no button, no timeline request, no socket).
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { installFetch, type Call } from '../../../test/fetchMock';
import { ev } from '../run/testFixtures';
import { SignalsBadge } from './SignalsBadge';

const ID = 'iv1';
const CANDIDATE = 'p-cand';
const STARTED = '2026-12-06T08:00:00Z';

const timeline = [
  { at: STARTED, kind: 'started', participant_id: null, data: {} },
  { at: '2026-12-06T08:03:10Z', kind: 'signal', participant_id: CANDIDATE, data: { kind: 'tab_hidden' } },
  {
    at: '2026-12-06T08:04:22Z',
    kind: 'signal',
    participant_id: CANDIDATE,
    data: { kind: 'tab_visible', duration_ms: 72_000 },
  },
  {
    at: '2026-12-06T08:05:00Z',
    kind: 'signal',
    participant_id: CANDIDATE,
    data: { kind: 'paste', length: 412, external: true },
  },
];

const liveSignal = (at: string, signal: Record<string, unknown>) =>
  JSON.stringify({ type: 'signal', v: 1, at, participant_id: CANDIDATE, signal });

let calls: Call[];

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  calls = installFetch({ 'GET /api/interviews/iv1/timeline': () => ({ status: 200, body: timeline }) });
});
afterEach(() => vi.unstubAllGlobals());

const badge = () => screen.getByTestId('signals-badge');

describe('SignalsBadge', () => {
  it('counts the stored signals, rises with live ones and lists them in plain words', async () => {
    render(<SignalsBadge interviewId={ID} role="interviewer" startedAt={STARTED} live />);
    const ws = FakeWebSocket.latest();
    ws.open();
    await waitFor(() => expect(badge().textContent).toBe('2 signals'));
    expect(badge().getAttribute('aria-label')).toBe("2 signals: integrity signals from the candidate's browser");
    expect(badge().getAttribute('aria-expanded')).toBe('false');

    ws.emit(liveSignal('2026-12-06T08:06:30Z', { kind: 'large_insert', length: 350 }));
    // The stored paste arriving again live (say, a replay) is not counted twice.
    ws.emit(liveSignal('2026-12-06T08:05:00.000Z', { kind: 'paste', length: 412, external: true }));
    await waitFor(() => expect(badge().textContent).toBe('3 signals'));

    await userEvent.click(badge());
    expect(badge().getAttribute('aria-expanded')).toBe('true');
    const panel = screen.getByRole('region', { name: 'Integrity signals' });
    expect(panel.textContent).toContain('Evidence, not a verdict');
    const items = within(within(panel).getByRole('list')).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      '6:30Large insert of 350 characters without a paste',
      '5:00Pasted 412 characters from outside the editor',
      '3:10Left the tab for 1 min 12 s',
    ]);
    expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-06T08:06:30.000Z');

    await userEvent.keyboard('{Escape}');
    expect(badge().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('region', { name: 'Integrity signals' })).toBeNull();
    expect(document.activeElement).toBe(badge());
  });

  it('says so when nothing was noted, and closes on a click elsewhere', async () => {
    calls = installFetch({ 'GET /api/interviews/iv1/timeline': () => ({ status: 200, body: [] }) });
    render(
      <div>
        <p>elsewhere</p>
        <SignalsBadge interviewId={ID} role="host" startedAt={STARTED} live />
      </div>,
    );
    FakeWebSocket.latest().open();
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(badge().textContent).toBe('No signals');
    await userEvent.click(badge());
    expect(screen.getByText('Nothing noted so far.')).toBeTruthy();
    await userEvent.click(screen.getByText('elsewhere'));
    expect(badge().getAttribute('aria-expanded')).toBe('false');
  });

  it('counts live signals when the timeline cannot be read, and reads it again after a reconnect', async () => {
    let answer = 404;
    calls = installFetch({
      'GET /api/interviews/iv1/timeline': () =>
        answer === 404
          ? { status: 404, body: { error: { code: 'not_found', message: 'no' } } }
          : { status: 200, body: timeline },
    });
    render(<SignalsBadge interviewId={ID} role="host" startedAt={STARTED} live />);
    const first = FakeWebSocket.latest();
    first.open();
    first.emit(ev.hello(CANDIDATE, 'host'));
    first.emit(liveSignal('2026-12-06T08:10:00Z', { kind: 'copy', length: 900, share: 0.82 }));
    await waitFor(() => expect(badge().textContent).toBe('1 signal'));
    expect(calls).toHaveLength(1);

    answer = 200;
    first.drop();
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 3000 });
    const second = FakeWebSocket.latest();
    second.open();
    second.emit(ev.hello(CANDIDATE, 'host'));
    await waitFor(() => expect(badge().textContent).toBe('3 signals'));
    expect(calls).toHaveLength(2);
  });

  it('shows nothing to a candidate, and neither reads the timeline nor opens the socket', async () => {
    const { container } = render(<SignalsBadge interviewId={ID} role="candidate" startedAt={STARTED} live />);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.innerHTML).toBe('');
    expect(screen.queryByTestId('signals-badge')).toBeNull();
    expect(calls).toEqual([]);
    expect(FakeWebSocket.instances).toEqual([]);
  });
});
