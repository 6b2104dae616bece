// The video call's messages on the room socket (docs: the issue 18 wire protocol): what the
// browser sends (`call_join`, `call_leave`, `call_media`, `call_signal`, `call_permit`) and the
// call events the server sends among the other room events, plus the conversion of ICE
// candidates between the browser's shape and the wire's snake_case one.
import type { RoomEvent } from '../run/types';

// TODO(merge): generated types — switch these to `Schemas['…']` from api/schema.d.ts once the
// signalling branch's OpenAPI document lists the call messages.

/** What a peer sends: microphone on (not muted), camera on, the screen share's stream id. */
export interface CallMedia {
  audio: boolean;
  video: boolean;
  screen_stream: string | null;
}

/** What a peer may send (observers: nothing, or audio once the host lets them speak). */
export interface MaySend {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export type CallRole = 'host' | 'interviewer' | 'observer' | 'candidate';

export interface CallPeer {
  peer_id: string;
  participant_id: string;
  name: string;
  role: CallRole;
  media: CallMedia;
  may_send: MaySend;
}

export interface WireDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface WireCandidate {
  candidate: string;
  sdp_mid: string | null;
  sdp_m_line_index: number | null;
  username_fragment: string | null;
}

/** A description or a candidate (exactly one), to or from one peer. */
export type CallSignal = { description: WireDescription } | { candidate: WireCandidate };

export type CallErrorCode =
  'call_full' | 'not_in_call' | 'peer_gone' | 'send_not_allowed' | 'invalid_message' | 'forbidden' | 'interview_ended';

export type CallEvent =
  | { type: 'call_state'; v: 1; peers: CallPeer[] }
  | { type: 'call_welcome'; v: 1; peer_id: string; may_send: MaySend }
  // From the server, both fields are present, the unused one null.
  | {
      type: 'call_signal';
      v: 1;
      from: string;
      description?: WireDescription | null;
      candidate?: WireCandidate | null;
    }
  | { type: 'call_error'; v: 1; code: CallErrorCode; message: string; peer_id: string | null }
  | { type: 'call_left'; v: 1; reason: 'permission_changed' | 'interview_ended' };

export type CallClientMessage =
  | { type: 'call_join'; v: 1; media: CallMedia }
  | { type: 'call_leave'; v: 1 }
  | { type: 'call_media'; v: 1; media: CallMedia }
  | ({ type: 'call_signal'; v: 1; to: string } & CallSignal)
  | { type: 'call_permit'; v: 1; participant_id: string; speak: boolean };

/** Every event of the room socket, the call's included. */
export type RoomOrCallEvent = RoomEvent | CallEvent;

const CALL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'call_state',
  'call_welcome',
  'call_signal',
  'call_error',
  'call_left',
]);

/** The description or candidate a received `call_signal` carries, or null for neither. */
export function receivedSignal(event: Extract<CallEvent, { type: 'call_signal' }>): CallSignal | null {
  if (event.description) return { description: event.description };
  if (event.candidate) return { candidate: event.candidate };
  return null;
}

export function isCallEvent(event: { type: string }): event is CallEvent {
  return CALL_EVENT_TYPES.has(event.type);
}

export const NO_MEDIA: CallMedia = { audio: false, video: false, screen_stream: null };
export const SEND_NOTHING: MaySend = { audio: false, video: false, screen: false };

export function toWireCandidate(candidate: RTCIceCandidateInit): WireCandidate {
  return {
    candidate: candidate.candidate ?? '',
    sdp_mid: candidate.sdpMid ?? null,
    sdp_m_line_index: candidate.sdpMLineIndex ?? null,
    username_fragment: candidate.usernameFragment ?? null,
  };
}

export function fromWireCandidate(candidate: WireCandidate): RTCIceCandidateInit {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdp_mid,
    sdpMLineIndex: candidate.sdp_m_line_index,
    usernameFragment: candidate.username_fragment,
  };
}
