// The interactive terminal's messages on the room socket (`/ws/rooms/{interview_id}`, protocol
// v1; docs/api.md): what the browser sends (`terminal_start`, `terminal_input`,
// `terminal_signal`, `terminal_stop`) and the `terminal_*` events the server sends among the
// other room events. The shapes are the server's (generated into api/schema.d.ts from its
// OpenAPI document); only the mode list the UI shows is written here, checked against them.
import type { Exactly, Schemas } from '../../../api/types';
import { ROOM_PROTOCOL_VERSION, type RoomEvent } from '../run/types';

/** Line mode edits a line locally and sends it on Enter; raw mode sends each keystroke. */
export const TERMINAL_MODES = ['line', 'raw'] as const;
export type TerminalMode = Schemas['TerminalMode'];
export const TERMINAL_MODES_MATCH_THE_SERVER: Exactly<(typeof TERMINAL_MODES)[number], TerminalMode> = true;

export type TerminalSignal = Schemas['TerminalSignal'];
/** Why a session ended (`terminal_ended.reason`). */
export type TerminalEndReason = Schemas['TerminalEndReason'];
/** Why the server refused a terminal message (`terminal_error.code`, to the sender only). */
export type TerminalErrorCode = Schemas['TerminalErrorCode'];

/** The most bytes (UTF-8) one `terminal_input` may carry (the server's limit). */
export const TERMINAL_INPUT_MAX_BYTES = 4096;

/** The terminal's events among the room events. */
export type TerminalEvent = Extract<RoomEvent, { type: `terminal_${string}` }>;
type TerminalEventOf<Type extends TerminalEvent['type']> = Extract<TerminalEvent, { type: Type }>;
export type TerminalStarted = TerminalEventOf<'terminal_started'>;
/** The program's output; `seq` is per session, increasing, shared with `terminal_input`. */
export type TerminalOutput = TerminalEventOf<'terminal_output'>;
/** A line someone typed (line mode only); `by` is their participant id. */
export type TerminalInput = TerminalEventOf<'terminal_input'>;
export type TerminalEnded = TerminalEventOf<'terminal_ended'>;
/** To a socket that connects while a session runs: `transcript` is the last ≤ 64 KiB shown. */
export type TerminalStateEvent = TerminalEventOf<'terminal_state'>;
export type TerminalError = TerminalEventOf<'terminal_error'>;

/** What the browser sends about the terminal. */
export type TerminalClientMessage = Extract<Schemas['RoomClientMessage'], { type: `terminal_${string}` }>;

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
