// The playback API's calls (docs/api.md, issue 19): the interview's timeline and each
// document's history entries (host and interviewers), and the candidate's integrity signal
// report (the fallback when the room socket is not open).
import { request } from './client';
import type { HistoryDoc, HistoryEntries, TimelineEvent } from './playbackTypes';
import type { SignalReport } from './signalTypes';
import type { Uuid } from './types';

const base = (interviewId: Uuid) => `/api/interviews/${encodeURIComponent(interviewId)}`;

interface CallOptions {
  signal?: AbortSignal;
  /** False: a 401 is the caller's to handle (the room's badge), not a trip to the sign-in page. */
  redirectOn401?: boolean;
}

/** `GET …/timeline`: every event of the interview, ordered by time. */
export function getTimeline(interviewId: Uuid, options: CallOptions = {}): Promise<TimelineEvent[]> {
  return request<TimelineEvent[]>(`${base(interviewId)}/timeline`, options);
}

/** `GET …/history/{doc}/entries`: the entries of the document's history after `afterSeq` (0: all), ordered by `seq`. */
export function getHistoryEntries(
  interviewId: Uuid,
  doc: HistoryDoc,
  afterSeq: number,
  signal?: AbortSignal,
): Promise<HistoryEntries> {
  const after = afterSeq > 0 ? `?after_seq=${afterSeq}` : '';
  return request<HistoryEntries>(`${base(interviewId)}/history/${doc}/entries${after}`, signal ? { signal } : {});
}

/** `POST …/signals` (the candidate only); 202 with the stored signal, which nobody here needs. */
export function postSignal(interviewId: Uuid, report: SignalReport): Promise<unknown> {
  return request<unknown>(`${base(interviewId)}/signals`, { method: 'POST', body: report, redirectOn401: false });
}
