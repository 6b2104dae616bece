// A rubric's criteria as both editors edit them: a workspace's default rubric (settings) and an
// interview's own rubric (its detail page), which starts as a copy of it. One set of limits, the
// server's (crates/server/src/domain/rubric.rs), and one set of checks. Rows carry a local `key`
// so focus survives adding/removing/moving, and an interview's criteria their server `id` (so
// ratings survive a rename or a reorder).
import type { FieldErrors } from '../../api/client';
import { characterCount } from '../../lib/validation';

export const RUBRIC_MIN = 1;
export const RUBRIC_MAX = 12;
export const CRITERION_NAME_MAX = 60;
export const CRITERION_DESCRIPTION_MAX = 500;

export interface CriterionRow {
  key: string;
  /** The server's id of an interview's criterion; absent for a new one (and in a workspace's rubric). */
  id?: string | null;
  name: string;
  description: string;
}

/**
 * Where the server reports a rubric's errors: `default_rubric` (a workspace's PATCH) or
 * `criteria` (an interview's PUT). The list's own problem is under the field itself, a
 * criterion's under `field[i].name`, `field[i].description` (and `field[i].id`).
 */
export type CriteriaField = 'default_rubric' | 'criteria';

let rowCounter = 0;
export function emptyCriterion(): CriterionRow {
  rowCounter += 1;
  return { key: `criterion-${rowCounter}`, name: '', description: '' };
}

/** Rows for criteria as the server sends them, keeping their ids if they have any. */
export function criterionRows(criteria: { id?: string; name: string; description?: string }[]): CriterionRow[] {
  return criteria.map((c) => ({
    ...emptyCriterion(),
    ...(c.id === undefined ? {} : { id: c.id }),
    name: c.name,
    description: c.description ?? '',
  }));
}

/** Problems to show before sending, keyed as the server keys them, so both show the same way. */
export function criteriaProblems(field: CriteriaField, rows: readonly CriterionRow[]): FieldErrors {
  const errors: FieldErrors = {};
  if (rows.length < RUBRIC_MIN || rows.length > RUBRIC_MAX) {
    errors[field] = `A rubric has ${RUBRIC_MIN} to ${RUBRIC_MAX} criteria.`;
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const name = row.name.trim();
    const lower = name.toLowerCase();
    if (!name) errors[`${field}[${i}].name`] = 'Name the criterion.';
    else if (characterCount(name) > CRITERION_NAME_MAX)
      errors[`${field}[${i}].name`] = `At most ${CRITERION_NAME_MAX} characters.`;
    else if (seen.has(lower)) errors[`${field}[${i}].name`] = 'Another criterion has this name.';
    if (name) seen.add(lower);
    if (characterCount(row.description.trim()) > CRITERION_DESCRIPTION_MAX) {
      errors[`${field}[${i}].description`] = `At most ${CRITERION_DESCRIPTION_MAX} characters.`;
    }
  });
  return errors;
}

/**
 * A criterion cell's error, whichever way the server writes the path (`[2].name` or `.2.name`).
 * A problem with a criterion's id (an interview's) shows on its name.
 */
export function criterionError(
  fields: FieldErrors,
  field: CriteriaField,
  index: number,
  column: 'name' | 'description',
): string | undefined {
  const at = (c: string) => fields[`${field}[${index}].${c}`] ?? fields[`${field}.${index}.${c}`];
  return column === 'name' ? (at('name') ?? at('id')) : at(column);
}

/** The element id of a criterion cell's control. */
export function criterionControlId(row: CriterionRow, column: 'name' | 'description'): string {
  return `${row.key}-${column}`;
}

/** The control id of the first criterion cell with an error, if any. */
export function firstInvalidCriterion(
  fields: FieldErrors,
  field: CriteriaField,
  rows: readonly CriterionRow[],
): string | undefined {
  for (const [index, row] of rows.entries()) {
    if (criterionError(fields, field, index, 'name')) return criterionControlId(row, 'name');
    if (criterionError(fields, field, index, 'description')) return criterionControlId(row, 'description');
  }
  return undefined;
}
