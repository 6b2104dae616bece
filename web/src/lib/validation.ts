// Client-side form checks that mirror the server's rules, so users see mistakes before
// a round trip. The server stays the authority: its `error.fields` are shown the same way.
import type { FieldErrors } from '../api/client';

/**
 * Password length limits, counted as the server counts them (crates/server/src/domain/account.rs,
 * `Password`): in characters, i.e. Unicode code points, so an emoji is one character.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** Interview length limits, as the server enforces them. */
export const DURATION_MIN = 5;
export const DURATION_MAX = 480;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Characters as the server counts them: code points, not UTF-16 units (`'😀'.length` is 2). */
export function characterCount(text: string): number {
  return [...text].length;
}

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
  const passwordLength = characterCount(password);
  if (passwordLength < PASSWORD_MIN) errors['password'] = `Use at least ${PASSWORD_MIN} characters.`;
  else if (passwordLength > PASSWORD_MAX) errors['password'] = `Use at most ${PASSWORD_MAX} characters.`;
  return errors;
}

/** The account page's password change: the current one, a new one by the registration rules, typed twice. */
export function validatePasswordChange(current: string, next: string, confirm: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!current) errors['current_password'] = 'Enter your current password.';
  const nextLength = characterCount(next);
  if (nextLength < PASSWORD_MIN) errors['new_password'] = `Use at least ${PASSWORD_MIN} characters.`;
  else if (nextLength > PASSWORD_MAX) errors['new_password'] = `Use at most ${PASSWORD_MAX} characters.`;
  else if (next === current) errors['new_password'] = 'Choose a password different from the current one.';
  if (confirm !== next) errors['confirm_password'] = 'The two new passwords do not match.';
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
