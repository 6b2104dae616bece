// The invite links this browser joined interviews with, kept in localStorage by interview id.
// The server ends a candidate's session when the interview ends, so a candidate who reloads the
// room (or opens it again from their history) arrives signed out; with the remembered link the
// room sends them back to the join page, which shows the "ended" screen (or lets them back in)
// instead of the staff sign-in page. The invite secret is already in the browser's history
// (it is part of the link), so keeping it here reveals nothing new. Storage may be unavailable
// (private mode, quotas): then nothing is remembered.
import type { Uuid } from '../../api/types';

const KEY = 'codeview.candidateRooms';
/** Only the latest few links are kept. */
const KEEP = 5;

interface RememberedRoom {
  interviewId: Uuid;
  code: string;
  invite: string;
}

function load(): RememberedRoom[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRememberedRoom) : [];
  } catch {
    return [];
  }
}

function isRememberedRoom(value: unknown): value is RememberedRoom {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['interviewId'] === 'string' && typeof v['code'] === 'string' && typeof v['invite'] === 'string';
}

/** Remembers the invite link an interview was opened with (newest first). */
export function rememberCandidateRoom(interviewId: Uuid, code: string, invite: string): void {
  if (!invite) return;
  const rooms = [{ interviewId, code, invite }, ...load().filter((r) => r.interviewId !== interviewId)];
  try {
    window.localStorage.setItem(KEY, JSON.stringify(rooms.slice(0, KEEP)));
  } catch {
    // Not remembered: a signed-out visit to the room then goes to the sign-in page.
  }
}

/** The join page's path for an interview this browser joined as a candidate, or null. */
export function candidateJoinPath(interviewId: Uuid): string | null {
  const room = load().find((r) => r.interviewId === interviewId);
  return room ? `/join/${encodeURIComponent(room.code)}?invite=${encodeURIComponent(room.invite)}` : null;
}
