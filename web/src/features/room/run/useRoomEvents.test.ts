import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRoomEvent, roomSocketUrl } from './useRoomEvents';

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
