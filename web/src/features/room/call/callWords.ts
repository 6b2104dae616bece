// The call's problems in human words, each saying what to do: the browser's media errors
// (permission denied, no device, device busy), the server's refusals (`call_error`), and a peer
// that cannot be reached even after an ICE restart.
import type { CallErrorCode } from './callProtocol';

export type MediaWanted = 'camera and microphone' | 'camera' | 'microphone';

const CAPITAL: Record<MediaWanted, string> = {
  'camera and microphone': 'Camera and microphone',
  camera: 'The camera',
  microphone: 'The microphone',
};

/** Why getUserMedia failed, and what to do about it. */
export function describeMediaError(error: unknown, wanted: MediaWanted): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const them = wanted === 'camera and microphone' ? 'them' : 'it';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `${CAPITAL[wanted]} ${wanted === 'camera and microphone' ? 'are' : 'is'} blocked for this site. Allow ${them} in the address bar, then Join again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${wanted === 'camera and microphone' ? 'camera or microphone' : wanted} was found. Plug one in (or pick another in the call settings), then try again.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${wanted === 'camera and microphone' ? 'camera or microphone' : wanted} is busy: another app or tab is using it. Close that app, then try again.`;
    default:
      return `Could not start your ${wanted}${error instanceof Error && error.message ? ` (${error.message})` : ''}. Check your devices, then try again.`;
  }
}

/** The words for a server refusal, or null for those the user need not hear about. */
export function describeCallError(code: CallErrorCode, serverMessage: string): string | null {
  switch (code) {
    case 'call_full':
      return 'The call is full (6 people at most). Try again when someone leaves.';
    case 'send_not_allowed':
      return 'You cannot send that in this call: observers watch and listen unless the host lets them speak.';
    case 'forbidden':
      return 'Only the host can let an observer speak.';
    case 'interview_ended':
      return 'The interview has ended, and the call with it.';
    case 'invalid_message':
      return `The server refused a call message (${serverMessage}). Reload the page if the call misbehaves.`;
    case 'not_in_call':
    case 'peer_gone':
      // Races with someone leaving or a reconnect: the next call_state says who is there.
      return null;
  }
}

export function describeUnreachable(name: string): string {
  return `Can't reach ${name}'s video. A TURN relay helps when people are behind strict firewalls: see the README's operations section.`;
}
