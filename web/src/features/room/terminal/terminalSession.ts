// The room's interactive terminal as a state machine, fed the room's `terminal_*` events, the
// keys typed into the terminal and the panel's buttons; each step says what the screen now
// shows (terminalScreen.ts) and which messages to send (terminalWire.ts). Line mode edits
// locally (lineEditor.ts): the typist's own lines are echoed at once, so their
// `terminal_input` echo from the server is skipped, while others' lines are printed from it;
// output that arrives while a line is being typed is printed above it (the line is erased and
// drawn again after). Raw mode sends each keystroke as typed and echoes nothing. Ctrl+C and
// Ctrl+D become `interrupt` and `eof` signals in both modes. Someone who may not type (an
// observer) sends nothing. Output and input events are applied in `seq` order (a batch is
// sorted; anything at or below the last seq applied is a duplicate). A late joiner's
// `terminal_state` replaces the screen with its transcript. Pure: useTerminal.ts runs it.
import { drawLine, editLine, EMPTY_LINE, eraseLine, type LineBuffer } from './lineEditor';
import { EMPTY_SCREEN, noticeLine, print, resetScreen, terminalNewlines, type Screen } from './terminalScreen';
import {
  isTerminalEvent,
  TERMINAL_INPUT_MAX_BYTES,
  terminalInput,
  terminalSignal,
  terminalStart,
  terminalStop,
  type TerminalClientMessage,
  type TerminalEndReason,
  type TerminalErrorCode,
  type TerminalEvent,
  type TerminalInput,
  type TerminalMode,
  type TerminalOutput,
} from './terminalWire';

/** Who is looking at the terminal. */
export interface TerminalViewer {
  /** Our participant id (to recognise our own lines), if known. */
  selfId: string | null;
  /** May start, type, interrupt and stop (every role but observers, while the interview is live). */
  canUse: boolean;
}

export interface TerminalSessionInfo {
  id: string;
  language: string;
  mode: TerminalMode;
  startedBy: string;
  startedAt: string;
}

export interface TerminalEnd {
  reason: TerminalEndReason;
  exitCode: number | null;
  message: string;
}

/** A refusal from the server, or `offline`: the socket was not open to send on. */
export interface TerminalProblem {
  code: TerminalErrorCode | 'offline';
  message: string;
}

export interface TerminalState {
  /** The running session, or the last one (then `end` says how it ended). */
  session: TerminalSessionInfo | null;
  end: TerminalEnd | null;
  /** We asked to start and wait for `terminal_started` (or a refusal). */
  starting: boolean;
  /** We asked to stop and wait for `terminal_ended`. */
  stopping: boolean;
  /** The highest `seq` applied in this session; null after a (re)sync, until the next one. */
  lastSeq: number | null;
  /** The line being typed (line mode). */
  line: LineBuffer;
  /** Lines we sent whose `terminal_input` echo has not come back (oldest first). */
  unechoed: readonly string[];
  screen: Screen;
  problem: TerminalProblem | null;
  /** The socket came back while the session ran, and its `terminal_state` has not come yet. */
  unconfirmed: boolean;
}

export const INITIAL_TERMINAL: TerminalState = {
  session: null,
  end: null,
  starting: false,
  stopping: false,
  lastSeq: null,
  line: EMPTY_LINE,
  unechoed: [],
  screen: EMPTY_SCREEN,
  problem: null,
  unconfirmed: false,
};

export type TerminalAction =
  /** A batch of room events, in arrival order (anything not `terminal_*` is ignored). */
  | { kind: 'events'; events: readonly { type: string }[] }
  /** Key data from the terminal (xterm.js `onData`). */
  | { kind: 'keys'; data: string }
  | { kind: 'start'; mode: TerminalMode }
  | { kind: 'stop' }
  /** Clears our screen (only ours). */
  | { kind: 'clear' }
  | { kind: 'dismiss' }
  /** The socket dropped: the session is unconfirmed until its next event (the server sends
   * `terminal_state` to a socket that connects while it runs). */
  | { kind: 'disconnected' }
  /** The socket came back but the running session's state never followed: it is gone. */
  | { kind: 'lost' }
  /** The messages of the last step could not be sent (no open socket). */
  | { kind: 'unsent' }
  /** A start got no answer in time. */
  | { kind: 'unanswered' };

export interface TerminalStep {
  state: TerminalState;
  send: TerminalClientMessage[];
  /** A key was refused (the line is full): ring the terminal's bell. */
  bell?: boolean;
}

/** At most this many of our lines wait for their echo (older ones are forgotten). */
const UNECHOED_MAX = 64;

export const isRunning = (state: TerminalState): boolean => state.session !== null && state.end === null;

/** May `viewer` type into the terminal now? */
export const acceptsKeys = (state: TerminalState, viewer: TerminalViewer): boolean =>
  viewer.canUse && isRunning(state) && !state.unconfirmed && !state.stopping;

export function terminalStep(state: TerminalState, action: TerminalAction, viewer: TerminalViewer): TerminalStep {
  switch (action.kind) {
    case 'events':
      return { state: applyEvents(state, action.events, viewer), send: [] };
    case 'keys':
      return typeKeys(state, action.data, viewer);
    case 'start':
      if (!viewer.canUse || isRunning(state) || state.starting) return { state, send: [] };
      return { state: { ...state, starting: true, problem: null }, send: [terminalStart(action.mode)] };
    case 'stop':
      if (!viewer.canUse || !isRunning(state) || !state.session) return { state, send: [] };
      return { state: { ...state, stopping: true }, send: [terminalStop(state.session.id)] };
    case 'clear': {
      const screen = resetScreen(state.screen, isRunning(state) ? drawLine(state.line) : '');
      return { state: { ...state, screen }, send: [] };
    }
    case 'dismiss':
      return { state: { ...state, problem: null }, send: [] };
    case 'disconnected':
      return { state: { ...state, starting: false, stopping: false, unconfirmed: isRunning(state) }, send: [] };
    case 'lost':
      if (!isRunning(state) || !state.unconfirmed) return { state, send: [] };
      return {
        state: ended(state, {
          reason: 'error',
          exitCode: null,
          message: 'The connection dropped and the program was gone when it came back.',
        }),
        send: [],
      };
    case 'unanswered':
      if (!state.starting) return { state, send: [] };
      return {
        state: {
          ...state,
          starting: false,
          problem: { code: 'unavailable', message: 'The server did not answer the start. Try again.' },
        },
        send: [],
      };
    case 'unsent':
      return {
        state: {
          ...state,
          starting: false,
          stopping: false,
          problem: { code: 'offline', message: 'Not connected to the room: nothing was sent. Try again in a moment.' },
        },
        send: [],
      };
  }
}

function typeKeys(state: TerminalState, data: string, viewer: TerminalViewer): TerminalStep {
  const session = state.session;
  if (!session || !acceptsKeys(state, viewer) || data === '') return { state, send: [] };
  if (session.mode === 'raw') return { state, send: rawMessages(session.id, data) };

  const { line, effects } = editLine(state.line, data, TERMINAL_INPUT_MAX_BYTES);
  let screen = state.screen;
  const unechoed = [...state.unechoed];
  const send: TerminalClientMessage[] = [];
  let bell = false;
  for (const effect of effects) {
    if (effect.kind === 'echo') screen = print(screen, effect.text);
    else if (effect.kind === 'send') {
      send.push(terminalInput(session.id, effect.data));
      unechoed.push(effect.data);
    } else if (effect.kind === 'signal') send.push(terminalSignal(session.id, effect.signal));
    else bell = true;
  }
  const step: TerminalStep = {
    state: { ...state, line, screen, unechoed: unechoed.slice(-UNECHOED_MAX) },
    send,
  };
  if (bell) step.bell = true;
  return step;
}

/** Raw keys: text as `terminal_input` (split to the size limit), Ctrl+C and Ctrl+D as signals. */
function rawMessages(sessionId: string, data: string): TerminalClientMessage[] {
  const messages: TerminalClientMessage[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of data.split(/([\x03\x04])/)) {
    if (part === '\x03') messages.push(terminalSignal(sessionId, 'interrupt'));
    else if (part === '\x04') messages.push(terminalSignal(sessionId, 'eof'));
    else for (const chunk of utf8Chunks(part, TERMINAL_INPUT_MAX_BYTES)) messages.push(terminalInput(sessionId, chunk));
  }
  return messages;
}

/** `text` cut into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function utf8Chunks(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const char of text) {
    const size = new TextEncoder().encode(char).length;
    if (bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += char;
    bytes += size;
  }
  if (chunk !== '') chunks.push(chunk);
  return chunks;
}

type Sequenced = TerminalOutput | TerminalInput;

function applyEvents(state: TerminalState, events: readonly { type: string }[], viewer: TerminalViewer): TerminalState {
  let next = state;
  // Output and input of the current session wait here until something else comes, then go in
  // `seq` order.
  let sequenced: Sequenced[] = [];
  const flush = () => {
    for (const event of sequenced.sort((a, b) => a.seq - b.seq)) next = applySequenced(next, event, viewer);
    sequenced = [];
  };
  for (const event of events) {
    if (!isTerminalEvent(event)) continue;
    if (event.type === 'terminal_output' || event.type === 'terminal_input') {
      if (event.session_id === next.session?.id) sequenced.push(event);
      continue;
    }
    flush();
    next = applyEvent(next, event);
  }
  flush();
  return next;
}

function applyEvent(state: TerminalState, event: Exclude<TerminalEvent, Sequenced>): TerminalState {
  switch (event.type) {
    case 'terminal_started':
    case 'terminal_state': {
      // A repeated start (a replay) changes nothing; a state replaces what we had.
      if (event.type === 'terminal_started' && event.session_id === state.session?.id) return state;
      const transcript = event.type === 'terminal_state' ? terminalNewlines(event.transcript) : '';
      return {
        ...INITIAL_TERMINAL,
        problem: state.problem,
        session: {
          id: event.session_id,
          language: event.language,
          mode: event.mode,
          startedBy: event.started_by,
          startedAt: event.started_at,
        },
        screen: resetScreen(state.screen, transcript),
      };
    }
    case 'terminal_ended':
      if (event.session_id !== state.session?.id || state.end) return state;
      return ended(state, { reason: event.reason, exitCode: event.exit_code, message: event.message });
    case 'terminal_error': {
      const next = {
        ...state,
        starting: false,
        stopping: false,
        problem: { code: event.code, message: event.message },
      };
      // Our view of the session was stale: the server no longer runs it.
      if (event.code === 'not_running' && isRunning(state))
        return ended(next, { reason: 'error', exitCode: null, message: 'The program is no longer running.' });
      return next;
    }
  }
}

function applySequenced(state: TerminalState, event: Sequenced, viewer: TerminalViewer): TerminalState {
  if (state.lastSeq !== null && event.seq <= state.lastSeq) return state;
  const next = { ...state, lastSeq: event.seq, unconfirmed: false };
  if (event.type === 'terminal_output') return printAbove(next, terminalNewlines(event.data));
  if (state.session?.mode === 'raw') return next;
  if (event.by === viewer.selfId) {
    // Ours, echoed locally when typed: skip it (and any line of ours the server never echoed).
    const at = next.unechoed.indexOf(event.data);
    if (at !== -1) return { ...next, unechoed: next.unechoed.slice(at + 1) };
  }
  return printAbove(next, terminalNewlines(event.data));
}

/** Prints `text` above the line being typed, which is drawn again after it. */
function printAbove(state: TerminalState, text: string): TerminalState {
  const line = state.line;
  if (line.chars.length === 0) return { ...state, screen: print(state.screen, text) };
  return { ...state, screen: print(state.screen, eraseLine(line) + text + drawLine(line)) };
}

function ended(state: TerminalState, end: TerminalEnd): TerminalState {
  // An unsent line is dropped; the message goes on a line of its own.
  const typing = state.line.chars.length > 0;
  let screen = print(state.screen, eraseLine(state.line));
  if (typing || !state.screen.atLineStart) screen = print(screen, '\r\n');
  screen = print(screen, noticeLine(end.message));
  return {
    ...state,
    end,
    screen,
    line: EMPTY_LINE,
    unechoed: [],
    starting: false,
    stopping: false,
    unconfirmed: false,
  };
}
