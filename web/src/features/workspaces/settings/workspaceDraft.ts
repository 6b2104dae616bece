// The editable form state of a workspace's general settings (name, defaults, run limit,
// default rubric), its checks (the server's limits, from docs/api.md; the rubric's are shared
// with an interview's rubric, in features/evaluation/criteria) and its conversion to the PATCH
// body.
import type { FieldErrors } from '../../../api/client';
import type { Language, Workspace, WorkspaceInput } from '../../../api/types';
import { DURATION_MAX, DURATION_MIN } from '../../../lib/validation';
import { criteriaProblems, criterionRows, type CriterionRow } from '../../evaluation/criteria';

export const RUNS_PER_DAY_MIN = 1;
export const RUNS_PER_DAY_MAX = 100_000;

export interface WorkspaceDraft {
  name: string;
  defaultLanguage: Language;
  defaultDuration: string;
  /** Blank means no limit. */
  runsPerDay: string;
  rubric: CriterionRow[];
}

export function workspaceToDraft(w: Workspace): WorkspaceDraft {
  return {
    name: w.name,
    defaultLanguage: w.default_language,
    defaultDuration: String(w.default_duration_minutes),
    runsPerDay: w.runs_per_day == null ? '' : String(w.runs_per_day),
    rubric: criterionRows(w.default_rubric),
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
  Object.assign(errors, criteriaProblems('default_rubric', d.rubric));
  return errors;
}
