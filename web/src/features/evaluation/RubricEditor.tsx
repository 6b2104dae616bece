// The interview's rubric on its detail page. The host adds, edits, removes and reorders the
// criteria until the first scorecard is submitted; after that (and for co-interviewers) the
// rubric is shown read only with the reason. The server checks everything again (1–10
// criteria, names 1–80 characters and unique, descriptions up to 300).
import { useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { getRubric, updateRubric } from '../../api/scorecards';
import type { Criterion, Role, Rubric } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import './evaluation.css';

export const MAX_CRITERIA = 10;
export const MAX_NAME = 80;
export const MAX_DESCRIPTION = 300;

/** A criterion as edited: `id` once the server gave it one, `key` for React. */
interface Row {
  key: string;
  id: string | null;
  name: string;
  description: string;
}

let nextKey = 0;
const rowsOf = (criteria: Criterion[]): Row[] =>
  criteria.map((c) => ({ key: `c${nextKey++}`, id: c.id, name: c.name, description: c.description }));

/** Problems to show before sending, keyed as the server names them (`criteria[i].name`). */
export function rubricProblems(rows: { name: string; description: string }[]): Record<string, string> {
  const problems: Record<string, string> = {};
  if (rows.length === 0) problems['criteria'] = 'Keep at least one criterion.';
  if (rows.length > MAX_CRITERIA) problems['criteria'] = `At most ${MAX_CRITERIA} criteria.`;
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) problems[`criteria[${i}].name`] = 'Give it a name.';
    else if (name.length > MAX_NAME) problems[`criteria[${i}].name`] = `At most ${MAX_NAME} characters.`;
    else if (seen.has(name.toLowerCase())) problems[`criteria[${i}].name`] = 'Another criterion has this name.';
    seen.add(name.toLowerCase());
    if (row.description.trim().length > MAX_DESCRIPTION) {
      problems[`criteria[${i}].description`] = `At most ${MAX_DESCRIPTION} characters.`;
    }
  });
  return problems;
}

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
  const formId = useId();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(rubric.criteria));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [showErrors, setShowErrors] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const problems = rubricProblems(rows);
  const errors = { ...serverErrors, ...(showErrors ? problems : {}) };
  const dirty =
    rows.length !== rubric.criteria.length ||
    rows.some((r, i) => {
      const c = rubric.criteria[i];
      return !c || r.id !== c.id || r.name !== c.name || r.description !== c.description;
    });

  const change = (next: Row[]) => {
    setRows(next);
    setServerErrors({});
    setMessage(null);
  };
  const edit = (key: string, patch: Partial<Row>) => change(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row) next.splice(index + by, 0, row);
    change(next);
  };

  const save = async () => {
    setShowErrors(true);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      const saved = await updateRubric(
        interviewId,
        rows.map((r) => ({ id: r.id, name: r.name.trim(), description: r.description.trim() })),
      );
      setShowErrors(false);
      setRows(rowsOf(saved.criteria));
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
      {errors['criteria'] && <Alert tone="error">{errors['criteria']}</Alert>}
      <ol className="rubric-list">
        {rows.map((row, i) => {
          const nameId = `${formId}-${row.key}-name`;
          const descriptionId = `${formId}-${row.key}-description`;
          const nameError = errors[`criteria[${i}].name`] ?? errors[`criteria[${i}].id`];
          const descriptionError = errors[`criteria[${i}].description`];
          return (
            <li key={row.key} className="rubric-item" data-testid="rubric-item">
              <div className={`field${nameError ? ' field--invalid' : ''}`}>
                <label className="field__label" htmlFor={nameId}>
                  Criterion {i + 1} name
                </label>
                <input
                  id={nameId}
                  className="input"
                  value={row.name}
                  maxLength={MAX_NAME + 20}
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? `${nameId}-error` : undefined}
                  onChange={(e) => edit(row.key, { name: e.target.value })}
                />
                {nameError && (
                  <p className="field__error" id={`${nameId}-error`}>
                    {nameError}
                  </p>
                )}
              </div>
              <div className={`field${descriptionError ? ' field--invalid' : ''}`}>
                <label className="field__label" htmlFor={descriptionId}>
                  Description
                </label>
                <textarea
                  id={descriptionId}
                  className="textarea"
                  rows={2}
                  value={row.description}
                  aria-invalid={descriptionError ? true : undefined}
                  aria-describedby={descriptionError ? `${descriptionId}-error` : undefined}
                  onChange={(e) => edit(row.key, { description: e.target.value })}
                />
                {descriptionError && (
                  <p className="field__error" id={`${descriptionId}-error`}>
                    {descriptionError}
                  </p>
                )}
              </div>
              <div className="rubric-item__actions">
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => move(i, -1)}
                  disabled={i === 0}
                  aria-label={`Move ${row.name || `criterion ${i + 1}`} up`}
                >
                  Move up
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => move(i, 1)}
                  disabled={i === rows.length - 1}
                  aria-label={`Move ${row.name || `criterion ${i + 1}`} down`}
                >
                  Move down
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--danger-outline"
                  onClick={() => change(rows.filter((r) => r.key !== row.key))}
                  disabled={rows.length === 1}
                  aria-label={`Remove ${row.name || `criterion ${i + 1}`}`}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="rubric-editor__actions">
        <button
          type="button"
          className="btn btn--secondary"
          disabled={rows.length >= MAX_CRITERIA}
          onClick={() => change([...rows, { key: `c${nextKey++}`, id: null, name: '', description: '' }])}
        >
          Add criterion
        </button>
        <button type="submit" className="btn btn--primary" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save rubric'}
        </button>
      </div>
    </form>
  );
}
