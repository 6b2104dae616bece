// Unit tests for the scorecard form's rules: what a submission lacks, the limits, averages.
import { describe, expect, it } from 'vitest';
import { draftOf, draftProblems, formatAverage, isStored, missingForSubmit, withRating } from './scorecardForm';
import { NIL, complete, rubric, scorecard } from './testData';

describe('scorecard form rules', () => {
  it('names every unscored criterion and a missing recommendation', () => {
    const draft = withRating(draftOf(scorecard()), 'testing', { score: 2 });
    expect(Object.keys(missingForSubmit(rubric.criteria, draft))).toEqual([
      'ratings.problem_solving',
      'ratings.code_quality',
      'ratings.communication',
      'recommendation',
    ]);
    expect(missingForSubmit(rubric.criteria, draftOf(complete()))).toEqual({});
  });

  it('flags text over the server’s limits', () => {
    const draft = withRating(draftOf(scorecard()), 'code_quality', { comment: 'c'.repeat(4001) });
    expect(draftProblems({ ...draft, summary: 's'.repeat(10001) })).toEqual({
      'ratings[1].comment': 'At most 4000 characters.',
      summary: 'At most 10000 characters.',
    });
  });

  it('formats averages and tells a fresh draft by its nil id', () => {
    expect([formatAverage(3.5), formatAverage(3), formatAverage(2.67), formatAverage(null)]).toEqual([
      '3.5',
      '3',
      '2.67',
      '—',
    ]);
    expect(isStored(scorecard({ id: NIL }))).toBe(false);
    expect(isStored(scorecard({ id: '0190c5a0-0000-7000-8000-000000000000' }))).toBe(true);
  });
});
