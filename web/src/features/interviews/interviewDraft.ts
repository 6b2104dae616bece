// The create/edit interview form state and its conversion to the API's request body.
import type { Interview, InterviewInput, Language, Uuid, Workspace } from '../../api/types';
import { fromLocalInput, toLocalInput } from '../../lib/format';

export interface InterviewDraft {
  title: string;
  /** Local time as a datetime-local input holds it ("YYYY-MM-DDTHH:mm"), or "". */
  scheduledAt: string;
  durationMinutes: string;
  language: Language;
  questionIds: Uuid[];
  candidateName: string;
  candidateEmail: string;
}

/** What a new interview starts from: its workspace's defaults. */
export type InterviewDefaults = Pick<Workspace, 'default_language' | 'default_duration_minutes'>;

export function emptyInterviewDraft(defaults: InterviewDefaults): InterviewDraft {
  return {
    title: '',
    scheduledAt: '',
    durationMinutes: String(defaults.default_duration_minutes),
    language: defaults.default_language,
    questionIds: [],
    candidateName: '',
    candidateEmail: '',
  };
}

export function interviewToDraft(i: Interview): InterviewDraft {
  return {
    title: i.title,
    scheduledAt: toLocalInput(i.scheduled_at),
    durationMinutes: i.duration_minutes ? String(i.duration_minutes) : '',
    language: i.language ?? 'python',
    questionIds: [...i.question_ids],
    candidateName: i.candidate_name ?? '',
    candidateEmail: i.candidate_email ?? '',
  };
}

/**
 * The request body. On create, blank optional fields are left out. On edit, a cleared text
 * field is sent as "" — the server reads a missing/null field as "keep" and "" as "clear".
 * A blank duration is always left out (the server keeps the current one or uses its default).
 */
export function draftToInterviewInput(d: InterviewDraft, mode: 'create' | 'edit'): InterviewInput {
  const input: InterviewInput = {
    title: d.title.trim(),
    language: d.language,
    question_ids: d.questionIds,
  };
  const clear = mode === 'edit' ? '' : undefined;
  const scheduled = fromLocalInput(d.scheduledAt) ?? clear;
  const name = d.candidateName.trim() || clear;
  const email = d.candidateEmail.trim() || clear;
  if (scheduled !== undefined) input.scheduled_at = scheduled;
  if (d.durationMinutes.trim()) input.duration_minutes = Number(d.durationMinutes);
  if (name !== undefined) input.candidate_name = name;
  if (email !== undefined) input.candidate_email = email;
  return input;
}
