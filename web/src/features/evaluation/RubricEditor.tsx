// The interview's rubric on its detail page. The host adds, edits, removes and reorders the
// criteria (in the same list editor as a workspace's default rubric, with the same limits and
// checks: ./CriteriaList, ./criteria) until the first scorecard is submitted; after that (and
// for co-interviewers) the rubric is shown read only with the reason. Criteria keep their
// server ids, so ratings survive a rename or a reorder. The server checks everything again.
import { useState } from 'react';
import { ApiError, type FieldErrors } from '../../api/client';
import { getRubric, updateRubric } from '../../api/scorecards';
import type { Role, Rubric } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { CriteriaList } from './CriteriaList';
import { criteriaProblems, criterionRows, type CriterionRow } from './criteria';
import './evaluation.css';

export function RubricEditor({ interviewId, role }: { interviewId: string; role: Role | null | undefined }) {
  const { data, error, reload, setData } = useAsync((signal) => getRubric(interviewId, signal), [interviewId]);
  return (
    <Card title="Scorecard rubric">
      {data ? (
        data.editable ? (
          <EditableRubric interviewId={interviewId} rubric={data} onSaved={setData} onLocked={reload} />
        ) : (
          <LockedRubric rubric={data} isHost={role === 'host'} />
        )
      ) : error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : (
        <Spinner label="Loading the rubric…" />
      )}
    </Card>
  );
}

function LockedRubric({ rubric, isHost }: { rubric: Rubric; isHost: boolean }) {
  return (
    <>
      <p className="muted small" data-testid="rubric-locked">
        {isHost
          ? 'Locked: a scorecard has been submitted, so the criteria can no longer change (scores must stay comparable).'
          : 'Interviewers rate the candidate on these criteria. Only the host can change them, until the first scorecard is submitted.'}
      </p>
      <ol className="rubric-list">
        {rubric.criteria.map((c) => (
          <li key={c.id} className="rubric-item">
            <strong>{c.name}</strong>
            {c.description && <span className="muted small">{c.description}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}

function EditableRubric({
  interviewId,
  rubric,
  onSaved,
  onLocked,
}: {
  interviewId: string;
  rubric: Rubric;
  onSaved: (rubric: Rubric) => void;
  onLocked: () => void;
}) {
  const [rows, setRows] = useState<CriterionRow[]>(() => criterionRows(rubric.criteria));
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [showErrors, setShowErrors] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const problems = criteriaProblems('criteria', rows);
  const errors = { ...serverErrors, ...(showErrors ? problems : {}) };
  const dirty =
    rows.length !== rubric.criteria.length ||
    rows.some((r, i) => {
      const c = rubric.criteria[i];
      return !c || r.id !== c.id || r.name !== c.name || r.description !== c.description;
    });

  const change = (next: CriterionRow[]) => {
    setRows(next);
    setServerErrors({});
    setMessage(null);
  };

  const save = async () => {
    setShowErrors(true);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      const saved = await updateRubric(
        interviewId,
        rows.map((r) => ({ id: r.id ?? null, name: r.name.trim(), description: r.description.trim() })),
      );
      setShowErrors(false);
      setRows(criterionRows(saved.criteria));
      setMessage({ tone: 'success', text: 'Rubric saved.' });
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'rubric_locked') {
        onLocked();
        return;
      }
      if (err instanceof ApiError) setServerErrors(err.fields);
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : 'The rubric could not be saved.' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="rubric-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted small">
        Interviewers rate the candidate 1–4 on each criterion. You can change the criteria until the first scorecard is
        submitted.
      </p>
      <CriteriaList rows={rows} onChange={change} fieldErrors={errors} field="criteria" readOnly={false} />
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="rubric-editor__actions">
        <button type="submit" className="btn btn--primary" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save rubric'}
        </button>
      </div>
    </form>
  );
}
