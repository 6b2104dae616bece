// What the call strip shows, derived from the call's view: one camera tile per person in the
// call (ours first, its video our camera), and a screen tile for each screen being shared. A
// remote stream whose id is the peer's announced `screen_stream` is their screen; any other
// stream of theirs (not a stopped screen) is their camera and microphone.
import type { CallView } from './callController';
import type { CallRole } from './callProtocol';

export interface CallTileModel {
  key: string;
  peerId: string;
  participantId: string;
  name: string;
  role: CallRole;
  kind: 'camera' | 'screen';
  self: boolean;
  /** What the tile plays: a remote stream, or for our own tile just our camera. */
  stream: MediaStream | null;
  /** Their microphone is on (not muted). */
  audioOn: boolean;
  videoOn: boolean;
  speaking: boolean;
  /** Our connection to them (remote tiles). */
  connection: RTCPeerConnectionState | null;
  /** May send audio (for an observer: the host let them speak). */
  maySpeak: boolean;
}

export function callTiles(view: CallView, ownCamera: MediaStream | null): CallTileModel[] {
  if (view.phase !== 'joined') return [];
  const self = view.peers.find((peer) => peer.peer_id === view.selfPeerId);
  const others = view.peers.filter((peer) => peer.peer_id !== view.selfPeerId);
  const tiles: CallTileModel[] = [];
  const base = (peer: (typeof view.peers)[number]) => ({
    peerId: peer.peer_id,
    participantId: peer.participant_id,
    name: peer.name,
    role: peer.role,
    speaking: view.speaking.includes(peer.peer_id),
    maySpeak: peer.may_send.audio,
  });
  if (self) {
    tiles.push({
      ...base(self),
      key: `${self.peer_id}:camera`,
      kind: 'camera',
      self: true,
      stream: ownCamera,
      audioOn: view.hasMicrophone && !view.muted,
      videoOn: Boolean(view.localVideo),
      connection: null,
    });
    if (view.screen)
      tiles.push({
        ...base(self),
        key: `${self.peer_id}:screen`,
        kind: 'screen',
        self: true,
        stream: view.screen,
        audioOn: false,
        videoOn: true,
        speaking: false,
        connection: null,
      });
  }
  for (const peer of others) {
    const streams = view.remoteStreams[peer.peer_id] ?? [];
    const screenId = peer.media.screen_stream;
    const camera = streams.find((s) => s.id !== screenId && !view.screenStreamIds.has(s.id)) ?? null;
    const screen = screenId ? (streams.find((s) => s.id === screenId) ?? null) : null;
    const connection = view.connections[peer.peer_id] ?? null;
    tiles.push({
      ...base(peer),
      key: `${peer.peer_id}:camera`,
      kind: 'camera',
      self: false,
      stream: camera,
      audioOn: peer.media.audio,
      videoOn: peer.media.video && Boolean(camera?.getVideoTracks().length),
      connection,
    });
    if (screen)
      tiles.push({
        ...base(peer),
        key: `${peer.peer_id}:screen`,
        kind: 'screen',
        self: false,
        stream: screen,
        audioOn: false,
        videoOn: true,
        speaking: false,
        connection,
      });
  }
  return tiles;
}
