import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { listenToRoom, sendToRoom } from './roomEventConnection';

describe('sendToRoom', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends JSON on the page's one open socket of that interview, and says false when there is none", () => {
    expect(sendToRoom('iv-send', { type: 'call_leave', v: 1 })).toBe(false);
    const stopFirst = listenToRoom('iv-send', { onEvents: () => undefined });
    const stopSecond = listenToRoom('iv-send', { onEvents: () => undefined });
    const socket = FakeWebSocket.latest();
    expect(FakeWebSocket.instances).toHaveLength(1);
    // Still connecting: nothing is queued.
    expect(sendToRoom('iv-send', { type: 'call_leave', v: 1 })).toBe(false);
    socket.open();
    expect(sendToRoom('iv-send', { type: 'call_leave', v: 1 })).toBe(true);
    expect(sendToRoom('another-interview', { type: 'call_leave', v: 1 })).toBe(false);
    expect(socket.sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([{ type: 'call_leave', v: 1 }]);
    socket.drop();
    expect(sendToRoom('iv-send', { type: 'call_leave', v: 1 })).toBe(false);
    stopFirst();
    stopSecond();
  });
});

describe('listenToRoom', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('replays the latest presence and call_state to a listener that comes late', async () => {
    const stopFirst = listenToRoom('iv-replay', { onEvents: () => undefined });
    const socket = FakeWebSocket.latest();
    socket.open();
    const callState = (count: number) =>
      JSON.stringify({
        type: 'call_state',
        v: 1,
        peers: Array.from({ length: count }, (_, i) => ({ peer_id: `p${i}` })),
      });
    socket.emit('{"type":"presence","v":1,"participants":[]}', callState(1), callState(2));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const seen: { type: string }[] = [];
    const stopSecond = listenToRoom('iv-replay', { onEvents: (events) => seen.push(...events) });
    expect(seen.map((e) => e.type)).toEqual(['presence', 'call_state']);
    expect(seen[1]).toMatchObject({ peers: [{ peer_id: 'p0' }, { peer_id: 'p1' }] });
    stopFirst();
    stopSecond();
  });

  it("replays the terminal's session as one terminal_state with what it showed, and its end", async () => {
    const stopFirst = listenToRoom('iv-terminal', { onEvents: () => undefined });
    const socket = FakeWebSocket.latest();
    socket.open();
    const session = { session_id: 's', v: 1 };
    socket.emit(
      JSON.stringify({
        ...session,
        type: 'terminal_started',
        language: 'python',
        mode: 'line',
        started_by: 'p',
        started_at: 't',
      }),
      JSON.stringify({ ...session, type: 'terminal_output', seq: 1, data: 'Name? ' }),
      JSON.stringify({ ...session, type: 'terminal_input', seq: 2, data: 'Ada\n', by: 'p' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    const seen: { type: string }[] = [];
    const stopSecond = listenToRoom('iv-terminal', { onEvents: (events) => seen.push(...events) });
    expect(seen).toEqual([
      {
        ...session,
        type: 'terminal_state',
        language: 'python',
        mode: 'line',
        started_by: 'p',
        started_at: 't',
        transcript: 'Name? Ada\n',
      },
    ]);
    socket.emit(
      JSON.stringify({ ...session, type: 'terminal_ended', reason: 'exited', exit_code: 0, message: 'Exited.' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    const third: { type: string }[] = [];
    const stopThird = listenToRoom('iv-terminal', { onEvents: (events) => third.push(...events) });
    expect(third.map((e) => e.type)).toEqual(['terminal_state', 'terminal_ended']);
    stopFirst();
    stopSecond();
    stopThird();
  });
});
