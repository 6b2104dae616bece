// What a listener that joins the room socket late needs to show the terminal (the terminal
// panel mounts after the room's presence opened the socket, and the server sends
// `terminal_state` only when a socket connects): the current (or last) session as one
// `terminal_state` whose transcript is the tail of what the terminal showed since, and its
// `terminal_ended` if it ended. The room socket (run/roomEventConnection.ts) keeps one and
// replays it with its other state events. Bounded like the server's transcript.
import type { TerminalEnded, TerminalEvent, TerminalStateEvent } from './terminalWire';
import { isTerminalEvent } from './terminalWire';

/** The transcript kept, in characters (the server keeps 64 KiB). */
export const REPLAY_TRANSCRIPT_CHARS = 64 * 1024;

export class TerminalReplay {
  private current: TerminalStateEvent | null = null;
  private end: TerminalEnded | null = null;

  add(event: { type: string }): void {
    if (!isTerminalEvent(event)) return;
    switch (event.type) {
      case 'terminal_started':
        this.current = { ...event, type: 'terminal_state', transcript: '' };
        this.end = null;
        break;
      case 'terminal_state':
        this.current = event;
        this.end = null;
        break;
      case 'terminal_output':
      case 'terminal_input':
        if (!this.current || this.end || event.session_id !== this.current.session_id) return;
        if (event.type === 'terminal_input' && this.current.mode === 'raw') return;
        this.current = {
          ...this.current,
          transcript: (this.current.transcript + event.data).slice(-REPLAY_TRANSCRIPT_CHARS),
        };
        break;
      case 'terminal_ended':
        if (event.session_id === this.current?.session_id) this.end = event;
        break;
      case 'terminal_error':
        break;
    }
  }

  /** The events that bring a late listener up to date (none if no session was seen). */
  events(): TerminalEvent[] {
    if (!this.current) return [];
    return this.end ? [this.current, this.end] : [this.current];
  }

  /** The socket dropped: the server sends the state again when it is back. */
  clear(): void {
    this.current = null;
    this.end = null;
  }
}
