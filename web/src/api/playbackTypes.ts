// The web's names for the playback API's wire types (issue 19): the interview's timeline, a
// document's history entries and its text at an instant, and the integrity signals. The shapes
// come from the server's OpenAPI document (`schema.d.ts`); the lists below are checked against
// its unions at compile time.
import type { Exactly, Schemas } from './types';

/** The two documents whose history is kept (the `{doc}` of the history routes). */
export type HistoryDoc = 'code' | 'notes';

/** One accepted update of a document, in the order the server applied it. */
export type HistoryEntry = Schemas['HistoryEntryView'];
/** `GET /api/interviews/{id}/history/{doc}/entries`, ordered by `seq`. */
export type HistoryEntries = Schemas['HistoryEntries'];
/** `GET /api/interviews/{id}/history/{doc}?at=`: the exact text at that instant. */
export type HistoryAt = Schemas['HistoryText'];

export type SignalKind = Schemas['SignalKind'];
export const SIGNAL_KINDS = [
  'paste',
  'tab_hidden',
  'tab_visible',
  'focus_lost',
  'focus_gained',
  'copy',
  'large_insert',
] as const;
const signalKindsAreExact: Exactly<(typeof SIGNAL_KINDS)[number], SignalKind> = true;
void signalKindsAreExact;

/** An integrity signal as stored: evidence of what happened in the candidate's browser, never a verdict. */
export type SignalData = Schemas['SignalData'];

/** One event of `GET /api/interviews/{id}/timeline` (an array ordered by `at`). */
export type TimelineEvent = Schemas['TimelineEvent'];
export type TimelineKind = TimelineEvent['kind'];
/** The event of kind `K`. */
export type TimelineEventOf<K extends TimelineKind> = Extract<TimelineEvent, { kind: K }>;
/** The `data` of each timeline kind. */
export type TimelineData = { [K in TimelineKind]: TimelineEventOf<K>['data'] };

export const TIMELINE_KINDS = [
  'started',
  'ended',
  'joined',
  'left',
  'language_changed',
  'question_changed',
  'control_changed',
  'run_started',
  'run_finished',
  'note_edited',
  'signal',
] as const;
const timelineKindsAreExact: Exactly<(typeof TIMELINE_KINDS)[number], TimelineKind> = true;
void timelineKindsAreExact;
