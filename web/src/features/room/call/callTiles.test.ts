import { describe, expect, it } from 'vitest';
import type { CallView } from './callController';
import type { CallPeer } from './callProtocol';
import { callTiles } from './callTiles';
import { FakeMediaStream, FakeTrack } from './fakeWebRtc';

const stream = (id: string, ...kinds: ('audio' | 'video')[]) =>
  new FakeMediaStream(
    kinds.map((k) => new FakeTrack(k)),
    id,
  ) as unknown as MediaStream;

const peer = (peer_id: string, name: string, screen_stream: string | null = null): CallPeer => ({
  peer_id,
  participant_id: `part-${peer_id}`,
  name,
  role: 'candidate',
  media: { audio: true, video: true, screen_stream },
  may_send: { audio: true, video: true, screen: true },
});

function view(change: Partial<CallView>): CallView {
  return {
    phase: 'joined',
    selfPeerId: 'a1',
    maySend: { audio: true, video: true, screen: true },
    peers: [],
    muted: false,
    cameraOn: true,
    localVideo: null,
    hasMicrophone: true,
    screen: null,
    remoteStreams: {},
    connections: {},
    speaking: [],
    screenStreamIds: new Set(),
    speakerId: null,
    problem: null,
    ...change,
  };
}

describe('callTiles', () => {
  it("tells a peer's screen (the announced stream) from their camera, and a stopped screen from a camera", () => {
    const camera = stream('cam', 'audio', 'video');
    const screen = stream('scr', 'video');
    const sharing = callTiles(
      view({
        peers: [peer('a1', 'Ada'), peer('b1', 'Bo', 'scr')],
        remoteStreams: { b1: [screen, camera] },
        screenStreamIds: new Set(['scr']),
        speaking: ['b1'],
      }),
      null,
    );
    expect(sharing.map((t) => [t.peerId, t.kind, t.stream?.id ?? null, t.speaking])).toEqual([
      ['a1', 'camera', null, false],
      ['b1', 'camera', 'cam', true],
      ['b1', 'screen', 'scr', false],
    ]);
    const stopped = callTiles(
      view({
        peers: [peer('a1', 'Ada'), peer('b1', 'Bo')],
        remoteStreams: { b1: [screen, camera] },
        screenStreamIds: new Set(['scr']),
      }),
      null,
    );
    expect(stopped.map((t) => [t.peerId, t.kind, t.stream?.id ?? null])).toEqual([
      ['a1', 'camera', null],
      ['b1', 'camera', 'cam'],
    ]);
  });

  it('shows nothing before joining', () => {
    expect(callTiles(view({ phase: 'joining', peers: [peer('a1', 'Ada')] }), null)).toEqual([]);
  });
});
