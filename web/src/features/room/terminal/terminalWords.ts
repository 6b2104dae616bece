// The terminal panel's sentences: the status beside its buttons, the title of a refusal, and
// why "Run interactively" is disabled. Pure, so they are unit-tested directly.
import type { TerminalProblem, TerminalState } from './terminalSession';
import type { TerminalMode } from './terminalWire';

export const MODE_LABELS: Record<TerminalMode, string> = {
  line: 'Line mode',
  raw: 'Raw mode',
};

/** One line: what the terminal is doing; `startedBy` names whoever started it ("you", "Casey"). */
export function terminalStatus(
  state: TerminalState,
  startedBy: (participantId: string) => string | null = () => null,
): string {
  if (state.starting) return 'Starting…';
  const session = state.session;
  if (!session) return 'Not running';
  if (state.end) return `Ended: ${state.end.message}`;
  if (state.unconfirmed) return 'Reconnecting…';
  if (state.stopping) return 'Stopping…';
  const who = startedBy(session.startedBy);
  return `Running · ${session.language} · ${MODE_LABELS[session.mode].toLowerCase()}${who ? ` · started by ${who}` : ''}`;
}

const PROBLEM_TITLES: Record<TerminalProblem['code'], string> = {
  not_allowed: 'Not allowed to use the terminal',
  busy: 'A program is already running in the terminal',
  not_running: 'The program is no longer running',
  rate_limited: 'Too fast: some input was not sent',
  invalid: 'The terminal refused that input',
  unavailable: 'The terminal is unavailable',
  offline: 'Not connected',
};

/** The alert's title for a refusal (the server's message goes under it). */
export function problemTitle(problem: TerminalProblem): string {
  return PROBLEM_TITLES[problem.code] ?? 'The terminal refused that';
}

/** Why "Run interactively" is disabled for this person, or null (running, starting and the
 * socket are the panel's to show). */
export function startDisabledReason(options: {
  role: string | null;
  live: boolean;
  isInterviewer: boolean;
  runsDisabled: boolean;
}): string | null {
  if (options.role === 'observer') return "Observers see the terminal but can't type in it or start it.";
  if (options.role === null) return "You can't use the terminal in this room.";
  if (!options.live) return 'The terminal can be used while the interview is live.';
  if (options.runsDisabled && !options.isInterviewer) return 'The interviewer has paused running code.';
  return null;
}

/** The placeholder shown before anything ran. */
export function emptyHint(canUse: boolean): string {
  return canUse
    ? 'Run your program interactively: its output appears here and what you type goes to its input.'
    : 'When someone runs the program interactively, its output and input appear here.';
}
