import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { backoffDelay, parseRoomEvent, roomSocketUrl } from './roomEventConnection';
import type { RoomEvent } from './types';
import { useRoomEvents } from './useRoomEvents';

describe('parseRoomEvent', () => {
  it('accepts version-1 events and ignores anything else', () => {
    expect(parseRoomEvent('{"type":"run_started","v":1,"run_id":"r"}')).toEqual({
      type: 'run_started',
      v: 1,
      run_id: 'r',
    });
    expect(parseRoomEvent('{"type":"run_started","v":2,"run_id":"r"}')).toBeNull();
    expect(parseRoomEvent('not json')).toBeNull();
    expect(parseRoomEvent('[1,2]')).toBeNull();
    expect(parseRoomEvent(new ArrayBuffer(2))).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s up to 10 s, with jitter', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(500);
    expect(backoffDelay(3, () => 0.5)).toBe(4000);
    expect(backoffDelay(30, () => 0.5)).toBe(10_000);
    expect(backoffDelay(0, () => 0)).toBe(400);
    expect(backoffDelay(0, () => 1)).toBe(600);
  });
});

describe('roomSocketUrl', () => {
  it('uses the page origin with ws or wss', () => {
    expect(roomSocketUrl('abc', { protocol: 'https:', host: 'cv.example' } as Location)).toBe(
      'wss://cv.example/ws/rooms/abc',
    );
    expect(roomSocketUrl('abc', { protocol: 'http:', host: '127.0.0.1:8080' } as Location)).toBe(
      'ws://127.0.0.1:8080/ws/rooms/abc',
    );
  });
});

describe('useRoomEvents', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  const presence = (online: boolean): RoomEvent => ({
    type: 'presence',
    v: 1,
    participants: [{ participant_id: 'p1', name: 'Casey', role: 'candidate', online }],
  });

  it('shares one socket among the listeners of a page, replays who is here to a late one, and closes with the last', async () => {
    const run = vi.fn();
    const first = renderHook(() => useRoomEvents('iv1', { onEvents: run }));
    const socket = FakeWebSocket.latest();
    socket.open();
    socket.emit(presence(true));
    await waitFor(() => expect(run).toHaveBeenCalledTimes(1));
    expect(first.result.current).toBe('open');

    // The presence panel mounts later: same socket, and it learns who is here at once.
    const seen: RoomEvent[] = [];
    const second = renderHook(() => useRoomEvents('iv1', { onEvents: (events) => seen.push(...events) }));
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(second.result.current).toBe('open');
    expect(seen).toEqual([presence(true)]);

    socket.emit(presence(false));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(run).toHaveBeenCalledTimes(2);

    first.unmount();
    expect(socket.closedByClient).toBe(false);
    second.unmount();
    expect(socket.closedByClient).toBe(true);

    // Another interview, or the same one later, gets a socket of its own.
    renderHook(() => useRoomEvents('iv1', { onEvents: () => undefined }));
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('forgets who was here when the socket drops', async () => {
    const first = renderHook(() => useRoomEvents('iv2', { onEvents: () => undefined }));
    const socket = FakeWebSocket.latest();
    socket.open();
    socket.emit(presence(true));
    socket.drop();
    expect(first.result.current).toBe('down');
    const seen: RoomEvent[] = [];
    renderHook(() => useRoomEvents('iv2', { onEvents: (events) => seen.push(...events) }));
    expect(seen).toEqual([]);
  });
});
