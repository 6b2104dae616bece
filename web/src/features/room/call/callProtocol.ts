// The video call's messages on the room socket (docs: the issue 18 wire protocol): what the
// browser sends (`call_join`, `call_leave`, `call_media`, `call_signal`, `call_permit`) and the
// call events the server sends among the other room events, plus the conversion of ICE
// candidates between the browser's shape and the wire's snake_case one.
import type { Schemas } from '../../../api/types';
import type { RoomEvent } from '../run/types';

/** What a peer sends: microphone on (not muted), camera on, the screen share's stream id. */
export type CallMedia = Schemas['CallMedia'];
/** What a peer may send (observers: nothing, or audio once the host lets them speak). */
export type MaySend = Schemas['MaySend'];
export type CallPeer = Schemas['CallPeer'];
export type CallRole = Schemas['Role'];
export type WireDescription = Schemas['SessionDescription'];
export type WireCandidate = Schemas['IceCandidate'];

/** A description or a candidate (exactly one), to or from one peer. */
export type CallSignal = { description: WireDescription } | { candidate: WireCandidate };

export type CallErrorCode = Schemas['CallErrorCode'];

/** The call's events among the room events (from the server, a `call_signal` carries both
 * fields, the unused one null). */
export type CallEvent = Extract<RoomEvent, { type: `call_${string}` }>;

/** What the browser sends on the room socket. */
export type CallClientMessage = Schemas['RoomClientMessage'];

/** The description or candidate a received `call_signal` carries, or null for neither. */
export function receivedSignal(event: Extract<CallEvent, { type: 'call_signal' }>): CallSignal | null {
  if (event.description) return { description: event.description };
  if (event.candidate) return { candidate: event.candidate };
  return null;
}

/** The call's events are the room events whose type starts with `call_` (as `CallEvent` says). */
export function isCallEvent(event: { type: string }): event is CallEvent {
  return event.type.startsWith('call_');
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
