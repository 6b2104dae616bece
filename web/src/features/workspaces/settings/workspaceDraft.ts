// The editable form state of a workspace's general settings (name, defaults, run limit,
// default rubric), its checks (the server's limits, from docs/api.md) and its conversion to
// the PATCH body. Rubric rows carry a local `key` so focus survives adding/removing/moving.
import type { FieldErrors } from '../../../api/client';
import type { Language, Workspace, WorkspaceInput } from '../../../api/types';
import { DURATION_MAX, DURATION_MIN } from '../../../lib/validation';

export const RUBRIC_MIN = 1;
export const RUBRIC_MAX = 12;
export const CRITERION_NAME_MAX = 60;
export const CRITERION_DESCRIPTION_MAX = 500;
export const RUNS_PER_DAY_MIN = 1;
export const RUNS_PER_DAY_MAX = 100_000;

export interface RubricRow {
  key: string;
  name: string;
  description: string;
}

export interface WorkspaceDraft {
  name: string;
  defaultLanguage: Language;
  defaultDuration: string;
  /** Blank means no limit. */
  runsPerDay: string;
  rubric: RubricRow[];
}

let rowCounter = 0;
export function emptyCriterion(): RubricRow {
  rowCounter += 1;
  return { key: `criterion-${rowCounter}`, name: '', description: '' };
}

export function workspaceToDraft(w: Workspace): WorkspaceDraft {
  return {
    name: w.name,
    defaultLanguage: w.default_language,
    defaultDuration: String(w.default_duration_minutes),
    runsPerDay: w.runs_per_day == null ? '' : String(w.runs_per_day),
    rubric: w.default_rubric.map((c) => ({ ...emptyCriterion(), name: c.name, description: c.description ?? '' })),
  };
}

export function draftToWorkspaceInput(d: WorkspaceDraft): WorkspaceInput {
  return {
    name: d.name.trim(),
    default_language: d.defaultLanguage,
    default_duration_minutes: Number(d.defaultDuration),
    runs_per_day: d.runsPerDay.trim() === '' ? null : Number(d.runsPerDay),
    default_rubric: d.rubric.map((c) => ({ name: c.name.trim(), description: c.description.trim() })),
  };
}

const isWholeBetween = (value: string, min: number, max: number) => {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

/** Errors keyed as the server keys them (`default_rubric[2].name`…), so both show the same way. */
export function validateWorkspaceDraft(d: WorkspaceDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.name.trim()) errors['name'] = 'Give the workspace a name.';
  if (!isWholeBetween(d.defaultDuration, DURATION_MIN, DURATION_MAX)) {
    errors['default_duration_minutes'] = `Use a whole number of minutes between ${DURATION_MIN} and ${DURATION_MAX}.`;
  }
  if (d.runsPerDay.trim() !== '' && !isWholeBetween(d.runsPerDay, RUNS_PER_DAY_MIN, RUNS_PER_DAY_MAX)) {
    errors['runs_per_day'] =
      `Use a whole number from ${RUNS_PER_DAY_MIN} to ${RUNS_PER_DAY_MAX.toLocaleString('en')}, or leave it empty for no limit.`;
  }
  if (d.rubric.length < RUBRIC_MIN || d.rubric.length > RUBRIC_MAX) {
    errors['default_rubric'] = `A rubric has ${RUBRIC_MIN} to ${RUBRIC_MAX} criteria.`;
  }
  const seen = new Set<string>();
  d.rubric.forEach((c, i) => {
    const name = c.name.trim();
    if (!name) errors[`default_rubric[${i}].name`] = 'Name the criterion.';
    else if (name.length > CRITERION_NAME_MAX)
      errors[`default_rubric[${i}].name`] = `At most ${CRITERION_NAME_MAX} characters.`;
    else if (seen.has(name.toLowerCase())) errors[`default_rubric[${i}].name`] = 'Another criterion has this name.';
    seen.add(name.toLowerCase());
    if (c.description.trim().length > CRITERION_DESCRIPTION_MAX) {
      errors[`default_rubric[${i}].description`] = `At most ${CRITERION_DESCRIPTION_MAX} characters.`;
    }
  });
  return errors;
}

/** A rubric cell's error, whichever way the server writes the path (`[2].name` or `.2.name`). */
export function criterionError(fields: FieldErrors, index: number, column: 'name' | 'description'): string | undefined {
  return fields[`default_rubric[${index}].${column}`] ?? fields[`default_rubric.${index}.${column}`];
}

/** The element id of a rubric cell's control. */
export function criterionControlId(row: RubricRow, column: 'name' | 'description'): string {
  return `${row.key}-${column}`;
}

/** The control id of the first rubric cell with an error, if any. */
export function firstInvalidCriterion(fields: FieldErrors, rubric: RubricRow[]): string | undefined {
  for (const [index, row] of rubric.entries()) {
    if (criterionError(fields, index, 'name')) return criterionControlId(row, 'name');
    if (criterionError(fields, index, 'description')) return criterionControlId(row, 'description');
  }
  return undefined;
}
