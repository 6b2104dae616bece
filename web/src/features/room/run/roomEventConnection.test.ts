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
