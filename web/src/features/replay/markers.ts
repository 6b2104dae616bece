// The scrub bar's markers: runs, question and language switches, joins and leaves, and
// integrity signals, each placed at its share of the session (clamped to its ends) in a lane
// of its own, so that dense signals never hide a run.
import type { EventGroup, ToldEvent } from './eventWords';

export type MarkerLane = Extract<EventGroup, 'run' | 'code' | 'people' | 'signal'>;

const LANES: ReadonlySet<EventGroup> = new Set<MarkerLane>(['run', 'code', 'people', 'signal']);

export interface Marker {
  key: string;
  atMs: number;
  /** Where on the bar, 0..1. */
  fraction: number;
  lane: MarkerLane;
  text: string;
  runId?: string;
  tone?: ToldEvent['tone'];
}

export function markersOf(told: readonly ToldEvent[], startMs: number, endMs: number): Marker[] {
  const length = endMs - startMs;
  return told
    .filter((event) => LANES.has(event.group))
    .map((event) => ({
      key: event.key,
      atMs: event.atMs,
      fraction: length > 0 ? Math.min(1, Math.max(0, (event.atMs - startMs) / length)) : 0,
      lane: event.group as MarkerLane,
      text: event.text,
      ...(event.runId ? { runId: event.runId } : {}),
      ...(event.tone ? { tone: event.tone } : {}),
    }));
}
