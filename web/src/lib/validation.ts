// Client-side form checks that mirror the server's rules, so users see mistakes before
// a round trip. The server stays the authority: its `error.fields` are shown the same way.
import type { FieldErrors } from '../api/client';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** Interview length limits, as the server enforces them. */
export const DURATION_MIN = 5;
export const DURATION_MAX = 480;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value.trim());
}

export function validateLogin(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!email.trim()) errors['email'] = 'Enter your email address.';
  else if (!isEmail(email)) errors['email'] = 'Enter a valid email address.';
  if (!password) errors['password'] = 'Enter your password.';
  return errors;
}

export function validateRegistration(name: string, email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!name.trim()) errors['name'] = 'Enter your name.';
  if (!email.trim()) errors['email'] = 'Enter your email address.';
  else if (!isEmail(email)) errors['email'] = 'Enter a valid email address.';
  if (password.length < PASSWORD_MIN) errors['password'] = `Use at least ${PASSWORD_MIN} characters.`;
  else if (password.length > PASSWORD_MAX) errors['password'] = `Use at most ${PASSWORD_MAX} characters.`;
  return errors;
}

export interface InterviewFormValues {
  title: string;
  scheduledAt: string;
  durationMinutes: string;
  candidateEmail: string;
}

export function validateInterview(values: InterviewFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.title.trim()) errors['title'] = 'Give the interview a title.';
  if (values.scheduledAt && Number.isNaN(new Date(values.scheduledAt).getTime())) {
    errors['scheduled_at'] = 'Enter a valid date and time.';
  }
  if (values.durationMinutes) {
    const n = Number(values.durationMinutes);
    if (!Number.isInteger(n) || n < DURATION_MIN || n > DURATION_MAX) {
      errors['duration_minutes'] = `Use a whole number of minutes between ${DURATION_MIN} and ${DURATION_MAX}.`;
    }
  }
  if (values.candidateEmail.trim() && !isEmail(values.candidateEmail)) {
    errors['candidate_email'] = 'Enter a valid email address.';
  }
  return errors;
}

export function validateQuestion(title: string, prompt: string, category: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!title.trim()) errors['title'] = 'Give the question a title.';
  if (!prompt.trim()) errors['prompt'] = 'Write the prompt the candidate will see.';
  if (!category.trim()) errors['category'] = 'Choose or type a category.';
  return errors;
}

/** "a, b ,, c" → ["a", "b", "c"], de-duplicated, order kept. */
export function parseTags(value: string): string[] {
  const seen = new Set<string>();
  for (const raw of value.split(',')) {
    const tag = raw.trim().toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
