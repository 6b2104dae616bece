// The interview summary export (`GET /api/interviews/{id}/summary?format=md|json|html`), for
// the host and co-interviewers: the JSON record the review page shows, and the links of its
// Markdown, JSON and printable HTML files.
import { buildUrl, request } from './client';
import type { InterviewSummary, Uuid } from './types';

export type SummaryFormat = 'md' | 'json' | 'html';

/** The summary file's address (`download`: the HTML as an attachment too; it opens inline by default). */
export function summaryUrl(id: Uuid, format: SummaryFormat, download = false): string {
  return buildUrl(`/api/interviews/${encodeURIComponent(id)}/summary`, {
    format,
    download: download ? 1 : undefined,
  });
}

export function getSummary(id: Uuid, signal?: AbortSignal): Promise<InterviewSummary> {
  return request<InterviewSummary>(summaryUrl(id, 'json'), signal ? { signal } : {});
}
