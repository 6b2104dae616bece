// Unit tests for a rubric's shared limits and checks (a workspace's default rubric and an
// interview's), keyed as the server keys its errors under either field.
import { describe, expect, it } from 'vitest';
import {
  CRITERION_DESCRIPTION_MAX,
  CRITERION_NAME_MAX,
  RUBRIC_MAX,
  criteriaProblems,
  criterionError,
  criterionRows,
  emptyCriterion,
  firstInvalidCriterion,
} from './criteria';

const rows = (...names: string[]) => names.map((name) => ({ ...emptyCriterion(), name }));

describe('criteria', () => {
  it('has the server’s limits: 1–12 criteria, names up to 60 characters, descriptions up to 500', () => {
    expect([RUBRIC_MAX, CRITERION_NAME_MAX, CRITERION_DESCRIPTION_MAX]).toEqual([12, 60, 500]);
  });

  it('names each problem as the server does, under either field', () => {
    expect(criteriaProblems('criteria', [])).toEqual({ criteria: 'A rubric has 1 to 12 criteria.' });
    const most = rows(...Array.from({ length: RUBRIC_MAX }, (_, i) => `C${i}`));
    expect(criteriaProblems('criteria', most)).toEqual({});
    expect(criteriaProblems('default_rubric', [...most, ...rows('One more')])).toEqual({
      default_rubric: 'A rubric has 1 to 12 criteria.',
    });
    const long = { ...emptyCriterion(), name: 'n'.repeat(61), description: 'd'.repeat(501) };
    expect(criteriaProblems('criteria', [long, ...rows('', 'Clarity', 'clarity ')])).toEqual({
      'criteria[0].name': 'At most 60 characters.',
      'criteria[0].description': 'At most 500 characters.',
      'criteria[1].name': 'Name the criterion.',
      'criteria[3].name': 'Another criterion has this name.',
    });
  });

  it('counts characters as the server does (an emoji is one)', () => {
    const emoji = { ...emptyCriterion(), name: '😀'.repeat(CRITERION_NAME_MAX) };
    expect(criteriaProblems('criteria', [emoji])).toEqual({});
  });

  it('keeps an interview criterion’s id, and a workspace criterion has none', () => {
    const [kept, plain] = criterionRows([
      { id: 'problem_solving', name: 'Problem solving', description: 'Finds a way.' },
      { name: 'Clarity' },
    ]);
    expect(kept).toMatchObject({ id: 'problem_solving', name: 'Problem solving', description: 'Finds a way.' });
    expect(plain).toMatchObject({ name: 'Clarity', description: '' });
    expect(plain).not.toHaveProperty('id');
    expect(kept!.key).not.toBe(plain!.key);
  });

  it('finds a criterion’s errors written either way, an id’s on its name', () => {
    expect(criterionError({ 'default_rubric.1.name': 'taken' }, 'default_rubric', 1, 'name')).toBe('taken');
    expect(criterionError({ 'default_rubric[0].description': 'long' }, 'default_rubric', 0, 'description')).toBe(
      'long',
    );
    expect(criterionError({ 'criteria[0].id': 'unknown' }, 'criteria', 0, 'name')).toBe('unknown');
    expect(criterionError({ 'criteria[0].name': 'taken' }, 'default_rubric', 0, 'name')).toBeUndefined();
    const list = rows('A', 'B');
    expect(firstInvalidCriterion({ 'criteria[1].description': 'long' }, 'criteria', list)).toBe(
      `${list[1]!.key}-description`,
    );
  });
});
