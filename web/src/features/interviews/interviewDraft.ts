// The create/edit interview form state and its conversion to the API's request body.
import type { Interview, InterviewInput, Language, Uuid } from '../../api/types';
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

export function emptyInterviewDraft(): InterviewDraft {
  return {
    title: '',
    scheduledAt: '',
    durationMinutes: '60',
    language: 'python',
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
 * The request body. On create, blank optional fields are left out; on edit they are sent as
 * null so that clearing a field in the form clears it on the server.
 */
export function draftToInterviewInput(d: InterviewDraft, mode: 'create' | 'edit'): InterviewInput {
  const input: InterviewInput = {
    title: d.title.trim(),
    language: d.language,
    question_ids: d.questionIds,
  };
  const scheduled = fromLocalInput(d.scheduledAt);
  const duration = d.durationMinutes.trim() ? Number(d.durationMinutes) : null;
  const name = d.candidateName.trim() || null;
  const email = d.candidateEmail.trim() || null;
  const keep = (value: unknown) => value !== null || mode === 'edit';
  if (keep(scheduled)) input.scheduled_at = scheduled;
  if (keep(duration)) input.duration_minutes = duration;
  if (keep(name)) input.candidate_name = name;
  if (keep(email)) input.candidate_email = email;
  return input;
}
