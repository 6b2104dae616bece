// Picks questions for an interview from its workspace's bank and the starter library: search +
// difficulty filter, a checkbox per question, and the chosen ones listed in order with
// move/remove controls.
import { useState } from 'react';
import { listQuestions } from '../../api/questions';
import { DIFFICULTIES, type Difficulty, type Question, type Uuid } from '../../api/types';
import { DifficultyBadge, StarterBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { useDebounced } from '../../lib/useDebounced';

export interface QuestionPickerProps {
  /** The interview's workspace: only its questions (and the starter library) may be attached. */
  workspaceId: Uuid;
  selected: Uuid[];
  onChange: (ids: Uuid[]) => void;
  /** Questions already attached (edit mode), so their titles show before the bank loads. */
  known?: Question[];
}

export function QuestionPicker({ workspaceId, selected, onChange, known = [] }: QuestionPickerProps) {
  const [q, setQ] = useState('');
  const [difficulty, setDifficulty] = useState<Difficulty | ''>('');
  const debouncedQ = useDebounced(q);
  /** Every question seen so far, so a chosen one keeps its title when a search hides it. */
  const [byId, setById] = useState<Map<Uuid, Question>>(() => new Map(known.map((k) => [k.id, k])));
  const bank = useAsync(
    async (signal) => {
      const questions = await listQuestions({ workspace: workspaceId, q: debouncedQ, difficulty }, signal);
      setById((prev) => new Map([...prev, ...questions.map((question) => [question.id, question] as const)]));
      return questions;
    },
    [workspaceId, debouncedQ, difficulty],
  );

  const toggle = (id: Uuid) => onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  const move = (index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= selected.length) return;
    const next = [...selected];
    const [item] = next.splice(index, 1);
    if (item !== undefined) next.splice(target, 0, item);
    onChange(next);
  };

  return (
    <div className="picker">
      <div className="picker__chosen">
        <h3 className="picker__heading">Selected ({selected.length})</h3>
        {selected.length === 0 ? (
          <p className="muted small">No questions yet. Pick from the bank below — you can also add them later.</p>
        ) : (
          <ol className="list picker__list" data-testid="selected-questions">
            {selected.map((id, index) => {
              const question = byId.get(id);
              return (
                <li key={id} className="list__item">
                  <span className="muted small">{index + 1}.</span>
                  <div className="list__main">{question?.title ?? <span className="muted">Loading…</span>}</div>
                  {question && <DifficultyBadge difficulty={question.difficulty} />}
                  <button
                    type="button"
                    className="btn btn--ghost btn--icon btn--small"
                    onClick={() => move(index, -1)}
                    disabled={index === 0}
                    aria-label={`Move ${question?.title ?? 'question'} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--icon btn--small"
                    onClick={() => move(index, 1)}
                    disabled={index === selected.length - 1}
                    aria-label={`Move ${question?.title ?? 'question'} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    onClick={() => toggle(id)}
                    aria-label={`Remove ${question?.title ?? 'question'}`}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      <div className="toolbar" role="search">
        <div className="field field--grow">
          <label className="field__label" htmlFor="picker-search">
            Search the bank
          </label>
          <input
            id="picker-search"
            type="search"
            className="input"
            placeholder="Title or prompt text"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="picker-difficulty">
            Difficulty
          </label>
          <select
            id="picker-difficulty"
            className="select"
            value={difficulty}
            onChange={(e) => setDifficulty(e.target.value as Difficulty | '')}
          >
            <option value="">Any</option>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        {bank.loading && <Spinner label="Searching" />}
      </div>
      {bank.error ? (
        <ErrorState error={bank.error} onRetry={bank.reload} />
      ) : (
        <ul className="list picker__bank" aria-label="Question bank" data-testid="question-bank">
          {(bank.data ?? []).length === 0 && !bank.loading && <li className="list__item muted">No questions match.</li>}
          {(bank.data ?? []).map((question) => (
            <li key={question.id} className="list__item">
              <label className="checkbox list__main">
                <input type="checkbox" checked={selected.includes(question.id)} onChange={() => toggle(question.id)} />
                <span>
                  {question.title}
                  <span className="table__sub">
                    {question.category}
                    {question.tags.length > 0 && ` · ${question.tags.join(', ')}`}
                  </span>
                </span>
              </label>
              {question.builtin && <StarterBadge />}
              <DifficultyBadge difficulty={question.difficulty} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
