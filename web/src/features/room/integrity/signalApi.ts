// The integrity signals' HTTP calls: the candidate's report (the fallback when the room socket is
// not open) and the interviewers' timeline, read for the signals stored so far.
// TODO(merge): the replay page reads the same timeline; one typed call in api/ once both are in.
import { request } from '../../../api/client';
import type { SignalReport, TimelineEvent } from '../../../api/signalTypes';

const base = (interviewId: string) => `/api/interviews/${encodeURIComponent(interviewId)}`;

/** `POST …/signals` (the candidate only); 202 with the stored signal, which nobody here needs. */
export function postSignal(interviewId: string, report: SignalReport): Promise<unknown> {
  return request<unknown>(`${base(interviewId)}/signals`, { method: 'POST', body: report, redirectOn401: false });
}

/** `GET …/timeline` (host and interviewers): every event of the interview, ordered by time. */
export function getTimeline(interviewId: string, signal?: AbortSignal): Promise<TimelineEvent[]> {
  return request<TimelineEvent[]>(`${base(interviewId)}/timeline`, {
    redirectOn401: false,
    ...(signal ? { signal } : {}),
  });
}
