// One question: rendered prompt, metadata, starter code and test cases, with edit/delete.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { deleteQuestion, getQuestion } from '../../api/questions';
import { LANGUAGES, LANGUAGE_LABELS } from '../../api/types';
import { Alert } from '../../components/Alert';
import { DifficultyBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';

export default function QuestionDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: question, error, loading, reload } = useAsync((signal) => getQuestion(id, signal), [id]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    if (question) document.title = `${question.title} · CodeView`;
  }, [question]);

  if (loading && !question) return <LoadingBlock label="Loading question…" />;
  if (error || !question) return <ErrorState error={error} onRetry={reload} />;

  const onDelete = async () => {
    setBusy(true);
    try {
      await deleteQuestion(question.id);
      navigate('/questions', { replace: true });
    } catch (err) {
      setActionError(errorMessage(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const starters = LANGUAGES.filter((l) => question.starter_code[l]);

  return (
    <>
      <Link to="/questions" className="breadcrumb">
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
            {question.builtin && <span className="muted small">· Starter library</span>}
          </span>
        }
        actions={
          <>
            {!question.builtin && (
              <button type="button" className="btn btn--danger-outline" onClick={() => setConfirming(true)}>
                Delete
              </button>
            )}
            <button
              type="button"
              className={`btn ${question.builtin ? 'btn--primary' : 'btn--secondary'}`}
              onClick={() => navigate('/questions/new', { state: { copyOf: question } })}
            >
              Duplicate
            </button>
            {!question.builtin && (
              <Link to={`/questions/${question.id}/edit`} className="btn btn--primary">
                Edit
              </Link>
            )}
          </>
        }
      />
      {actionError && <Alert tone="error">{actionError}</Alert>}
      {question.builtin && (
        <div style={{ marginBottom: 20 }}>
          <Alert tone="info">This question comes from the starter library and is read-only. Duplicate it to make your own version.</Alert>
        </div>
      )}
      <div className="stack">
        <Card title="Prompt">
          <Markdown source={question.prompt} />
        </Card>
        <Card title={`Test cases (${question.test_cases.length})`} bare>
          {question.test_cases.length === 0 ? (
            <div className="card__body muted">No test cases.</div>
          ) : (
            <div className="table-wrap">
              <table className="table">
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
                      <td className="muted">{n + 1}</td>
                      <td>
                        <pre className="cell-pre">{tc.input}</pre>
                      </td>
                      <td>
                        <pre className="cell-pre">{tc.expected_output}</pre>
                      </td>
                      <td>{tc.hidden ? <span className="badge">Hidden</span> : <span className="muted small">Visible</span>}</td>
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
