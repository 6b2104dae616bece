// The interactive terminal's messages on the room socket (`/ws/rooms/{interview_id}`, protocol
// v1; docs/api.md): what the browser sends (`terminal_start`, `terminal_input`,
// `terminal_signal`, `terminal_stop`) and the `terminal_*` events the server sends among the
// other room events. Written here from the wire contract until the server's OpenAPI document
// carries them; then these become `Extract`s of the generated unions, in this one place.
import { ROOM_PROTOCOL_VERSION } from '../run/types';

/** Line mode edits a line locally and sends it on Enter; raw mode sends each keystroke. */
export const TERMINAL_MODES = ['line', 'raw'] as const;
export type TerminalMode = (typeof TERMINAL_MODES)[number];

export type TerminalSignal = 'interrupt' | 'eof';

/** Why a session ended (`terminal_ended.reason`). */
export type TerminalEndReason =
  | 'exited'
  | 'interrupted'
  | 'stopped'
  | 'idle'
  | 'time_limit'
  | 'memory_limit'
  | 'output_limit'
  | 'compile_error'
  | 'error';

/** Why the server refused a terminal message (`terminal_error.code`, to the sender only). */
export type TerminalErrorCode = 'not_allowed' | 'busy' | 'not_running' | 'rate_limited' | 'invalid' | 'unavailable';

/** The most bytes (UTF-8) one `terminal_input` may carry. */
export const TERMINAL_INPUT_MAX_BYTES = 4096;

interface Versioned {
  v: number;
}

export interface TerminalStarted extends Versioned {
  type: 'terminal_started';
  session_id: string;
  language: string;
  mode: TerminalMode;
  /** A participant id. */
  started_by: string;
  started_at: string;
}

export interface TerminalOutput extends Versioned {
  type: 'terminal_output';
  session_id: string;
  /** Per session, increasing; shared with `terminal_input`. */
  seq: number;
  data: string;
}

export interface TerminalInput extends Versioned {
  type: 'terminal_input';
  session_id: string;
  seq: number;
  data: string;
  /** The participant id of whoever typed it. */
  by: string;
}

export interface TerminalEnded extends Versioned {
  type: 'terminal_ended';
  session_id: string;
  reason: TerminalEndReason;
  exit_code: number | null;
  message: string;
}

export interface TerminalStateEvent extends Versioned {
  type: 'terminal_state';
  session_id: string;
  language: string;
  mode: TerminalMode;
  started_by: string;
  started_at: string;
  /** The last ≤ 64 KiB the terminal showed: output and line-mode input, in order. */
  transcript: string;
}

export interface TerminalError extends Versioned {
  type: 'terminal_error';
  code: TerminalErrorCode;
  message: string;
}

export type TerminalEvent =
  TerminalStarted | TerminalOutput | TerminalInput | TerminalEnded | TerminalStateEvent | TerminalError;

export type TerminalClientMessage =
  | { type: 'terminal_start'; v: number; mode: TerminalMode }
  | { type: 'terminal_input'; v: number; session_id: string; data: string }
  | { type: 'terminal_signal'; v: number; session_id: string; signal: TerminalSignal }
  | { type: 'terminal_stop'; v: number; session_id: string };

/** The terminal's events are the room events whose type starts with `terminal_`. */
export function isTerminalEvent(event: { type: string }): event is TerminalEvent {
  return event.type.startsWith('terminal_');
}

export const terminalStart = (mode: TerminalMode): TerminalClientMessage => ({
  type: 'terminal_start',
  v: ROOM_PROTOCOL_VERSION,
  mode,
});

export const terminalInput = (sessionId: string, data: string): TerminalClientMessage => ({
  type: 'terminal_input',
  v: ROOM_PROTOCOL_VERSION,
  session_id: sessionId,
  data,
});

export const terminalSignal = (sessionId: string, signal: TerminalSignal): TerminalClientMessage => ({
  type: 'terminal_signal',
  v: ROOM_PROTOCOL_VERSION,
  session_id: sessionId,
  signal,
});

export const terminalStop = (sessionId: string): TerminalClientMessage => ({
  type: 'terminal_stop',
  v: ROOM_PROTOCOL_VERSION,
  session_id: sessionId,
});
