// The room event socket (`/ws/rooms/{interview_id}`) as a hook: parses JSON frames into
// `RoomEvent`s, hands them over in batches (one per animation frame, so a chatty program
// does not cause a React render per chunk), and reconnects with exponential backoff.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ROOM_PROTOCOL_VERSION, type RoomEvent } from './types';

export type SocketState = 'connecting' | 'open' | 'down' | 'refused';

export interface RoomEventHandlers {
  /** A batch of events, in arrival order. */
  onEvents: (events: RoomEvent[]) => void;
  /** The socket dropped (events may be missed until it is back: its `hello` says so). */
  onDisconnect?: () => void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** 4401/4403: the server refused us (session gone, no access); retrying will not help. */
const REFUSED_CODES = new Set([4401, 4403]);

export function roomSocketUrl(interviewId: string, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/rooms/${encodeURIComponent(interviewId)}`;
}

/** Parses one text frame; anything malformed or of another protocol version is ignored. */
export function parseRoomEvent(data: unknown): RoomEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record['type'] !== 'string' || record['v'] !== ROOM_PROTOCOL_VERSION) return null;
  return value as RoomEvent;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, with ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Keeps one socket open to the room while mounted. Handlers are read through a ref, so
 * passing new closures each render does not reconnect.
 */
export function useRoomEvents(interviewId: string, handlers: RoomEventHandlers): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let flushHandle: (() => void) | null = null;
    let attempt = 0;
    let destroyed = false;
    let queue: RoomEvent[] = [];

    const flush = () => {
      flushHandle = null;
      const batch = queue;
      queue = [];
      if (batch.length > 0 && !destroyed) handlersRef.current.onEvents(batch);
    };
    const scheduleFlush = () => {
      if (flushHandle) return;
      // requestAnimationFrame does not fire in background tabs; a timer still does (throttled).
      if (typeof requestAnimationFrame === 'function' && !document.hidden) {
        const id = requestAnimationFrame(flush);
        flushHandle = () => cancelAnimationFrame(id);
      } else {
        const id = setTimeout(flush, 50);
        flushHandle = () => clearTimeout(id);
      }
    };

    const connect = () => {
      setState('connecting');
      const ws = new WebSocket(roomSocketUrl(interviewId));
      socket = ws;
      ws.onopen = () => {
        if (destroyed) return;
        attempt = 0;
        setState('open');
      };
      ws.onmessage = (message: MessageEvent) => {
        const event = parseRoomEvent(message.data);
        if (!event) return;
        queue.push(event);
        scheduleFlush();
      };
      ws.onclose = (close: CloseEvent) => {
        if (destroyed || socket !== ws) return;
        socket = null;
        flush();
        handlersRef.current.onDisconnect?.();
        if (REFUSED_CODES.has(close.code)) {
          setState('refused');
          return;
        }
        setState('down');
        retryTimer = setTimeout(connect, backoffDelay(attempt));
        attempt += 1;
      };
    };

    connect();
    return () => {
      destroyed = true;
      if (retryTimer) clearTimeout(retryTimer);
      flushHandle?.();
      const ws = socket;
      socket = null;
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = null;
        ws.close(1000);
      }
    };
  }, [interviewId]);

  return state;
}
