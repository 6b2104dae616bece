// The terminal as the run panel mounts it: who may use it (every role but observers, while
// the interview is live; the candidate not while runs are paused), the terminal's state
// (useTerminal), its tab in the run panel's tab list, and the Ctrl/⌘+Alt+Enter shortcut, which
// shows the tab and starts a session when none runs. `show` opens the tab; it is also called
// when anyone's session starts.
import type { Role } from '../../../api/types';
import type { RunTabSpec } from '../run/runViews';
import { isRunning } from './terminalSession';
import { startDisabledReason } from './terminalWords';
import { useTerminal, type TerminalHandle } from './useTerminal';
import { useTerminalShortcut } from './useTerminalShortcut';

export interface TerminalAccess {
  role: Role | null;
  live: boolean;
  selfParticipantId: string | null;
  /** The interview's participants, to name who started a session. */
  participants?: readonly { id: string; name: string }[];
}

export interface RoomTerminalOptions extends TerminalAccess {
  interviewId: string;
  isInterviewer: boolean;
  runsDisabled: boolean;
}

export interface RoomTerminal {
  terminal: TerminalHandle;
  /** Who a participant id is, for the status ("you", or their name). */
  nameOf: (participantId: string) => string | null;
  canUse: boolean;
  startReason: string | null;
  tab: RunTabSpec;
}

export function useRoomTerminal(options: RoomTerminalOptions, show: () => void): RoomTerminal {
  const { role, live } = options;
  const canUse = role !== null && role !== 'observer' && live;
  const startReason = startDisabledReason(options);
  const terminal = useTerminal({
    interviewId: options.interviewId,
    viewer: { selfId: options.selfParticipantId, canUse },
    onSession: show,
  });
  useTerminalShortcut(() => {
    show();
    if (startReason === null) terminal.start();
  });
  const running = isRunning(terminal.state);
  const { participants, selfParticipantId } = options;
  const nameOf = (id: string) =>
    id === selfParticipantId ? 'you' : (participants?.find((p) => p.id === id)?.name ?? null);
  return {
    terminal,
    nameOf,
    canUse,
    startReason,
    tab: { id: 'terminal', label: 'Terminal', ...(running ? { count: 'live' } : {}) },
  };
}
