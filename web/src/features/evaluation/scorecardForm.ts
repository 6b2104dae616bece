// The scorecard form's words and rules, written once for the room tab and the review page:
// score and recommendation labels, the draft as the form edits it, the limits the server
// enforces (checked here too, to say so while typing), and what a submission still lacks.
import type {
  Criterion,
  Exactly,
  Rating,
  Recommendation,
  Scorecard,
  ScorecardInput,
  ScorecardStatus,
} from '../../api/types';

export const SCORES = [1, 2, 3, 4] as const;
export const SCORE_LABELS: Record<(typeof SCORES)[number], string> = {
  1: 'Poor',
  2: 'Fair',
  3: 'Good',
  4: 'Excellent',
};

export const RECOMMENDATIONS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  strong_no: 'Strong no',
  no: 'No',
  yes: 'Yes',
  strong_yes: 'Strong yes',
};
export const RECOMMENDATIONS_MATCH_THE_SERVER: Exactly<(typeof RECOMMENDATIONS)[number], Recommendation> = true;
export const STATUSES_MATCH_THE_SERVER: Exactly<'draft' | 'submitted', ScorecardStatus> = true;

/** The server's limits (crates/server/src/domain/scorecard.rs). */
export const MAX_COMMENT = 4000;
export const MAX_SUMMARY = 10000;

/** The scorecard's editable part, as the form holds it. */
export interface Draft {
  ratings: Rating[];
  recommendation: Recommendation | null;
  summary: string;
}

export function draftOf(scorecard: Scorecard): Draft {
  return {
    ratings: scorecard.ratings.map((r) => ({ ...r })),
    recommendation: scorecard.recommendation,
    summary: scorecard.summary,
  };
}

export function toInput(draft: Draft): ScorecardInput {
  return { ratings: draft.ratings, recommendation: draft.recommendation, summary: draft.summary };
}

/** One rating changed (score or comment), the rest as they were. */
export function withRating(draft: Draft, criterionId: string, change: Partial<Omit<Rating, 'criterion_id'>>): Draft {
  return {
    ...draft,
    ratings: draft.ratings.map((r) => (r.criterion_id === criterionId ? { ...r, ...change } : r)),
  };
}

/** Field keys as the server names them: `ratings[i].comment`, `ratings.{id}`, `summary`, `recommendation`. */
export type DraftErrors = Record<string, string>;

/** Problems the server would refuse on save (too long); checked as the user types. */
export function draftProblems(draft: Draft): DraftErrors {
  const problems: DraftErrors = {};
  draft.ratings.forEach((r, i) => {
    if (r.comment.length > MAX_COMMENT) problems[`ratings[${i}].comment`] = `At most ${MAX_COMMENT} characters.`;
  });
  if (draft.summary.length > MAX_SUMMARY) problems['summary'] = `At most ${MAX_SUMMARY} characters.`;
  return problems;
}

/** What a submission still lacks, keyed as the server's 422 names it. */
export function missingForSubmit(rubric: Criterion[], draft: Draft): DraftErrors {
  const missing: DraftErrors = {};
  for (const criterion of rubric) {
    const rating = draft.ratings.find((r) => r.criterion_id === criterion.id);
    if (!rating || rating.score === null) missing[`ratings.${criterion.id}`] = `“${criterion.name}” needs a score.`;
  }
  if (!draft.recommendation) missing['recommendation'] = 'Choose a recommendation.';
  return missing;
}

/** The error for one criterion's score or comment, from the server's or our field keys. */
export function ratingError(errors: DraftErrors, draft: Draft, criterionId: string, part: 'score' | 'comment') {
  const index = draft.ratings.findIndex((r) => r.criterion_id === criterionId);
  if (part === 'score') return errors[`ratings.${criterionId}`] ?? errors[`ratings[${index}].score`];
  return errors[`ratings[${index}].comment`];
}

/** A nil id: a fresh draft the server has not stored yet. */
export function isStored(scorecard: Scorecard): boolean {
  return !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(scorecard.id);
}

/** "3.5" for an average, "—" for none. */
export function formatAverage(average: number | null): string {
  return average === null ? '—' : average.toFixed(average % 1 === 0 ? 0 : 2).replace(/0$/, '');
}
