// Question bank: the current workspace's questions and the starter library, filtered by
// difficulty, category, tag and free text (server-side filters, so large banks stay fast).
// Workspace and filters live in the URL.
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listCategories, listQuestions } from '../../api/questions';
import { DIFFICULTIES, type Difficulty } from '../../api/types';
import { DifficultyBadge, StarterBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { FilterInput, FilterSelect } from '../../components/Filters';
import { EmptyState, PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { useDebounced } from '../../lib/useDebounced';
import { NotMemberNotice } from '../workspaces/NotMemberNotice';
import { useWorkspaceParam } from '../workspaces/useWorkspaceParam';

export default function QuestionListPage() {
  const [params, setParams] = useSearchParams();
  const { workspace, notMember } = useWorkspaceParam();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const category = params.get('category') ?? '';
  const difficultyParam = params.get('difficulty') ?? '';
  const difficulty: Difficulty | '' = (DIFFICULTIES as readonly string[]).includes(difficultyParam)
    ? (difficultyParam as Difficulty)
    : '';
  const debouncedQ = useDebounced(q);
  const debouncedTag = useDebounced(tag);

  const questions = useAsync(
    (signal) =>
      listQuestions({ workspace: workspace.id, q: debouncedQ, tag: debouncedTag, category, difficulty }, signal),
    [workspace.id, debouncedQ, debouncedTag, category, difficulty],
  );
  const categories = useAsync((signal) => listCategories(workspace.id, signal), [workspace.id]);

  useEffect(() => {
    document.title = 'Questions · CodeView';
  }, []);

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };
  const filtered = Boolean(q || tag || category || difficulty);

  return (
    <>
      <PageHeader
        title="Question bank"
        subtitle={
          <>
            Questions of <strong>{workspace.name}</strong> and the starter library, to add to interviews.
          </>
        }
        actions={
          <Link to="/questions/new" className="btn btn--primary">
            New question
          </Link>
        }
      />
      {notMember && <NotMemberNotice workspace={workspace} />}
      <section className="card">
        <div className="card__body">
          <div className="toolbar" role="search">
            <FilterInput
              id="question-search"
              label="Search"
              search
              placeholder="Title or prompt text"
              value={q}
              onChange={(value) => setParam('q', value)}
            />
            <FilterSelect
              id="question-difficulty"
              label="Difficulty"
              anyLabel="Any difficulty"
              options={DIFFICULTIES.map((d) => ({ value: d, label: `${d[0]?.toUpperCase() ?? ''}${d.slice(1)}` }))}
              value={difficulty}
              onChange={(value) => setParam('difficulty', value)}
            />
            <FilterSelect
              id="question-category"
              label="Category"
              anyLabel="All categories"
              options={(categories.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.count})` }))}
              value={category}
              onChange={(value) => setParam('category', value)}
            />
            <FilterInput
              id="question-tag"
              label="Tag"
              placeholder="e.g. two-pointers"
              value={tag}
              onChange={(value) => setParam('tag', value)}
            />
          </div>
          {questions.loading && !questions.data ? (
            <LoadingBlock label="Loading questions…" />
          ) : questions.error ? (
            <ErrorState error={questions.error} onRetry={questions.reload} />
          ) : (questions.data ?? []).length === 0 ? (
            <EmptyState title={filtered ? 'No questions match these filters.' : 'Your question bank is empty.'}>
              {!filtered && (
                <Link to="/questions/new" className="btn btn--primary">
                  Write a question
                </Link>
              )}
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table table--stack" data-testid="question-table" aria-busy={questions.loading}>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Difficulty</th>
                    <th scope="col">Category</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Tests</th>
                  </tr>
                </thead>
                <tbody>
                  {(questions.data ?? []).map((question) => (
                    <tr key={question.id}>
                      <td>
                        <Link className="table__title" to={`/questions/${question.id}`}>
                          {question.title}
                        </Link>
                        {question.builtin && (
                          <span className="table__sub">
                            <StarterBadge />
                          </span>
                        )}
                      </td>
                      <td data-label="Difficulty">
                        <DifficultyBadge difficulty={question.difficulty} />
                      </td>
                      <td data-label="Category">{question.category}</td>
                      <td data-label="Tags">
                        <span className="row">
                          {question.tags.map((t) => (
                            <button
                              key={t}
                              type="button"
                              className="tag"
                              style={{ border: 0, cursor: 'pointer' }}
                              onClick={() => setParam('tag', t)}
                              title={`Filter by tag ${t}`}
                            >
                              {t}
                            </button>
                          ))}
                        </span>
                      </td>
                      <td data-label="Tests" className="muted">
                        {question.test_cases.length}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </section>
    </>
  );
}
