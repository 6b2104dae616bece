// The one list editor of a rubric's criteria (name + description), for a workspace's default
// rubric and an interview's own: add, remove and move up/down, kept between RUBRIC_MIN and
// RUBRIC_MAX (limits and checks in ./criteria). Controlled: the card around it owns the rows,
// checks and saves them, and passes the errors (its own and the server's, keyed as the server
// keys them under `field`). Focus moves to a new criterion's name, and follows a moved one.
// Rows keep whatever else they carry (an interview criterion's `id`) through every change.
import { useEffect, useRef } from 'react';
import type { FieldErrors } from '../../api/client';
import {
  CRITERION_DESCRIPTION_MAX,
  CRITERION_NAME_MAX,
  RUBRIC_MAX,
  RUBRIC_MIN,
  criterionControlId,
  criterionError,
  emptyCriterion,
  type CriteriaField,
  type CriterionRow,
} from './criteria';

export interface CriteriaListProps {
  rows: CriterionRow[];
  onChange: (rows: CriterionRow[]) => void;
  fieldErrors: FieldErrors;
  /** Where the server reports this rubric's errors. */
  field: CriteriaField;
  readOnly: boolean;
}

export function CriteriaList({ rows, onChange, fieldErrors, field, readOnly }: CriteriaListProps) {
  const listRef = useRef<HTMLOListElement>(null);
  /** After a change: the row and control to focus ("name" for a new row, the moved button). */
  const focusNext = useRef<{ key: string; selector: string } | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    listRef.current?.querySelector<HTMLElement>(`[data-row="${target.key}"] ${target.selector}`)?.focus();
    focusNext.current = null;
  }, [rows]);

  const update = (key: string, patch: Partial<CriterionRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: string) => onChange(rows.filter((r) => r.key !== key));
  const add = () => {
    const row = emptyCriterion();
    focusNext.current = { key: row.key, selector: 'input' };
    onChange([...rows, row]);
  };
  const move = (index: number, delta: -1 | 1) => {
    const target = index + delta;
    const row = rows[index];
    if (!row || target < 0 || target >= rows.length) return;
    const next = [...rows];
    next.splice(index, 1);
    next.splice(target, 0, row);
    // Keep focus on the same button unless it is now disabled (moved to an end).
    const stillEnabled = delta === -1 ? target > 0 : target < rows.length - 1;
    focusNext.current = { key: row.key, selector: stillEnabled ? `[data-move="${delta}"]` : 'input' };
    onChange(next);
  };

  return (
    <div className="rubric">
      {fieldErrors[field] && <p className="field__error">{fieldErrors[field]}</p>}
      <ol className="rubric__list" ref={listRef}>
        {rows.map((row, index) => {
          const nameError = criterionError(fieldErrors, field, index, 'name');
          const descriptionError = criterionError(fieldErrors, field, index, 'description');
          const nameId = criterionControlId(row, 'name');
          const descriptionId = criterionControlId(row, 'description');
          return (
            <li className="rubric__row" key={row.key} data-row={row.key} data-testid="rubric-row">
              <span className="testcase__index" aria-hidden="true">
                {index + 1}
              </span>
              <div className={`field${nameError ? ' field--invalid' : ''}`}>
                <label className="field__label" htmlFor={nameId}>
                  Criterion <span className="visually-hidden">{index + 1} name</span>
                </label>
                <input
                  id={nameId}
                  className="input"
                  maxLength={CRITERION_NAME_MAX}
                  value={row.name}
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? `${nameId}-error` : undefined}
                  onChange={(e) => update(row.key, { name: e.target.value })}
                />
                {nameError && (
                  <p className="field__error" id={`${nameId}-error`}>
                    {nameError}
                  </p>
                )}
              </div>
              <div className={`field${descriptionError ? ' field--invalid' : ''}`}>
                <label className="field__label" htmlFor={descriptionId}>
                  Description <span className="visually-hidden">of criterion {index + 1}</span>
                </label>
                <textarea
                  id={descriptionId}
                  className="textarea"
                  rows={2}
                  maxLength={CRITERION_DESCRIPTION_MAX}
                  value={row.description}
                  aria-invalid={descriptionError ? true : undefined}
                  aria-describedby={descriptionError ? `${descriptionId}-error` : undefined}
                  onChange={(e) => update(row.key, { description: e.target.value })}
                />
                {descriptionError && (
                  <p className="field__error" id={`${descriptionId}-error`}>
                    {descriptionError}
                  </p>
                )}
              </div>
              {!readOnly && (
                <div className="rubric__actions">
                  <button
                    type="button"
                    className="btn btn--ghost btn--icon btn--small"
                    data-move="-1"
                    onClick={() => move(index, -1)}
                    disabled={index === 0}
                    aria-label={`Move criterion ${index + 1} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--icon btn--small"
                    data-move="1"
                    onClick={() => move(index, 1)}
                    disabled={index === rows.length - 1}
                    aria-label={`Move criterion ${index + 1} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    onClick={() => remove(row.key)}
                    disabled={rows.length <= RUBRIC_MIN}
                    aria-label={`Remove criterion ${index + 1}`}
                  >
                    Remove
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button
          type="button"
          className="btn btn--secondary btn--small"
          onClick={add}
          disabled={rows.length >= RUBRIC_MAX}
        >
          <span aria-hidden="true">+ </span>Add criterion
        </button>
      )}
      {!readOnly && rows.length >= RUBRIC_MAX && (
        <p className="field__hint">A rubric has at most {RUBRIC_MAX} criteria.</p>
      )}
    </div>
  );
}
