// The ICE servers a call's connections use: `GET /api/interviews/{id}/ice` (STUN, and TURN with
// credentials minted for this participant), turned into an RTCConfiguration. `?ice=relay` in
// the room's address forces every connection through TURN (the forced-relay e2e uses it; it
// is harmless for anyone else: media just always takes the relay).
import { request } from '../../../api/client';
import type { Schemas } from '../../../api/types';

export type IceServersResponse = Schemas['IceServers'];

export function fetchIceServers(interviewId: string): Promise<IceServersResponse> {
  return request<IceServersResponse>(`/api/interviews/${encodeURIComponent(interviewId)}/ice`, {
    redirectOn401: false,
  });
}

/** True when the page's address asks for relayed media only (`?ice=relay`). */
export function relayOnlyRequested(search: string = window.location.search): boolean {
  return new URLSearchParams(search).get('ice') === 'relay';
}

export function rtcConfiguration(response: IceServersResponse, relayOnly: boolean): RTCConfiguration {
  const iceServers: RTCIceServer[] = response.ice_servers.map(({ urls, username, credential }) => ({
    urls,
    ...(username ? { username } : {}),
    ...(credential ? { credential } : {}),
  }));
  return { iceServers, ...(relayOnly ? { iceTransportPolicy: 'relay' as const } : {}) };
}
