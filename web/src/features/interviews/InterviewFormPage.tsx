// Create (/interviews/new, in the current workspace, starting from its default language and
// duration) or edit (/interviews/:id/edit, while scheduled) an interview: title, schedule,
// duration, language, questions (the workspace's and the starter library), candidate name and
// email.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { createInterview, getInterview, updateInterview } from '../../api/interviews';
import { type InterviewDetail, type Language, type Workspace } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Field, controlProps } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { fieldFailure, useFormSubmit } from '../../lib/useFormSubmit';
import { DURATION_MAX, DURATION_MIN, validateInterview } from '../../lib/validation';
import { useCurrentWorkspace } from '../workspaces/currentWorkspace';
import { dashboardPath } from '../workspaces/workspacePaths';
import { draftToInterviewInput, emptyInterviewDraft, interviewToDraft, type InterviewDraft } from './interviewDraft';
import { QuestionPicker } from './QuestionPicker';
import { LanguageOptions } from '../../components/LanguageOptions';

export default function InterviewFormPage() {
  const { id } = useParams();
  const current = useCurrentWorkspace();
  const existing = useAsync((signal) => (id ? getInterview(id, { signal }) : Promise.resolve(null)), [id]);
  if (id && existing.loading) return <LoadingBlock label="Loading interview…" />;
  if (existing.error) return <ErrorState error={existing.error} onRetry={existing.reload} />;
  const detail = existing.data ?? null;
  if (detail && detail.interview.status !== 'scheduled') {
    return (
      <Alert tone="warning" title="This interview can no longer be edited">
        <p>Only scheduled interviews can be changed.</p>
        <Link to={`/interviews/${detail.interview.id}`}>Back to the interview</Link>
      </Alert>
    );
  }
  return <InterviewForm key={detail?.interview.id ?? `new-${current.id}`} detail={detail} workspace={current} />;
}

const FIELD_ORDER = ['title', 'scheduled_at', 'duration_minutes', 'language', 'candidate_name', 'candidate_email'];

/** `workspace` is where a new interview goes (an edited one stays in its own). */
function InterviewForm({ detail, workspace }: { detail: InterviewDetail | null; workspace: Workspace }) {
  const navigate = useNavigate();
  const editing = detail !== null;
  const workspaceId = detail?.interview.workspace_id ?? workspace.id;
  const [draft, setDraft] = useState<InterviewDraft>(() =>
    detail ? interviewToDraft(detail.interview) : emptyInterviewDraft(workspace),
  );
  useEffect(() => {
    document.title = `${editing ? 'Edit interview' : 'New interview'} · CodeView`;
  }, [editing]);

  const set = <K extends keyof InterviewDraft>(key: K, value: InterviewDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const form = useFormSubmit({
    fieldOrder: FIELD_ORDER,
    validate: () => validateInterview(draft),
    submit: async () => {
      if (detail) {
        await updateInterview(detail.interview.id, draftToInterviewInput(draft, 'edit'));
        navigate(`/interviews/${detail.interview.id}`);
      } else {
        const created = await createInterview({
          ...draftToInterviewInput(draft, 'create'),
          workspace_id: workspace.id,
        });
        navigate(`/interviews/${created.interview.id}`, {
          state: { created: true, emailSent: created.email_sent },
        });
      }
    },
    // The questions have no field of their own: their error is the form's message.
    failure: (error) => {
      const read = fieldFailure(error);
      return { ...read, form: read.fields?.['question_ids'] ?? read.form };
    },
  });
  const { errors, formError, pending } = form;

  const back = detail ? `/interviews/${detail.interview.id}` : dashboardPath(workspace.id);
  return (
    <>
      <Link to={back} className="breadcrumb">
        ← {detail ? 'Back to interview' : 'Dashboard'}
      </Link>
      <PageHeader
        title={editing ? 'Edit interview' : 'New interview'}
        subtitle={
          editing ? (
            'The candidate keeps the same invite link.'
          ) : (
            <>
              In <strong>{workspace.name}</strong>. The candidate gets a private invite link once it is created.
            </>
          )
        }
      />
      <form className="stack" onSubmit={form.onSubmit} noValidate aria-busy={pending}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Card title="Interview" bodyClassName="form-grid form-grid--3">
          <Field id="title" label="Title" error={errors['title']} className="field--wide">
            <input
              {...controlProps('title', errors['title'])}
              className="input"
              placeholder="e.g. Backend engineer — technical screen"
              autoFocus={!editing}
              value={draft.title}
              onChange={(e) => set('title', e.target.value)}
            />
          </Field>
          <Field
            id="scheduled_at"
            label="Date and time"
            error={errors['scheduled_at']}
            hint="Your local time. Optional."
          >
            <input
              {...controlProps('scheduled_at', errors['scheduled_at'], true)}
              type="datetime-local"
              className="input"
              value={draft.scheduledAt}
              onChange={(e) => set('scheduledAt', e.target.value)}
            />
          </Field>
          <Field id="duration_minutes" label="Duration (minutes)" error={errors['duration_minutes']}>
            <input
              {...controlProps('duration_minutes', errors['duration_minutes'])}
              type="number"
              inputMode="numeric"
              min={DURATION_MIN}
              max={DURATION_MAX}
              step={5}
              className="input"
              value={draft.durationMinutes}
              onChange={(e) => set('durationMinutes', e.target.value)}
            />
          </Field>
          <Field id="language" label="Language" error={errors['language']}>
            <select
              {...controlProps('language', errors['language'])}
              className="select"
              value={draft.language}
              onChange={(e) => set('language', e.target.value as Language)}
            >
              <LanguageOptions />
            </select>
          </Field>
        </Card>
        <Card title="Candidate" bodyClassName="form-grid">
          <Field id="candidate_name" label="Name" error={errors['candidate_name']}>
            <input
              {...controlProps('candidate_name', errors['candidate_name'])}
              className="input"
              autoComplete="off"
              value={draft.candidateName}
              onChange={(e) => set('candidateName', e.target.value)}
            />
          </Field>
          <Field id="candidate_email" label="Email" error={errors['candidate_email']}>
            <input
              {...controlProps('candidate_email', errors['candidate_email'])}
              type="email"
              className="input"
              autoComplete="off"
              value={draft.candidateEmail}
              onChange={(e) => set('candidateEmail', e.target.value)}
            />
          </Field>
        </Card>
        <Card title="Questions">
          <QuestionPicker
            workspaceId={workspaceId}
            selected={draft.questionIds}
            onChange={(ids) => set('questionIds', ids)}
            known={detail?.questions ?? []}
          />
        </Card>
        <div className="form-actions">
          <Link to={back} className="btn btn--ghost">
            Cancel
          </Link>
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {pending ? 'Saving…' : editing ? 'Save changes' : 'Create interview'}
          </button>
        </div>
      </form>
    </>
  );
}
