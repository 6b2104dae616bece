// Typed calls for the run panel: queue a run, cancel it, read one, the interview's history,
// and the server's languages. All go through the shared `request` (cookies, ApiError).
import { request } from '../../../api/client';
import type { CreateRunRequest, LanguageInfo, QueuedRun, RunList, RunView } from './types';

export function createRun(interviewId: string, body: CreateRunRequest): Promise<QueuedRun> {
  return request<QueuedRun>(`/api/interviews/${encodeURIComponent(interviewId)}/runs`, {
    method: 'POST',
    body,
    redirectOn401: false,
  });
}

export function cancelRun(runId: string): Promise<{ run: RunView }> {
  return request<{ run: RunView }>(`/api/runs/${encodeURIComponent(runId)}/cancel`, {
    method: 'POST',
    redirectOn401: false,
  });
}

/** One run; with `waitSeconds`, the server holds the answer until the run finishes (max 30 s). */
export function getRun(runId: string, signal?: AbortSignal, waitSeconds?: number): Promise<{ run: RunView }> {
  return request<{ run: RunView }>(`/api/runs/${encodeURIComponent(runId)}`, {
    redirectOn401: false,
    query: { wait: waitSeconds },
    ...(signal ? { signal } : {}),
  });
}

/** A page of the history (summaries), newest first; `before` is the last run of the previous page. */
export function listRuns(interviewId: string, signal?: AbortSignal, before?: string): Promise<RunList> {
  return request<RunList>(`/api/interviews/${encodeURIComponent(interviewId)}/runs`, {
    redirectOn401: false,
    query: { before },
    ...(signal ? { signal } : {}),
  });
}

export function listLanguages(signal?: AbortSignal): Promise<LanguageInfo[]> {
  return request<LanguageInfo[]>('/api/languages', { redirectOn401: false, ...(signal ? { signal } : {}) });
}
