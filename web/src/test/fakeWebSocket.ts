// A stand-in for the browser WebSocket for component tests of the room event socket: the
// test stubs the global with it, then opens it, pushes frames and drops it; it keeps what the
// page sent.
import { act } from '@testing-library/react';
import type { RoomEvent } from '../features/room/run/types';

/** A stand-in for the browser WebSocket: the test opens it, pushes frames and drops it. */
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  static readonly OPEN = 1;
  readonly url: string;
  readyState = 0;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closedByClient = false;
  /** The text frames the page sent, in order. */
  readonly sent: string[] = [];

  constructor(url: string) {
    this.url = url;
    FakeWebSocket.instances.push(this);
  }
  static latest(): FakeWebSocket {
    const ws = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!ws) throw new Error('no socket opened');
    return ws;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closedByClient = true;
    this.readyState = 3;
  }
  open() {
    act(() => {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    });
  }
  emit(...events: (RoomEvent | string)[]) {
    act(() => {
      for (const event of events) {
        this.onmessage?.(
          new MessageEvent('message', { data: typeof event === 'string' ? event : JSON.stringify(event) }),
        );
      }
    });
  }
  drop(code = 1006) {
    act(() => {
      this.readyState = 3;
      this.onclose?.(new CloseEvent('close', { code }));
    });
  }
}
