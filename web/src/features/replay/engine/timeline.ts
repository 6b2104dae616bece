// The timeline as the replay uses it: each event with its time in unix ms, in order (unknown
// kinds and unreadable times left out, so a newer server cannot break the page), and the
// question the room had open at any instant (from `question_changed`).
import { TIMELINE_KINDS, type TimelineEvent } from '../../../api/playbackTypes';
import { countAtMost } from './sortedSearch';

export interface TimedEvent {
  atMs: number;
  event: TimelineEvent;
  /** Stable key: the event's place in the server's list. */
  key: string;
}

const KNOWN = new Set<string>(TIMELINE_KINDS);

export function timedEvents(events: readonly TimelineEvent[]): TimedEvent[] {
  const timed: TimedEvent[] = [];
  events.forEach((event, index) => {
    const atMs = Date.parse(event.at);
    if (!KNOWN.has(event.kind) || !Number.isFinite(atMs) || typeof event.data !== 'object' || event.data === null)
      return;
    timed.push({ atMs, event, key: `${index}:${event.kind}` });
  });
  // Stable: events at the same instant keep the server's order.
  return timed.sort((a, b) => a.atMs - b.atMs);
}

/** The question chosen at each `question_changed`; before the first, none (the room shows the first question). */
export class QuestionTrack {
  private readonly times: number[] = [];
  private readonly questions: (string | null)[] = [];

  constructor(events: readonly TimedEvent[]) {
    for (const { atMs, event } of events) {
      if (event.kind !== 'question_changed') continue;
      this.times.push(atMs);
      this.questions.push(event.data.question_id ?? null);
    }
  }

  /** The question chosen at `atMs` (an event at exactly `atMs` counts), or null. */
  questionAt(atMs: number): string | null {
    const low = countAtMost(this.times, atMs);
    return low === 0 ? null : (this.questions[low - 1] ?? null);
  }
}

/** When the session starts and ends, in unix ms, for the scrub bar. */
export interface SessionBounds {
  startMs: number;
  endMs: number;
}

/**
 * From the start (the interview's, else the first thing recorded) to its end (the interview's
 * end or the last code change, whichever is later) — or, while it goes on, to `nowMs` or the
 * latest activity. Notes written after the end do not stretch it: the end shows the final notes.
 */
export function sessionBounds(input: {
  startedAt: string | null;
  endedAt: string | null;
  firstActivityMs: number | null;
  lastCodeMs: number | null;
  lastActivityMs: number | null;
  nowMs: number;
}): SessionBounds {
  const started = input.startedAt ? Date.parse(input.startedAt) : NaN;
  const ended = input.endedAt ? Date.parse(input.endedAt) : NaN;
  const startMs = Number.isFinite(started) ? started : (input.firstActivityMs ?? input.nowMs);
  const endMs = Number.isFinite(ended)
    ? Math.max(ended, input.lastCodeMs ?? ended)
    : Math.max(input.nowMs, input.lastActivityMs ?? input.nowMs);
  return { startMs, endMs: Math.max(startMs, endMs) };
}
