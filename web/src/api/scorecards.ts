// Rubric and scorecard endpoints (`/api/interviews/{id}/rubric`, `/api/interviews/{id}/scorecards*`).
// Who may call which is the server's rule (docs/roles.md): the host edits the rubric until the
// first submission; host and interviewers keep a scorecard; observers read the rubric only.
import { request } from './client';
import type { CriterionInput, Rubric, Scorecard, ScorecardInput, ScorecardList, Uuid } from './types';

const base = (id: Uuid) => `/api/interviews/${encodeURIComponent(id)}`;

export async function getRubric(interviewId: Uuid, signal?: AbortSignal): Promise<Rubric> {
  const res = await request<{ rubric: Rubric }>(`${base(interviewId)}/rubric`, signal ? { signal } : {});
  return res.rubric;
}

/** Replaces the whole rubric, in order (host only; 409 `rubric_locked` once a scorecard is submitted). */
export async function updateRubric(interviewId: Uuid, criteria: CriterionInput[]): Promise<Rubric> {
  const res = await request<{ rubric: Rubric }>(`${base(interviewId)}/rubric`, { method: 'PUT', body: { criteria } });
  return res.rubric;
}

/** The caller's scorecard: as saved, or a fresh draft (nil id) that is stored on the first save. */
export async function getMyScorecard(interviewId: Uuid, signal?: AbortSignal): Promise<Scorecard> {
  const res = await request<{ scorecard: Scorecard }>(`${base(interviewId)}/scorecards/me`, signal ? { signal } : {});
  return res.scorecard;
}

/** Saves the draft (409 `scorecard_submitted` once submitted; 422 per field). */
export async function saveMyScorecard(interviewId: Uuid, input: ScorecardInput): Promise<Scorecard> {
  const res = await request<{ scorecard: Scorecard }>(`${base(interviewId)}/scorecards/me`, {
    method: 'PUT',
    body: input,
  });
  return res.scorecard;
}

/** Submits the saved draft; 422 names each missing score (`ratings.{criterion_id}`) and `recommendation`. */
export async function submitMyScorecard(interviewId: Uuid): Promise<Scorecard> {
  const res = await request<{ scorecard: Scorecard }>(`${base(interviewId)}/scorecards/me/submit`, { method: 'POST' });
  return res.scorecard;
}

/** What the caller may see: their own, and the others' submitted ones unless `blind`. */
export function listScorecards(interviewId: Uuid, signal?: AbortSignal): Promise<ScorecardList> {
  return request<ScorecardList>(`${base(interviewId)}/scorecards`, signal ? { signal } : {});
}

/** Turns a submitted scorecard back into a draft (host only). */
export async function reopenScorecard(interviewId: Uuid, scorecardId: Uuid): Promise<Scorecard> {
  const res = await request<{ scorecard: Scorecard }>(
    `${base(interviewId)}/scorecards/${encodeURIComponent(scorecardId)}/reopen`,
    { method: 'POST' },
  );
  return res.scorecard;
}
