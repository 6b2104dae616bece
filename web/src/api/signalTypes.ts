// The integrity signals' wire shapes as the room uses them (issue 19): what the candidate's
// browser reports (`SignalReport`, POST /api/interviews/{id}/signals or the room socket's
// `signal` message), what the interviewers receive live (`SignalRoomEvent`), with the server's
// limits on the reported numbers. The shapes come from `schema.d.ts`.
import type { SignalData, SignalKind } from './playbackTypes';
import { SIGNAL_KINDS } from './playbackTypes';
import type { Exactly, Schemas } from './types';

export type { SignalData, SignalKind };

type RoomEvent = Schemas['RoomEvent'];

/** The kinds a browser reports (the server refuses any other). */
export const REPORTED_SIGNAL_KINDS = [
  'paste',
  'tab_hidden',
  'tab_visible',
  'focus_lost',
  'focus_gained',
  'copy',
] as const;
export type ReportedSignalKind = Schemas['ReportedSignalKind'];
const reportedKindsAreExact: Exactly<(typeof REPORTED_SIGNAL_KINDS)[number], ReportedSignalKind> = true;
void reportedKindsAreExact;

/** The server's bounds on a report's numbers (out of range → 422). */
export const SIGNAL_LIMITS = {
  /** `length`: characters, 0..=10,000,000. */
  maxLength: 10_000_000,
  /** `duration_ms`: 0..=86,400,000 (a day). */
  maxDurationMs: 86_400_000,
} as const;

/** A report from the candidate's browser. */
export type SignalReport = Schemas['SignalReport'];

/** The room socket's client message carrying a report. */
export type SignalMessage = Extract<Schemas['RoomClientMessage'], { type: 'signal' }>;

/** The room event sent to the host and interviewers (never the candidate or observers). */
export type SignalRoomEvent = Extract<RoomEvent, { type: 'signal' }>;

/** Whether a room event is a signal with a known kind. */
export function isSignalRoomEvent(event: RoomEvent): event is SignalRoomEvent {
  return event.type === 'signal' && isSignalData(event.signal);
}

/** Whether `value` has the shape of `SignalData` (a known kind; the numbers are not checked here). */
export function isSignalData(value: unknown): value is SignalData {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as Record<string, unknown>)['kind'];
  return (SIGNAL_KINDS as readonly unknown[]).includes(kind);
}
