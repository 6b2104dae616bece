// Editable rows of test cases: stdin input, expected output, and a "hidden from candidate"
// checkbox (plus, for SQL questions, whether the rows must come in order), with add/remove.
// Focus moves to the new row's input when one is added.
import { useEffect, useRef } from 'react';
import { emptyTestCase, testCaseFieldError, type TestCaseRow } from './questionDraft';

export interface TestCaseEditorProps {
  rows: TestCaseRow[];
  onChange: (rows: TestCaseRow[]) => void;
  fieldErrors?: Record<string, string>;
  /** SQL questions: input is seed data, output a table, and each case says if order matters. */
  sql?: boolean;
}

export function TestCaseEditor({ rows, onChange, fieldErrors = {}, sql = false }: TestCaseEditorProps) {
  const focusKey = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!focusKey.current) return;
    listRef.current?.querySelector<HTMLTextAreaElement>(`[data-row="${focusKey.current}"] textarea`)?.focus();
    focusKey.current = null;
  }, [rows]);

  const update = (key: string, patch: Partial<TestCaseRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: string) => onChange(rows.filter((r) => r.key !== key));
  const add = () => {
    const row = emptyTestCase();
    focusKey.current = row.key;
    onChange([...rows, row]);
  };

  return (
    <div className="testcases">
      {rows.length === 0 && <p className="muted small">No test cases yet.</p>}
      <ol className="testcases__list" ref={listRef}>
        {rows.map((row, index) => {
          // Every row is sent, so the server's `test_cases[i]` is row i.
          const inputError = testCaseFieldError(fieldErrors, index, 'input');
          const outputError = testCaseFieldError(fieldErrors, index, 'expected_output');
          return (
            <li className="testcase" key={row.key} data-row={row.key} data-testid="test-case-row">
              <span className="testcase__index" aria-hidden="true">
                {index + 1}
              </span>
              <div className="field">
                <label className="field__label" htmlFor={`${row.key}-input`}>
                  {sql ? 'Seed data (SQL)' : 'Input'} <span className="visually-hidden">for test {index + 1}</span>
                </label>
                <textarea
                  id={`${row.key}-input`}
                  className="textarea textarea--code testcase__text"
                  rows={3}
                  value={row.input}
                  aria-invalid={inputError ? true : undefined}
                  aria-describedby={inputError ? `${row.key}-input-error` : undefined}
                  onChange={(e) => update(row.key, { input: e.target.value })}
                />
                {inputError && (
                  <p className="field__error" id={`${row.key}-input-error`}>
                    {inputError}
                  </p>
                )}
              </div>
              <div className="field">
                <label className="field__label" htmlFor={`${row.key}-expected`}>
                  {sql ? 'Expected table' : 'Expected output'}{' '}
                  <span className="visually-hidden">for test {index + 1}</span>
                </label>
                <textarea
                  id={`${row.key}-expected`}
                  className="textarea textarea--code testcase__text"
                  rows={3}
                  value={row.expected_output}
                  aria-invalid={outputError ? true : undefined}
                  aria-describedby={outputError ? `${row.key}-expected-error` : undefined}
                  onChange={(e) => update(row.key, { expected_output: e.target.value })}
                />
                {outputError && (
                  <p className="field__error" id={`${row.key}-expected-error`}>
                    {outputError}
                  </p>
                )}
              </div>
              <div className="testcase__side">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={row.hidden}
                    onChange={(e) => update(row.key, { hidden: e.target.checked })}
                  />
                  Hidden
                </label>
                {sql && (
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={row.ordered}
                      onChange={(e) => update(row.key, { ordered: e.target.checked })}
                    />
                    Rows in order
                  </label>
                )}
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => remove(row.key)}
                  aria-label={`Remove test ${index + 1}`}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn--secondary btn--small" onClick={add}>
        + Add test case
      </button>
    </div>
  );
}
