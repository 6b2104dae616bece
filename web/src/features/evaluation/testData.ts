// Shared test data for the scorecard tests: the default rubric and scorecards as the server
// sends them.
import type { Rubric, Scorecard, ScorecardList } from '../../api/types';

export const IV = 'iv1';
export const NIL = '00000000-0000-0000-0000-000000000000';

export const rubric: Rubric = {
  editable: false,
  criteria: [
    { id: 'problem_solving', name: 'Problem solving', description: 'Finds a working approach.' },
    { id: 'code_quality', name: 'Code quality', description: '' },
    { id: 'communication', name: 'Communication', description: '' },
    { id: 'testing', name: 'Testing & edge cases', description: '' },
  ],
};

export function scorecard(overrides: Partial<Scorecard> = {}): Scorecard {
  return {
    id: NIL,
    interview_id: IV,
    participant_id: 'p-me',
    author_name: 'Cole Co',
    status: 'draft',
    ratings: rubric.criteria.map((c) => ({ criterion_id: c.id, score: null, comment: '' })),
    recommendation: null,
    summary: '',
    submitted_at: null,
    reopened_at: null,
    reopened_by: null,
    updated_at: '2026-11-25T10:00:00Z',
    ...overrides,
  };
}

/** A complete scorecard: every criterion `score`, recommendation yes. */
export function complete(overrides: Partial<Scorecard> = {}, score = 3): Scorecard {
  return scorecard({
    ratings: rubric.criteria.map((c) => ({ criterion_id: c.id, score, comment: `${c.name} ok` })),
    recommendation: 'yes',
    ...overrides,
  });
}

export const blindList = (own: Scorecard[] = []): ScorecardList => ({ scorecards: own, aggregate: null, blind: true });
