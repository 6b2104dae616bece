// Unit tests for the workspace settings form: its checks and the PATCH body.
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../api/types';
import { emptyCriterion } from '../../evaluation/criteria';
import { draftToWorkspaceInput, validateWorkspaceDraft, workspaceToDraft } from './workspaceDraft';

const workspace: Workspace = {
  id: 'w1',
  name: 'Platform',
  my_role: 'owner',
  default_language: 'go',
  default_duration_minutes: 45,
  default_rubric: [{ name: 'Problem solving', description: 'Breaks the problem down.' }],
  runs_per_day: null,
  member_count: 3,
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:00Z',
};

describe('workspace settings draft', () => {
  it('round-trips, sending null for "no limit"', () => {
    const draft = workspaceToDraft(workspace);
    expect(draft.runsPerDay).toBe('');
    expect(draftToWorkspaceInput({ ...draft, name: ' Platform team ' })).toEqual({
      name: 'Platform team',
      default_language: 'go',
      default_duration_minutes: 45,
      runs_per_day: null,
      default_rubric: [{ name: 'Problem solving', description: 'Breaks the problem down.' }],
    });
    expect(draftToWorkspaceInput({ ...draft, runsPerDay: '200' }).runs_per_day).toBe(200);
  });

  it('checks the limits the server enforces', () => {
    const draft = workspaceToDraft(workspace);
    expect(validateWorkspaceDraft(draft)).toEqual({});
    const bad = validateWorkspaceDraft({
      ...draft,
      name: ' ',
      defaultDuration: '4',
      runsPerDay: '0',
      rubric: [
        draft.rubric[0]!,
        { ...emptyCriterion(), name: 'problem solving' },
        { ...emptyCriterion(), description: 'x'.repeat(501) },
      ],
    });
    expect(Object.keys(bad).sort()).toEqual([
      'default_duration_minutes',
      'default_rubric[1].name',
      'default_rubric[2].description',
      'default_rubric[2].name',
      'name',
      'runs_per_day',
    ]);
    expect(validateWorkspaceDraft({ ...draft, rubric: [] })['default_rubric']).toMatch(/1 to 12/);
  });
});
