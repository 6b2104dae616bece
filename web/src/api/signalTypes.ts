// Wire shapes of the integrity signals (issue 19): what the candidate's browser reports
// (`SignalReport`, POST /api/interviews/{id}/signals or the room socket's `signal` message), what
// the interviewers receive live (`SignalRoomEvent`) and what the timeline holds (`TimelineEvent`
// of kind `signal`), with the server's limits on the reported numbers.
// TODO(merge): generated — replace these hand-written shapes with names from schema.d.ts
// (`Schemas['SignalReport']`, the `signal` variant of `Schemas['RoomEvent']`, the timeline's
// event) once the server's OpenAPI document has them; keep the runtime lists checked against it.

/** The kinds a browser reports (the server refuses any other). */
export const REPORTED_SIGNAL_KINDS = [
  'paste',
  'tab_hidden',
  'tab_visible',
  'focus_lost',
  'focus_gained',
  'copy',
] as const;
export type ReportedSignalKind = (typeof REPORTED_SIGNAL_KINDS)[number];

/** Every kind a stored signal may have: the reported ones and the server's own `large_insert`. */
export type SignalKind = ReportedSignalKind | 'large_insert';

/** The server's bounds on a report's numbers (`deny_unknown_fields`, out of range → 400). */
export const SIGNAL_LIMITS = {
  /** `length`: characters, 0..=10,000,000. */
  maxLength: 10_000_000,
  /** `duration_ms`: 0..=86,400,000 (a day). */
  maxDurationMs: 86_400_000,
} as const;

/** A report from the candidate's browser. */
export interface SignalReport {
  kind: ReportedSignalKind;
  /** paste / copy: characters. */
  length?: number;
  /** paste: the text did not come from a copy or cut in this interview's editor. */
  external?: boolean;
  /** copy: the share of the document copied, 0..=1. */
  share?: number;
  /** tab_visible: how long the tab was hidden; focus_gained: how long the window was unfocused. */
  duration_ms?: number;
}

/** A stored signal as the timeline and the live event carry it (absent fields may come as null). */
export interface SignalData {
  kind: SignalKind;
  length?: number | null;
  external?: boolean | null;
  share?: number | null;
  duration_ms?: number | null;
}

/** The room socket's client message carrying a report. */
export interface SignalMessage {
  type: 'signal';
  v: 1;
  signal: SignalReport;
}

/** The room event sent to the host and interviewers (never the candidate or observers). */
export interface SignalRoomEvent {
  type: 'signal';
  v: 1;
  /** Server clock, RFC 3339. */
  at: string;
  participant_id: string;
  signal: SignalData;
}

/** One event of `GET /api/interviews/{id}/timeline` (an array ordered by `at`). */
export interface TimelineEvent {
  at: string;
  kind: string;
  participant_id: string | null;
  data: unknown;
}

/** Whether a room event (typed as the generated union, which lacks `signal` until the merge) is a signal. */
export function isSignalRoomEvent(event: { type: string }): event is SignalRoomEvent {
  const record = event as unknown as Record<string, unknown>;
  return event.type === 'signal' && typeof record['at'] === 'string' && isSignalData(record['signal']);
}

/** Whether `value` has the shape of `SignalData` (a known kind; the numbers are not checked here). */
export function isSignalData(value: unknown): value is SignalData {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as Record<string, unknown>)['kind'];
  return kind === 'large_insert' || (REPORTED_SIGNAL_KINDS as readonly unknown[]).includes(kind);
}
