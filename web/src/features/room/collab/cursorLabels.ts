// When a remote caret's name label shows (pure timing and placement; useCursorLabels drives it).
// Like Google Docs, a label is not permanent: it shows for a few seconds when the caret arrives
// (the participant joins, or their caret first appears in this editor) and otherwise only while
// the pointer is over the caret (CSS, room.css). Two labels never stack: of arrival labels that
// would overlap on the same line, the newest arrival's wins.
import { cursorLabel } from './cursorStyles';

/** How long a label stays up after its caret arrives. */
export const LABEL_ARRIVAL_MS = 3000;

/** A remote caret where it is drawn (0-based line; column in characters). */
export interface Caret {
  clientId: number;
  line: number;
  column: number;
  name: string;
}

/**
 * The arrival time of every client in `present`: kept from `prev`, `now` for newcomers.
 * Clients no longer present are forgotten, so a caret that comes back arrives again.
 */
export function trackArrivals(
  prev: ReadonlyMap<number, number>,
  present: Iterable<number>,
  now: number,
): Map<number, number> {
  const next = new Map<number, number>();
  for (const id of present) next.set(id, prev.get(id) ?? now);
  return next;
}

/** Clients whose arrival window is still open at `now`. */
export function arrivingClients(
  arrivals: ReadonlyMap<number, number>,
  now: number,
  showMs = LABEL_ARRIVAL_MS,
): number[] {
  return [...arrivals].filter(([, at]) => now - at < showMs).map(([id]) => id);
}

/** Milliseconds until the next open arrival window closes, or null when none is open. */
export function nextLabelExpiry(
  arrivals: ReadonlyMap<number, number>,
  now: number,
  showMs = LABEL_ARRIVAL_MS,
): number | null {
  let soonest: number | null = null;
  for (const at of arrivals.values()) {
    const left = at + showMs - now;
    if (left > 0 && (soonest === null || left < soonest)) soonest = left;
  }
  return soonest;
}

/** Editor columns a label covers: its text (11 px type is narrower than the 14 px code) plus padding. */
export function labelColumns(name: string): number {
  return Array.from(cursorLabel(name)).length + 2;
}

function overlaps(a: Caret, b: Caret): boolean {
  if (a.line !== b.line) return false; // each label sits above its own line
  const [left, right] = a.column <= b.column ? [a, b] : [b, a];
  return right.column - left.column < labelColumns(left.name);
}

/**
 * The clients whose arrival label shows: carets still in their arrival window, newest arrival
 * first, each kept only if its label does not overlap one already kept.
 */
export function labelsToShow(
  carets: readonly Caret[],
  arrivals: ReadonlyMap<number, number>,
  now: number,
  showMs = LABEL_ARRIVAL_MS,
): Set<number> {
  const open = carets
    .filter((c) => {
      const at = arrivals.get(c.clientId);
      return at !== undefined && now - at < showMs;
    })
    .sort((a, b) => arrivals.get(b.clientId)! - arrivals.get(a.clientId)! || a.clientId - b.clientId);
  const kept: Caret[] = [];
  for (const caret of open) if (!kept.some((k) => overlaps(k, caret))) kept.push(caret);
  return new Set(kept.map((c) => c.clientId));
}
