// Settings (a) General: name, default language and duration of new interviews, runs per day
// (empty = no limit) and the default rubric. Owners and admins edit and save them; members
// see them read-only. Client checks first, then the server's field errors on the same fields.
import { useState, type FormEvent } from 'react';
import { type Language, type Workspace } from '../../../api/types';
import { updateWorkspace } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { Card } from '../../../components/Card';
import { Field, controlProps } from '../../../components/Field';
import { LanguageOptions } from '../../../components/LanguageOptions';
import { useFormSubmit } from '../../../lib/useFormSubmit';
import { DURATION_MAX, DURATION_MIN } from '../../../lib/validation';
import { CriteriaList } from '../../evaluation/CriteriaList';
import { RUBRIC_MAX, RUBRIC_MIN, firstInvalidCriterion } from '../../evaluation/criteria';
import { canManage } from '../workspaceRoles';
import {
  RUNS_PER_DAY_MAX,
  RUNS_PER_DAY_MIN,
  draftToWorkspaceInput,
  validateWorkspaceDraft,
  workspaceToDraft,
  type WorkspaceDraft,
} from './workspaceDraft';

const FIELD_ORDER = ['name', 'default_language', 'default_duration_minutes', 'runs_per_day'];

export function GeneralSettingsCard({
  workspace,
  onSaved,
}: {
  workspace: Workspace;
  onSaved: (workspace: Workspace) => void;
}) {
  const editable = canManage(workspace.my_role);
  const [draft, setDraft] = useState<WorkspaceDraft>(() => workspaceToDraft(workspace));
  const [saved, setSaved] = useState(false);

  const set = <K extends keyof WorkspaceDraft>(key: K, value: WorkspaceDraft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const form = useFormSubmit({
    fieldOrder: FIELD_ORDER,
    focusFallback: (found) => firstInvalidCriterion(found, 'default_rubric', draft.rubric),
    validate: () => validateWorkspaceDraft(draft),
    submit: async () => {
      const updated = await updateWorkspace(workspace.id, draftToWorkspaceInput(draft));
      onSaved(updated);
      setSaved(true);
    },
  });
  const { errors, formError, pending } = form;
  const onSubmit = (e: FormEvent) => {
    setSaved(false);
    void form.onSubmit(e);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={pending}>
      <Card title="General" aside={!editable && <span className="muted small">Read only</span>}>
        <fieldset className="fieldset stack" disabled={!editable || pending}>
          <legend className="visually-hidden">General settings</legend>
          {!editable && <p className="muted small">Only owners and admins can change these settings.</p>}
          {formError && <Alert tone="error">{formError}</Alert>}
          <div className="form-grid form-grid--3">
            <Field id="name" label="Workspace name" error={errors['name']} className="field--wide">
              <input
                {...controlProps('name', errors['name'])}
                className="input"
                value={draft.name}
                onChange={(e) => set('name', e.target.value)}
              />
            </Field>
            <Field id="default_language" label="Default language" error={errors['default_language']}>
              <select
                {...controlProps('default_language', errors['default_language'])}
                className="select"
                value={draft.defaultLanguage}
                onChange={(e) => set('defaultLanguage', e.target.value as Language)}
              >
                <LanguageOptions />
              </select>
            </Field>
            <Field
              id="default_duration_minutes"
              label="Default duration (minutes)"
              error={errors['default_duration_minutes']}
            >
              <input
                {...controlProps('default_duration_minutes', errors['default_duration_minutes'])}
                type="number"
                inputMode="numeric"
                min={DURATION_MIN}
                max={DURATION_MAX}
                step={5}
                className="input"
                value={draft.defaultDuration}
                onChange={(e) => set('defaultDuration', e.target.value)}
              />
            </Field>
            <Field
              id="runs_per_day"
              label="Runs per day"
              error={errors['runs_per_day']}
              hint="Code runs allowed per day in this workspace. Empty: no limit."
            >
              <input
                {...controlProps('runs_per_day', errors['runs_per_day'], true)}
                type="number"
                inputMode="numeric"
                min={RUNS_PER_DAY_MIN}
                max={RUNS_PER_DAY_MAX}
                placeholder="No limit"
                className="input"
                value={draft.runsPerDay}
                onChange={(e) => set('runsPerDay', e.target.value)}
              />
            </Field>
          </div>
          <div>
            <h3 className="section-title">Default rubric</h3>
            <p className="field__hint">
              The criteria interviewers in this workspace assess candidates on ({RUBRIC_MIN} to {RUBRIC_MAX}).
            </p>
          </div>
          <CriteriaList
            rows={draft.rubric}
            onChange={(rows) => set('rubric', rows)}
            fieldErrors={errors}
            field="default_rubric"
            readOnly={!editable}
          />
          {editable && (
            <div className="form-actions">
              {saved && (
                <span className="muted small" role="status">
                  Settings saved.
                </span>
              )}
              <button type="submit" className="btn btn--primary" disabled={pending}>
                {pending ? 'Saving…' : 'Save settings'}
              </button>
            </div>
          )}
        </fieldset>
      </Card>
    </form>
  );
}
