// Turns join/room-lookup failures into sentences a candidate can act on.
import { ApiError, errorMessage } from '../../api/client';

/** True when the server says the interview is over (403 `interview_ended`). */
export function isEndedError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'interview_ended';
}

export function joinErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'already_participant') return error.message;
    // The server answers an unknown room code and a wrong or retired invite secret alike (404),
    // so that codes cannot be enumerated; either way the link is what is wrong.
    if (error.status === 404 || error.status === 403) {
      return 'This invite link is not valid. Check that you copied all of it, or ask your interviewer for a new one.';
    }
    if (error.status === 409) return 'This interview is no longer accepting candidates.';
    if (error.status === 429) return 'Too many attempts. Please wait a minute and try again.';
  }
  return errorMessage(error);
}
