// Typed calls of the replay page (host and interviewers): the interview's timeline and each
// document's history entries (docs/api.md, issue 19). Both go through the shared `request`
// (cookies, ApiError, the 401 hook).
import { request } from '../../api/client';
import type { HistoryDoc, HistoryEntries, TimelineEvent } from '../../api/playbackTypes';

const base = (interviewId: string) => `/api/interviews/${encodeURIComponent(interviewId)}`;

export function getTimeline(interviewId: string, signal?: AbortSignal): Promise<TimelineEvent[]> {
  return request<TimelineEvent[]>(`${base(interviewId)}/timeline`, signal ? { signal } : {});
}

/** Every entry of the document's history so far, ordered by `seq`. */
export function getHistoryEntries(interviewId: string, doc: HistoryDoc, signal?: AbortSignal): Promise<HistoryEntries> {
  return request<HistoryEntries>(`${base(interviewId)}/history/${doc}/entries`, signal ? { signal } : {});
}
