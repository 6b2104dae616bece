// Pure helpers over Yjs awareness states: who is connected to a document and which interview
// participants are online. The server rewrites every state's `user` field to the authenticated
// participant ({id, name, role, color}), so `user` is trusted for identity but still parsed
// defensively (it is data from the wire).
import type { Participant, Role } from '../../../api/types';

/** The identity the server attaches to an awareness state. */
export interface PeerUser {
  id: string;
  name: string;
  role: string;
  color: string;
}

/** One connected editor (a browser tab) and whose it is. */
export interface Peer {
  clientId: number;
  user: PeerUser;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `state.user`, or null when it is missing or malformed. */
export function parsePeerUser(state: unknown): PeerUser | null {
  if (!isRecord(state)) return null;
  const user = state['user'];
  if (!isRecord(user)) return null;
  const { id, name, role, color } = user;
  if (typeof id !== 'string' || id === '') return null;
  return {
    id,
    name: typeof name === 'string' ? name : '',
    role: typeof role === 'string' ? role : '',
    color: typeof color === 'string' ? color : '',
  };
}

/** Remote peers (everyone but `selfClientId`) with a usable identity, ordered by client id. */
export function peersFromStates(states: ReadonlyMap<number, unknown>, selfClientId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === selfClientId || !Number.isSafeInteger(clientId)) continue;
    const user = parsePeerUser(state);
    if (user) peers.push({ clientId, user });
  }
  return peers.sort((a, b) => a.clientId - b.clientId);
}

export interface Presence {
  participant: Participant;
  online: boolean;
  isSelf: boolean;
  /** The colour the server gave this participant's cursor, when they are online. */
  color: string | null;
}

const ROLE_ORDER: Record<Role, number> = { host: 0, interviewer: 1, candidate: 2, observer: 3 };

/**
 * Each participant with their online state: online when some awareness state belongs to them
 * (`user.id === participant.id`); the viewer counts as online while their own socket is up.
 */
export function participantPresence(
  participants: readonly Participant[],
  peers: readonly Peer[],
  self: { participantId: string | null; online: boolean },
): Presence[] {
  const colors = new Map<string, string>();
  for (const peer of peers) if (!colors.has(peer.user.id)) colors.set(peer.user.id, peer.user.color);
  return participants
    .map((participant) => {
      const isSelf = participant.id === self.participantId;
      const online = colors.has(participant.id) || (isSelf && self.online);
      return { participant, online, isSelf, color: colors.get(participant.id) ?? null };
    })
    .sort(
      (a, b) =>
        Number(b.online) - Number(a.online) ||
        ROLE_ORDER[a.participant.role] - ROLE_ORDER[b.participant.role] ||
        a.participant.name.localeCompare(b.participant.name),
    );
}
