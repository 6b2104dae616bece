// Create (/questions/new, in the current workspace) or edit (/questions/:id/edit) a question:
// title, difficulty, category, tags, markdown prompt with preview, starter code per language
// and test cases.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { createQuestion, getQuestion, listCategories, updateQuestion } from '../../api/questions';
import { DIFFICULTIES, type Difficulty, type Uuid } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Field, controlProps } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useCurrentWorkspace } from '../workspaces/currentWorkspace';
import { questionBankPath } from '../workspaces/workspacePaths';
import { PromptEditor } from './PromptEditor';
import {
  draftToInput,
  emptyDraft,
  firstTestCaseErrorId,
  isSqlDraft,
  isTestCaseErrorOf,
  questionToDraft,
  validateQuestionDraft,
  type QuestionDraft,
  type TestCaseRow,
} from './questionDraft';
import { StarterCodeEditor } from './StarterCodeEditor';
import { TestCaseEditor } from './TestCaseEditor';

export default function QuestionFormPage() {
  const { id } = useParams();
  const current = useCurrentWorkspace();
  const existing = useAsync((signal) => (id ? getQuestion(id, signal) : Promise.resolve(null)), [id]);
  if (id && existing.loading) return <LoadingBlock label="Loading question…" />;
  if (existing.error) return <ErrorState error={existing.error} onRetry={existing.reload} />;
  const question = existing.data ?? null;
  return (
    <QuestionForm
      key={question?.id ?? 'new'}
      questionId={question?.id ?? null}
      workspaceId={question?.workspace_id ?? current.id}
      workspaceName={question ? null : current.name}
      initial={question ? questionToDraft(question) : emptyDraft()}
    />
  );
}

interface QuestionFormProps {
  questionId: Uuid | null;
  /** Where a new question is created, and whose categories are suggested. */
  workspaceId: Uuid;
  /** Named in the header of a new question. */
  workspaceName: string | null;
  initial: QuestionDraft;
}

function QuestionForm({ questionId, workspaceId, workspaceName, initial }: QuestionFormProps) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState<QuestionDraft>(initial);
  const categories = useAsync((signal) => listCategories(workspaceId, signal), [workspaceId]);
  const editing = questionId !== null;

  useEffect(() => {
    document.title = `${editing ? 'Edit question' : 'New question'} · CodeView`;
  }, [editing]);

  const form = useFormSubmit({
    fieldOrder: ['title', 'difficulty', 'category', 'tags', 'prompt'],
    focusFallback: (fields) => firstTestCaseErrorId(draft.testCases, fields),
    validate: () => validateQuestionDraft(draft),
    submit: async () => {
      const input = draftToInput(draft);
      const saved = questionId
        ? await updateQuestion(questionId, input)
        : await createQuestion({ ...input, workspace_id: workspaceId });
      navigate(`/questions/${saved.id}`);
    },
  });
  const { errors, formError, pending } = form;

  /** The error keys a change of each draft field answers (the server's names). */
  const ERROR_KEYS: Record<Exclude<keyof QuestionDraft, 'testCases'>, (key: string) => boolean> = {
    title: (k) => k === 'title',
    prompt: (k) => k === 'prompt',
    difficulty: (k) => k === 'difficulty',
    category: (k) => k === 'category',
    tagsText: (k) => k === 'tags' || k.startsWith('tags[') || k.startsWith('tags.'),
    starterCode: (k) => k.startsWith('starter_code'),
    sqlSchema: (k) => k === 'sql_schema',
  };
  const set = <K extends Exclude<keyof QuestionDraft, 'testCases'>>(key: K, value: QuestionDraft[K]) => {
    form.clearErrors(ERROR_KEYS[key]);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  // An edited row loses its own errors; adding, removing or moving rows shifts the server's
  // indexes, so then every test-case error goes (the client's checks run again anyway).
  const setTestCases = (rows: TestCaseRow[]) => {
    const before = draft.testCases;
    const sameRows = rows.length === before.length && rows.every((r, i) => r.key === before[i]?.key);
    form.clearErrors((k) =>
      k === 'test_cases'
        ? true
        : sameRows
          ? rows.some((r, i) => r !== before[i] && isTestCaseErrorOf(k, i))
          : k.startsWith('test_cases'),
    );
    setDraft((d) => ({ ...d, testCases: rows }));
  };

  const sql = isSqlDraft(draft);
  const back = questionId ? `/questions/${questionId}` : questionBankPath(workspaceId);
  return (
    <>
      <Link to={back} className="breadcrumb">
        ← {questionId ? 'Back to question' : 'Question bank'}
      </Link>
      <PageHeader
        title={editing ? 'Edit question' : 'New question'}
        subtitle={
          workspaceName && (
            <>
              In <strong>{workspaceName}</strong>: its members can use and edit it.
            </>
          )
        }
      />
      <form className="stack" onSubmit={form.onSubmit} noValidate aria-busy={pending}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Card title="Details" bodyClassName="form-grid form-grid--3">
          <Field id="title" label="Title" error={errors['title']} className="field--wide">
            <input
              {...controlProps('title', errors['title'])}
              className="input"
              value={draft.title}
              autoFocus={!editing}
              onChange={(e) => set('title', e.target.value)}
            />
          </Field>
          <Field id="difficulty" label="Difficulty" error={errors['difficulty']}>
            <select
              {...controlProps('difficulty', errors['difficulty'])}
              className="select"
              value={draft.difficulty}
              onChange={(e) => set('difficulty', e.target.value as Difficulty)}
            >
              {DIFFICULTIES.map((d) => (
                <option key={d} value={d}>
                  {d[0]?.toUpperCase()}
                  {d.slice(1)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="category" label="Category" error={errors['category']}>
            <input
              {...controlProps('category', errors['category'])}
              className="input"
              list="category-options"
              placeholder="e.g. Arrays"
              value={draft.category}
              onChange={(e) => set('category', e.target.value)}
            />
            <datalist id="category-options">
              {(categories.data ?? []).map((c) => (
                <option key={c.name} value={c.name} />
              ))}
            </datalist>
          </Field>
          <Field id="tags" label="Tags" error={errors['tags']} hint="Comma-separated, e.g. hashing, two-pointers">
            <input
              {...controlProps('tags', errors['tags'], true)}
              className="input"
              value={draft.tagsText}
              onChange={(e) => set('tagsText', e.target.value)}
            />
          </Field>
          <PromptEditor value={draft.prompt} onChange={(v) => set('prompt', v)} error={errors['prompt']} />
        </Card>
        <Card
          title="SQL schema"
          aside={<span className="muted small">Only for questions answered in SQL (SQLite).</span>}
        >
          <Field
            id="sql_schema"
            label="Schema"
            error={errors['sql_schema']}
            hint="CREATE TABLE statements (and rows every case shares), run before each test case's seed data. Candidates see it."
          >
            <textarea
              {...controlProps('sql_schema', errors['sql_schema'], true)}
              className="textarea textarea--code"
              rows={6}
              spellCheck={false}
              value={draft.sqlSchema}
              onChange={(e) => set('sqlSchema', e.target.value)}
            />
          </Field>
        </Card>
        <Card
          title="Test cases"
          aside={
            <span className="muted small">
              {sql
                ? "Seed data (SQL INSERTs) runs after the schema; the expected table is sqlite3's output with .headers on and .mode quote."
                : 'Input is fed to stdin; output is compared with stdout.'}
            </span>
          }
        >
          {errors['test_cases'] && <Alert tone="error">{errors['test_cases']}</Alert>}
          <TestCaseEditor rows={draft.testCases} onChange={setTestCases} fieldErrors={errors} sql={sql} />
        </Card>
        <Card title="Starter code">
          {errors['starter_code'] && <Alert tone="error">{errors['starter_code']}</Alert>}
          <StarterCodeEditor value={draft.starterCode} onChange={(v) => set('starterCode', v)} />
        </Card>
        <div className="form-actions">
          <Link to={back} className="btn btn--ghost">
            Cancel
          </Link>
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {pending ? 'Saving…' : editing ? 'Save changes' : 'Create question'}
          </button>
        </div>
      </form>
    </>
  );
}
