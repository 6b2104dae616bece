// One room event socket (`/ws/rooms/{interview_id}`) per interview, shared by every part of the
// page that listens (the run panel, the presence banner, the lobby): it opens with the first
// listener and closes with the last. It parses JSON frames into `RoomEvent`s, hands them over
// in batches (one per animation frame, so a chatty program does not cause a React render per
// chunk), reconnects with exponential backoff, and replays the latest `presence` and
// `call_state` events (who is here, who is in the video call), and the interactive terminal's
// session (terminal/terminalReplay.ts), to a listener that joins an open socket (the server
// sends them only after `hello` and on change). The video call and the terminal also talk
// back on it (`sendToRoom`: their messages, JSON text frames).
import { TerminalReplay } from '../terminal/terminalReplay';
import { ROOM_PROTOCOL_VERSION, type RoomEvent } from './types';

export type SocketState = 'connecting' | 'open' | 'down' | 'refused';

export interface RoomEventListener {
  /** A batch of events, in arrival order. */
  onEvents: (events: RoomEvent[]) => void;
  /** The socket dropped (events may be missed until it is back: its `hello` says so). */
  onDisconnect?: () => void;
  /** The socket's state changed (also called once, at once, with the current state). */
  onState?: (state: SocketState) => void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** 4401/4403: the server refused us (session gone, no access); retrying will not help. */
const REFUSED_CODES = new Set([4401, 4403]);
/** The room's state events: the latest of each is replayed to a listener that comes late. */
const REPLAYED_TYPES: ReadonlySet<string> = new Set(['presence', 'call_state']);

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

/** The open connections, by interview id. */
const connections = new Map<string, RoomEventConnection>();

/**
 * Listens to interview `interviewId`'s room events on the page's one socket for it; returns
 * the function that stops listening (the last one to stop closes the socket).
 */
export function listenToRoom(interviewId: string, listener: RoomEventListener): () => void {
  let connection = connections.get(interviewId);
  if (!connection) {
    connection = new RoomEventConnection(interviewId, () => connections.delete(interviewId));
    connections.set(interviewId, connection);
  }
  return connection.add(listener);
}

/**
 * Sends `message` (JSON-encoded) on interview `interviewId`'s room socket; false when the page
 * has no open socket for it (nothing is queued: the caller decides what a lost message means).
 */
export function sendToRoom(interviewId: string, message: unknown): boolean {
  return connections.get(interviewId)?.send(JSON.stringify(message)) ?? false;
}

class RoomEventConnection {
  private readonly listeners = new Set<RoomEventListener>();
  private socket: WebSocket | null = null;
  private state: SocketState = 'connecting';
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private cancelFlush: (() => void) | null = null;
  private attempt = 0;
  private queue: RoomEvent[] = [];
  /** The latest state events (`REPLAYED_TYPES`) since the socket (re)opened, for late listeners. */
  private readonly replayed = new Map<string, RoomEvent>();
  /** The terminal's session as delivered so far (kept at delivery, so none is replayed twice). */
  private readonly terminal = new TerminalReplay();

  constructor(
    private readonly interviewId: string,
    private readonly onClosed: () => void,
  ) {
    this.connect();
  }

  add(listener: RoomEventListener): () => void {
    this.listeners.add(listener);
    listener.onState?.(this.state);
    const replay = [...this.replayed.values(), ...this.terminal.events()];
    if (replay.length > 0) listener.onEvents(replay);
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.close();
    };
  }

  send(text: string): boolean {
    const ws = this.socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    return true;
  }

  private setState(state: SocketState) {
    this.state = state;
    for (const listener of this.listeners) listener.onState?.(state);
  }

  private connect() {
    this.setState('connecting');
    const ws = new WebSocket(roomSocketUrl(this.interviewId));
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    ws.onmessage = (message: MessageEvent) => {
      const event = parseRoomEvent(message.data);
      if (!event) return;
      if (REPLAYED_TYPES.has(event.type)) this.replayed.set(event.type, event);
      this.queue.push(event);
      this.scheduleFlush();
    };
    ws.onclose = (close: CloseEvent) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.flush();
      // Who was here is stale once the socket drops; the next `hello` brings it back.
      this.replayed.clear();
      this.terminal.clear();
      for (const listener of this.listeners) listener.onDisconnect?.();
      if (REFUSED_CODES.has(close.code)) {
        this.setState('refused');
        return;
      }
      this.setState('down');
      this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt));
      this.attempt += 1;
    };
  }

  private readonly flush = () => {
    this.cancelFlush = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    for (const event of batch) this.terminal.add(event);
    for (const listener of this.listeners) listener.onEvents(batch);
  };

  private scheduleFlush() {
    if (this.cancelFlush) return;
    // requestAnimationFrame does not fire in background tabs; a timer still does (throttled).
    if (typeof requestAnimationFrame === 'function' && !document.hidden) {
      const id = requestAnimationFrame(this.flush);
      this.cancelFlush = () => cancelAnimationFrame(id);
    } else {
      const id = setTimeout(this.flush, 50);
      this.cancelFlush = () => clearTimeout(id);
    }
  }

  private close() {
    this.onClosed();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.cancelFlush?.();
    const ws = this.socket;
    this.socket = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close(1000);
    }
  }
}
