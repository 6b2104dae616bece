// The room's terminal as a hook: runs the state machine (terminalSession.ts) on the room
// socket's events and on the panel's keys and buttons, sends what each step says on the shared
// socket (`sendToRoom`), and gives up a running session the socket could not confirm after a
// reconnect, or a start the server never answered. It also keeps the mode picked for the next start, and tells the panel when a new
// session starts (to show it) and when ours did (to focus it). The terminal view (xterm.js,
// loaded lazily) only draws `state.screen`.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { sendToRoom } from '../run/roomEventConnection';
import { useRoomEvents, type SocketState } from '../run/useRoomEvents';
import {
  acceptsKeys,
  INITIAL_TERMINAL,
  terminalStep,
  type TerminalAction,
  type TerminalState,
  type TerminalViewer,
} from './terminalSession';
import type { TerminalMode } from './terminalWire';

/** After a reconnect, how long the server has to confirm the running session. */
const CONFIRM_MS = 4000;
/** How long a start waits for `terminal_started` (or a refusal). */
const START_ANSWER_MS = 20_000;

export interface TerminalOptions {
  interviewId: string;
  viewer: TerminalViewer;
  /** A session started (anyone's, or found running on joining). */
  onSession?: () => void;
}

export interface TerminalHandle {
  state: TerminalState;
  socketState: SocketState;
  /** Keys typed now reach the program. */
  acceptsKeys: boolean;
  /** Counts refused keys (the view rings its bell when it changes). */
  bells: number;
  /** Counts the sessions we started (the view takes focus when it changes). */
  focusRequests: number;
  /** The mode the next start asks for. */
  mode: TerminalMode;
  setMode: (mode: TerminalMode) => void;
  /** Starts a session in `mode`, if this viewer may and none runs; says whether it asked. */
  start: () => boolean;
  dispatch: (action: TerminalAction) => void;
}

export function useTerminal({ interviewId, viewer, onSession }: TerminalOptions): TerminalHandle {
  const [state, setState] = useState(INITIAL_TERMINAL);
  const [bells, setBells] = useState(0);
  const [focusRequests, setFocusRequests] = useState(0);
  const [mode, setMode] = useState<TerminalMode>('line');
  // Keys arrive faster than React renders: each step starts from the last one's state.
  const stateRef = useRef(state);
  const viewerRef = useRef(viewer);
  const onSessionRef = useRef(onSession);
  useLayoutEffect(() => {
    viewerRef.current = viewer;
    onSessionRef.current = onSession;
  });

  const dispatch = useCallback(
    (action: TerminalAction) => {
      const step = terminalStep(stateRef.current, action, viewerRef.current);
      let next = step.state;
      if (!step.send.every((message) => sendToRoom(interviewId, message)))
        next = terminalStep(next, { kind: 'unsent' }, viewerRef.current).state;
      const before = stateRef.current;
      stateRef.current = next;
      setState(next);
      if (step.bell) setBells((count) => count + 1);
      if (next.session && next.session.id !== before.session?.id && !next.end) {
        onSessionRef.current?.();
        if (before.starting) setFocusRequests((count) => count + 1);
      }
    },
    [interviewId],
  );

  const socketState = useRoomEvents(interviewId, {
    onEvents: (events) => dispatch({ kind: 'events', events }),
    onDisconnect: () => dispatch({ kind: 'disconnected' }),
  });

  const waitingForConfirmation = state.unconfirmed && socketState === 'open';
  useEffect(() => {
    if (!waitingForConfirmation) return;
    const timer = setTimeout(() => dispatch({ kind: 'lost' }), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [waitingForConfirmation, dispatch]);

  const start = useCallback(() => {
    const asked = terminalStep(stateRef.current, { kind: 'start', mode }, viewerRef.current).send.length > 0;
    if (asked) dispatch({ kind: 'start', mode });
    return asked;
  }, [dispatch, mode]);

  useEffect(() => {
    if (!state.starting) return;
    const timer = setTimeout(() => dispatch({ kind: 'unanswered' }), START_ANSWER_MS);
    return () => clearTimeout(timer);
  }, [state.starting, dispatch]);

  return {
    state,
    socketState,
    acceptsKeys: acceptsKeys(state, viewer),
    bells,
    focusRequests,
    mode,
    setMode,
    start,
    dispatch,
  };
}
