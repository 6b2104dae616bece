// The interviewers' view of the candidate's signals as data: the signals stored so far (from the
// timeline) and those arriving live (room events), merged without duplicates in time order, then
// turned into the entries the list shows — a `tab_hidden` and its `tab_visible` become one "left
// the tab for …" entry, and the same for the window's focus. Pure, so it is unit-tested directly.
import type { TimelineEvent } from '../../../api/playbackTypes';
import { isSignalData, type SignalData, type SignalRoomEvent } from '../../../api/signalTypes';

/** One stored signal. */
export interface RoomSignal {
  /** Server clock, RFC 3339. */
  at: string;
  atMs: number;
  participantId: string | null;
  signal: SignalData;
}

/** One line of the list. `at` is when it began (left the tab, pasted…). */
export type SignalEntry =
  | { type: 'paste'; atMs: number; length: number | null; external: boolean | null }
  | { type: 'copy'; atMs: number; length: number | null; share: number | null }
  | { type: 'large_insert'; atMs: number; length: number | null }
  | {
      type: 'away';
      where: 'tab' | 'window';
      atMs: number;
      /** How long, once back (null: not known). */
      durationMs: number | null;
      /** False while no return has been seen. */
      back: boolean;
    };

/** The `signal` events of a timeline answer; anything else (or malformed) is left out. */
export function signalsFromTimeline(events: unknown): RoomSignal[] {
  if (!Array.isArray(events)) return [];
  const signals: RoomSignal[] = [];
  for (const event of events as Partial<TimelineEvent>[]) {
    if (event?.kind !== 'signal' || typeof event.at !== 'string' || !isSignalData(event.data)) continue;
    const atMs = Date.parse(event.at);
    if (Number.isNaN(atMs)) continue;
    signals.push({ at: event.at, atMs, participantId: event.participant_id ?? null, signal: event.data });
  }
  return signals;
}

export function signalFromRoomEvent(event: SignalRoomEvent): RoomSignal | null {
  const atMs = Date.parse(event.at);
  if (Number.isNaN(atMs)) return null;
  return { at: event.at, atMs, participantId: event.participant_id, signal: event.signal };
}

/**
 * The same signal may come twice (live, then in a reloaded timeline, whose times may be written
 * with another precision): the same millisecond, participant, kind and numbers is one signal.
 */
function signalKey({ atMs, participantId, signal }: RoomSignal): string {
  return [atMs, participantId, signal.kind, signal.length, signal.duration_ms, signal.share, signal.external].join('|');
}

/** `known` and `incoming` together, each signal once, in time order. */
export function mergeSignals(known: readonly RoomSignal[], incoming: readonly RoomSignal[]): RoomSignal[] {
  const seen = new Set(known.map(signalKey));
  const added = incoming.filter((signal) => {
    const key = signalKey(signal);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (added.length === 0) return known as RoomSignal[];
  return [...known, ...added].sort((a, b) => a.atMs - b.atMs);
}

/** The list's entries, oldest first (signals in time order, as `mergeSignals` keeps them). */
export function signalEntries(signals: readonly RoomSignal[]): SignalEntry[] {
  const entries: SignalEntry[] = [];
  /** The away entry still waiting for its return, per participant and place. */
  const open = new Map<string, Extract<SignalEntry, { type: 'away' }>>();
  const leave = (where: 'tab' | 'window', signal: RoomSignal) => {
    const key = `${signal.participantId}|${where}`;
    const previous = open.get(key);
    // A second leave without a return between: the first one's return was not reported.
    if (previous) previous.back = true;
    const entry = { type: 'away' as const, where, atMs: signal.atMs, durationMs: null, back: false };
    open.set(key, entry);
    entries.push(entry);
  };
  const come = (where: 'tab' | 'window', signal: RoomSignal) => {
    const key = `${signal.participantId}|${where}`;
    const durationMs = signal.signal.duration_ms ?? null;
    const entry = open.get(key);
    open.delete(key);
    if (entry) {
      entry.back = true;
      entry.durationMs = durationMs;
    } else {
      // Its leaving was not reported (or not kept): it began `duration` before the return.
      entries.push({ type: 'away', where, atMs: signal.atMs - (durationMs ?? 0), durationMs, back: true });
    }
  };
  for (const signal of signals) {
    const { kind, length = null, external = null, share = null } = signal.signal;
    if (kind === 'paste') entries.push({ type: 'paste', atMs: signal.atMs, length, external });
    else if (kind === 'copy') entries.push({ type: 'copy', atMs: signal.atMs, length, share });
    else if (kind === 'large_insert') entries.push({ type: 'large_insert', atMs: signal.atMs, length });
    else if (kind === 'tab_hidden') leave('tab', signal);
    else if (kind === 'focus_lost') leave('window', signal);
    else if (kind === 'tab_visible') come('tab', signal);
    else if (kind === 'focus_gained') come('window', signal);
  }
  return entries.sort((a, b) => a.atMs - b.atMs);
}
