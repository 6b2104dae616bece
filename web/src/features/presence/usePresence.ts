// Who has the interview open right now, from the room event socket's `presence` events (the
// server sends one after `hello` and another whenever someone comes or goes), plus the
// interview's status changes, on the page's shared room socket (`useRoomEvents`).
import { useState } from 'react';
import type { InterviewStatus, PresenceEntry } from '../../api/types';
import { useRoomEvents, type SocketState } from '../room/run/useRoomEvents';

export interface RoomPresence {
  /** The participants this viewer may see, or null until the first `presence` event (and while the socket is down). */
  participants: PresenceEntry[] | null;
  socketState: SocketState;
}

/** Follows the presence of interview `interviewId`; `onStatus` hears the interview start or end. */
export function usePresence(interviewId: string, onStatus?: (status: InterviewStatus) => void): RoomPresence {
  const [participants, setParticipants] = useState<PresenceEntry[] | null>(null);
  const socketState = useRoomEvents(interviewId, {
    onEvents: (events) => {
      for (const event of events) {
        if (event.type === 'presence') setParticipants(event.participants);
        else if (event.type === 'status') onStatus?.(event.status);
      }
    },
    // What we knew is stale once the socket drops; the next `hello` brings it back.
    onDisconnect: () => setParticipants(null),
  });
  return { participants, socketState };
}

/** The candidate when they are online (waiting in the lobby before the start), else null. */
export function onlineCandidate(participants: readonly PresenceEntry[] | null): PresenceEntry | null {
  return participants?.find((p) => p.role === 'candidate' && p.online) ?? null;
}
