// Wire types of the playback API (issue 19): the interview's timeline, a document's history
// entries and its text at an instant. TODO(merge): generated — once the server's OpenAPI
// document has these routes, `make api-types` writes them into schema.d.ts and this file names
// them there, as types.ts does (`TimelineEvent = Schemas['TimelineEvent']`, …).
import type { Language, Role, Timestamp, Uuid } from './types';

/** The two documents whose history is kept. */
export type HistoryDoc = 'code' | 'notes';

/** One accepted update of a document, in the order the server applied it. */
export interface HistoryEntry {
  seq: number;
  /** Server time, unix milliseconds. */
  at_ms: number;
  /** Who sent it; null for the server's own updates (e.g. the starter code seeded at the start). */
  participant_id: Uuid | null;
  /** Base64 of a Yjs v1 update. */
  update: string;
}

/** `GET /api/interviews/{id}/history/{doc}/entries`, ordered by `seq`. */
export interface HistoryEntries {
  doc: HistoryDoc;
  entries: HistoryEntry[];
}

/** `GET /api/interviews/{id}/history/{doc}?at=`: the exact text at that instant. */
export interface HistoryAt {
  doc: HistoryDoc;
  at: Timestamp;
  text: string;
  language: Language | null;
  question_id: Uuid | null;
}

export const SIGNAL_KINDS = [
  'paste',
  'tab_hidden',
  'tab_visible',
  'focus_lost',
  'focus_gained',
  'copy',
  'large_insert',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** An integrity signal: evidence of what happened in the candidate's browser, never a verdict. */
export interface SignalData {
  kind: SignalKind;
  /** paste, copy, large_insert: characters. */
  length?: number;
  /** paste: the text did not come from a copy or cut inside this interview's editor. */
  external?: boolean;
  /** copy: the share of the document copied, 0..1. */
  share?: number;
  /** tab_visible: how long the tab was hidden; focus_gained: how long the window was unfocused. */
  duration_ms?: number;
}

/** The `data` of each timeline kind. */
export interface TimelineData {
  started: Record<string, never>;
  ended: Record<string, never>;
  joined: { role: Role };
  left: { role: Role };
  language_changed: { language: Language };
  question_changed: { question_id: Uuid | null };
  control_changed: { changes: Record<string, unknown> };
  run_started: { run_id: Uuid; language: Language; mode: 'run' | 'test' };
  run_finished: { run_id: Uuid; status: string; verdict: string | null };
  note_edited: { until: Timestamp; edits: number };
  signal: SignalData;
}

export type TimelineKind = keyof TimelineData;

export const TIMELINE_KINDS: readonly TimelineKind[] = [
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
];

/** One event of `GET /api/interviews/{id}/timeline` (an array ordered by `at`). */
export type TimelineEvent = {
  [K in TimelineKind]: { at: Timestamp; kind: K; participant_id: Uuid | null; data: TimelineData[K] };
}[TimelineKind];

/** The event of kind `K`. */
export type TimelineEventOf<K extends TimelineKind> = Extract<TimelineEvent, { kind: K }>;
