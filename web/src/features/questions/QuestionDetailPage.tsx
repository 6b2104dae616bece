// One question: rendered prompt, metadata, starter code and test cases, with edit/delete for
// a workspace's questions. Starter-library questions are read-only and their hidden tests are
// public, so the page offers to duplicate them into the current workspace; workspace questions
// can be duplicated too (into their own workspace). A duplicate opens at once.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { deleteQuestion, duplicateQuestion, getQuestion } from '../../api/questions';
import { LANGUAGES, LANGUAGE_LABELS } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DifficultyBadge, StarterBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { useCurrentWorkspace, useWorkspaces } from '../workspaces/currentWorkspace';
import { questionBankPath } from '../workspaces/workspacePaths';

export default function QuestionDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: question, error, loading, reload } = useAsync((signal) => getQuestion(id, signal), [id]);
  const current = useCurrentWorkspace();
  const { workspaces } = useWorkspaces();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [duplicating, setDuplicating] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    if (question) document.title = `${question.title} · CodeView`;
  }, [question]);

  if (loading && !question) return <LoadingBlock label="Loading question…" />;
  if (error || !question) return <ErrorState error={error} onRetry={reload} />;

  // Starter questions go to the current workspace, a workspace's question stays in its own.
  const home = workspaces.find((w) => w.id === question.workspace_id) ?? null;
  const target = home ?? current;
  const bank = questionBankPath(target.id);

  const onDelete = async () => {
    setBusy(true);
    try {
      await deleteQuestion(question.id);
      navigate(bank, { replace: true });
    } catch (err) {
      setActionError(errorMessage(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const onDuplicate = async () => {
    setDuplicating(true);
    setActionError(null);
    try {
      const copy = await duplicateQuestion(question.id, target.id);
      navigate(`/questions/${copy.id}`);
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setDuplicating(false);
    }
  };
  const duplicateButton = (
    <button
      type="button"
      className={`btn btn--wrap ${question.builtin ? 'btn--primary' : 'btn--secondary'}`}
      onClick={() => void onDuplicate()}
      disabled={duplicating}
    >
      {duplicating ? 'Duplicating…' : question.builtin ? `Duplicate to ${target.name}` : 'Duplicate'}
    </button>
  );

  const starters = LANGUAGES.filter((l) => question.starter_code[l]);
  const hiddenListed = question.test_cases.filter((tc) => tc.hidden).length;
  const hiddenNotShown = Math.max(0, (question.hidden_test_count ?? 0) - hiddenListed);

  return (
    <>
      <Link to={bank} className="breadcrumb">
        ← Question bank
      </Link>
      <PageHeader
        title={question.title}
        subtitle={
          <span className="row">
            <DifficultyBadge difficulty={question.difficulty} />
            <span>{question.category}</span>
            {question.tags.map((t) => (
              <span className="tag" key={t}>
                {t}
              </span>
            ))}
            {question.builtin ? <StarterBadge /> : home && <span className="muted small">· {home.name}</span>}
          </span>
        }
        actions={
          !question.builtin && (
            <>
              <button type="button" className="btn btn--danger-outline" onClick={() => setConfirming(true)}>
                Delete
              </button>
              {duplicateButton}
              <Link to={`/questions/${question.id}/edit`} className="btn btn--primary">
                Edit
              </Link>
            </>
          )
        }
      />
      {actionError && (
        <div className="notice">
          <Alert tone="error">{actionError}</Alert>
        </div>
      )}
      {question.builtin && (
        <div className="notice" data-testid="starter-note">
          <Alert tone="info" title="From the starter library (read-only)">
            <p>
              Hidden tests of starter questions are public: the starter library is open source. Duplicate it into your
              workspace to keep its tests private.
            </p>
            {duplicateButton}
          </Alert>
        </div>
      )}
      <div className="stack">
        <Card title="Prompt">
          <Markdown source={question.prompt} />
        </Card>
        {question.sql_schema && (
          <Card title="SQL schema">
            <pre className="code-block" data-testid="question-sql-schema">
              {question.sql_schema}
            </pre>
          </Card>
        )}
        <Card title={`Test cases (${question.test_cases.length})`} bare>
          {hiddenNotShown > 0 && (
            <p className="card__body muted small" data-testid="hidden-not-shown">
              {hiddenNotShown} hidden test {hiddenNotShown === 1 ? 'case is' : 'cases are'} not shown here. Duplicate
              the question to see and edit {hiddenNotShown === 1 ? 'it' : 'them'}.
            </p>
          )}
          {question.test_cases.length === 0 ? (
            hiddenNotShown === 0 && <div className="card__body muted">No test cases.</div>
          ) : (
            <div className="table-wrap">
              <table className="table table--stack">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Input</th>
                    <th scope="col">Expected output</th>
                    <th scope="col">Visibility</th>
                  </tr>
                </thead>
                <tbody>
                  {question.test_cases.map((tc, n) => (
                    <tr key={tc.id}>
                      <td data-label="Case" className="muted">
                        {n + 1}
                      </td>
                      <td data-label="Input">
                        <pre className="cell-pre">{tc.input}</pre>
                      </td>
                      <td data-label="Expected">
                        <pre className="cell-pre">{tc.expected_output}</pre>
                      </td>
                      <td data-label="Visibility">
                        {tc.hidden ? (
                          <span className="badge">Hidden</span>
                        ) : (
                          <span className="muted small">Visible</span>
                        )}
                        {question.sql_schema && tc.ordered === false && (
                          <span className="muted small"> · rows in any order</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <Card title="Starter code" bodyClassName="stack">
          {starters.length === 0 && <p className="muted">No starter code.</p>}
          {starters.map((l) => (
            <div key={l}>
              <h3 className="small muted" style={{ marginBottom: 6 }}>
                {LANGUAGE_LABELS[l]}
              </h3>
              <pre className="code-block">{question.starter_code[l]}</pre>
            </div>
          ))}
        </Card>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this question?"
        confirmLabel="Delete question"
        busy={busy}
        onConfirm={onDelete}
        onCancel={() => setConfirming(false)}
      >
        <p>“{question.title}” will be removed from the bank. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
