// What to tell someone whose workspace invite link cannot be used: unknown, used, expired, or
// (when accepting) already a member. Shared by the invite page and the registration page.
import { ApiError } from '../../api/client';

export interface InviteProblem {
  title: string;
  detail: string;
}

export function inviteProblem(error: unknown): InviteProblem | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 404) {
    return {
      title: 'This invitation link is not valid',
      detail: 'Check that you opened the whole link, or ask whoever invited you for a new one.',
    };
  }
  if (error.code === 'invite_used') {
    return {
      title: 'This invitation has already been used',
      detail: 'Each invitation link works once. If you accepted it, sign in; otherwise ask for a new invitation.',
    };
  }
  if (error.code === 'invite_expired') {
    return {
      title: 'This invitation has expired',
      detail: 'Invitation links are valid for 7 days. Ask whoever invited you to send a new one.',
    };
  }
  if (error.code === 'already_member') {
    return { title: 'You are already a member', detail: 'This account already belongs to that workspace.' };
  }
  return null;
}
