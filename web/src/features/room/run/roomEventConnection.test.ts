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
});
