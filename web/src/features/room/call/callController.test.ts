import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallController, type CallDeps } from './callController';
import type { CallClientMessage, CallRole } from './callProtocol';
import { DEFAULT_CALL_PREFERENCES, type CallPreferences } from './callPreferences';
import { FakeCallServer } from './fakeCallServer';
import { FakeMediaDevices, FakePeerConnection, FakeTrack, installFakeWebRtc } from './fakeWebRtc';

beforeEach(() => {
  installFakeWebRtc();
});
afterEach(() => vi.unstubAllGlobals());

interface Person {
  controller: CallController;
  sent: CallClientMessage[];
  preferences: CallPreferences;
  devices: FakeMediaDevices;
}

function person(
  server: FakeCallServer,
  {
    id,
    name,
    role,
    peerIds,
    preferences = {},
  }: {
    id: string;
    name: string;
    role: CallRole;
    peerIds: string[];
    preferences?: Partial<CallPreferences>;
  },
): Person {
  const member = server.member(id, name, role, peerIds);
  const remembered = { ...DEFAULT_CALL_PREFERENCES, ...preferences };
  const ownDevices = new FakeMediaDevices();
  const deps: CallDeps = {
    role,
    send: member.send,
    fetchIce: async () => ({ ice_servers: [{ urls: ['stun:stun.example:3478'] }], ttl_seconds: 600 }),
    media: ownDevices,
    createPeerConnection: (configuration) => new FakePeerConnection(configuration) as unknown as RTCPeerConnection,
    readPreferences: () => remembered,
    writePreferences: (change) => Object.assign(remembered, change),
    statsIntervalMs: 20,
    restartGraceMs: 50,
  };
  const controller = new CallController(deps);
  member.attach(controller);
  return { controller, sent: member.sent, preferences: remembered, devices: ownDevices };
}

const pcs = (p: Person) => p.controller.peerConnections() as unknown as FakePeerConnection[];
const ofType = <T extends CallClientMessage['type']>(p: Person, type: T) =>
  p.sent.filter((m): m is Extract<CallClientMessage, { type: T }> => m.type === type);

async function connected(...people: Person[]) {
  await vi.waitFor(() => {
    for (const p of people) {
      const others = p.controller.getSnapshot().peers.length - 1;
      expect(pcs(p)).toHaveLength(others);
      for (const pc of pcs(p)) {
        expect(pc.iceConnectionState).toBe('connected');
        expect(pc.signalingState).toBe('stable');
      }
    }
  });
}

/** Ada (host) and Bo (candidate), both joined one after the other and connected. */
async function adaAndBoConnected() {
  const server = new FakeCallServer();
  const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
  const bo = person(server, { id: 'pb', name: 'Bo', role: 'candidate', peerIds: ['b1'] });
  await ada.controller.join();
  await bo.controller.join();
  await connected(ada, bo);
  return { server, ada, bo };
}

describe('CallController', () => {
  it('joins: ICE servers, then camera and microphone (one prompt), then call_join; the welcome makes it joined', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    await ada.controller.join();
    expect(ada.devices.userMediaCalls).toEqual([{ audio: true, video: true }]);
    expect(ofType(ada, 'call_join')).toEqual([
      { type: 'call_join', v: 1, media: { audio: true, video: true, screen_stream: null } },
    ]);
    await vi.waitFor(() => expect(ada.controller.getSnapshot().phase).toBe('joined'));
    const view = ada.controller.getSnapshot();
    expect(view.selfPeerId).toBe('a1');
    expect(view.maySend).toEqual({ audio: true, video: true, screen: true });
    expect(view.localVideo?.kind).toBe('video');
    expect(view.peers.map((p) => p.name)).toEqual(['Ada']);
  });

  it('joins as remembered: muted (a disabled microphone) and without asking for the camera', async () => {
    const server = new FakeCallServer();
    const ada = person(server, {
      id: 'pa',
      name: 'Ada',
      role: 'candidate',
      peerIds: ['a1'],
      preferences: { muted: true, cameraOn: false, microphoneId: 'mic-2' },
    });
    await ada.controller.join();
    expect(ada.devices.userMediaCalls).toEqual([{ audio: { deviceId: { ideal: 'mic-2' } }, video: false }]);
    expect(ada.devices.handedOut.map((t) => [t.kind, t.enabled])).toEqual([['audio', false]]);
    expect(ofType(ada, 'call_join')[0]?.media).toEqual({ audio: false, video: false, screen_stream: null });
  });

  it('opens a connection to each peer of call_state and closes those of peers gone', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    await ada.controller.join();
    await vi.waitFor(() => expect(ada.controller.getSnapshot().phase).toBe('joined'));
    const peer = (peer_id: string, name: string) => ({
      peer_id,
      participant_id: `p-${peer_id}`,
      name,
      role: 'interviewer' as const,
      media: { audio: true, video: true, screen_stream: null },
      may_send: { audio: true, video: true, screen: true },
    });
    const self = server.roster()[0]!;
    ada.controller.handleEvents([{ type: 'call_state', v: 1, peers: [self, peer('b1', 'Bo'), peer('c1', 'Cy')] }]);
    expect(pcs(ada)).toHaveLength(2);
    const [toBo, toCy] = pcs(ada);
    expect(toBo?.configuration.iceServers).toEqual([{ urls: ['stun:stun.example:3478'] }]);
    expect(toBo?.sentKinds().sort()).toEqual(['audio', 'video']);
    ada.controller.handleEvents([{ type: 'call_state', v: 1, peers: [self, peer('c1', 'Cy')] }]);
    expect(toBo?.closed).toBe(true);
    expect(toCy?.closed).toBe(false);
    expect(pcs(ada)).toEqual([toCy]);
  });

  it('two peers who join at once connect on one offer, the impolite side’s, each receiving the other', async () => {
    const server = new FakeCallServer();
    // 'a1' < 'b1': Ada is the polite one.
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    const bo = person(server, { id: 'pb', name: 'Bo', role: 'candidate', peerIds: ['b1'] });
    await Promise.all([ada.controller.join(), bo.controller.join()]);
    await connected(ada, bo);
    const offers = (p: Person) => ofType(p, 'call_signal').filter((m) => m.description?.type === 'offer');
    // Both added their tracks as the other appeared; only Bo offered: no collision to resolve.
    expect(offers(ada)).toHaveLength(0);
    expect(offers(bo)).toHaveLength(1);
    await vi.waitFor(() => {
      for (const [p, other] of [
        [ada, 'b1'],
        [bo, 'a1'],
      ] as const) {
        const streams = p.controller.getSnapshot().remoteStreams[other] ?? [];
        expect(streams.flatMap((s) => s.getTracks().map((t) => t.kind)).sort()).toEqual(['audio', 'video']);
      }
    });
    // Candidates went out on the wire in snake_case.
    const candidate = ofType(ada, 'call_signal').find((m) => 'candidate' in m);
    expect(candidate).toMatchObject({ to: 'b1', candidate: { sdp_mid: '0', sdp_m_line_index: 0 } });
  });

  it('three peers connect pairwise', async () => {
    const server = new FakeCallServer();
    const people = [
      person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] }),
      person(server, { id: 'pb', name: 'Bo', role: 'interviewer', peerIds: ['b1'] }),
      person(server, { id: 'pc', name: 'Cy', role: 'candidate', peerIds: ['c1'] }),
    ];
    await Promise.all(people.map((p) => p.controller.join()));
    await connected(...people);
  });

  it('an observer never asks for a camera or microphone and sends no tracks, yet receives', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    const olive = person(server, { id: 'po', name: 'Olive', role: 'observer', peerIds: ['o1'] });
    await ada.controller.join();
    await olive.controller.join();
    await connected(ada, olive);
    expect(olive.devices.getUserMedia).not.toHaveBeenCalled();
    expect(ofType(olive, 'call_join')[0]?.media).toEqual({ audio: false, video: false, screen_stream: null });
    expect(pcs(olive)[0]?.senders).toEqual([]);
    await vi.waitFor(() => expect(olive.controller.getSnapshot().remoteStreams['a1']).toHaveLength(1));
  });

  it('rejoins at once when the host lets an observer speak: microphone only, joined muted', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    const olive = person(server, { id: 'po', name: 'Olive', role: 'observer', peerIds: ['o1', 'o2'] });
    await ada.controller.join();
    await olive.controller.join();
    await connected(ada, olive);
    ada.controller.permitSpeech('po', true);
    await vi.waitFor(() => expect(olive.controller.getSnapshot().selfPeerId).toBe('o2'));
    expect(ofType(olive, 'call_join')).toHaveLength(2);
    await vi.waitFor(() => expect(olive.devices.userMediaCalls).toEqual([{ audio: true }]));
    await vi.waitFor(() => expect(olive.controller.getSnapshot().hasMicrophone).toBe(true));
    expect(olive.controller.getSnapshot().muted).toBe(true);
    expect(olive.devices.handedOut[0]?.enabled).toBe(false);
    await connected(ada, olive);
    expect(pcs(olive)[0]?.sentKinds()).toEqual(['audio']);
  });

  it('joins again after the socket comes back (its hello), with a new peer id', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1', 'a2'] });
    const bo = person(server, { id: 'pb', name: 'Bo', role: 'candidate', peerIds: ['b1'] });
    await ada.controller.join();
    await bo.controller.join();
    await connected(ada, bo);
    const first = pcs(ada)[0];
    server.drop('pa');
    ada.controller.handleDisconnect();
    expect(ada.controller.getSnapshot().phase).toBe('joining');
    expect(first?.closed).toBe(true);
    const hello = {
      type: 'hello',
      v: 1,
      interview_id: 'iv',
      participant_id: 'pa',
      role: 'host',
      sandbox: null,
    } as const;
    ada.controller.handleEvents([hello]);
    expect(ofType(ada, 'call_join')).toHaveLength(2);
    await vi.waitFor(() => expect(ada.controller.getSnapshot().selfPeerId).toBe('a2'));
    await connected(ada, bo);
    // Not on the first hello of a socket nobody was in a call on.
    const idle = person(server, { id: 'pi', name: 'Ida', role: 'interviewer', peerIds: [] });
    idle.controller.handleEvents([hello]);
    expect(idle.sent).toEqual([]);
  });

  it('mute disables the microphone track, says so with call_media, and is remembered', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    await ada.controller.join();
    await vi.waitFor(() => expect(ada.controller.getSnapshot().phase).toBe('joined'));
    ada.controller.toggleMute();
    const mic = ada.devices.handedOut.find((t) => t.kind === 'audio');
    expect(mic?.enabled).toBe(false);
    expect(ofType(ada, 'call_media').at(-1)?.media).toEqual({ audio: false, video: true, screen_stream: null });
    expect(ada.preferences.muted).toBe(true);
    ada.controller.toggleMute();
    expect(mic?.enabled).toBe(true);
    expect(ofType(ada, 'call_media').at(-1)?.media.audio).toBe(true);
  });

  it('camera off stops the track and sends nothing in its place; on again sends a new one', async () => {
    const { ada } = await adaAndBoConnected();
    const camera = ada.devices.handedOut.find((t) => t.kind === 'video');
    await ada.controller.toggleCamera();
    expect(camera?.readyState).toBe('ended');
    await vi.waitFor(() => expect(pcs(ada)[0]?.sentKinds()).toEqual(['audio']));
    expect(ofType(ada, 'call_media').at(-1)?.media.video).toBe(false);
    expect(ada.preferences.cameraOn).toBe(false);
    await ada.controller.toggleCamera();
    await vi.waitFor(() => expect(pcs(ada)[0]?.sentKinds().sort()).toEqual(['audio', 'video']));
    expect(ada.devices.userMediaCalls.at(-1)).toEqual({ video: true });
    expect(ofType(ada, 'call_media').at(-1)?.media.video).toBe(true);
  });

  it('shares the screen as an extra stream, names it in call_media, and stops when the browser ends it', async () => {
    const { ada, bo } = await adaAndBoConnected();
    await ada.controller.startScreenShare();
    const screen = ada.controller.getSnapshot().screen;
    expect(screen).not.toBeNull();
    expect(ofType(ada, 'call_media').at(-1)?.media.screen_stream).toBe(screen?.id);
    await vi.waitFor(() => {
      const streams = bo.controller.getSnapshot().remoteStreams['a1'] ?? [];
      expect(streams.map((s) => s.id)).toContain(screen?.id);
      expect(bo.controller.getSnapshot().peers.find((p) => p.peer_id === 'a1')?.media.screen_stream).toBe(screen?.id);
    });
    expect(pcs(ada)[0]?.sentKinds().sort()).toEqual(['audio', 'video', 'video']);
    (screen?.getVideoTracks()[0] as unknown as FakeTrack).endByBrowser();
    expect(ada.controller.getSnapshot().screen).toBeNull();
    expect(ofType(ada, 'call_media').at(-1)?.media.screen_stream).toBeNull();
    expect(pcs(ada)[0]?.sentKinds().sort()).toEqual(['audio', 'video']);
  });

  it('says in words when the camera and microphone are blocked, and can join receive-only', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    ada.devices.failures.both = new DOMException('denied', 'NotAllowedError');
    await ada.controller.join();
    expect(ada.controller.getSnapshot()).toMatchObject({
      phase: 'idle',
      problem: {
        message: 'Camera and microphone are blocked for this site. Allow them in the address bar, then Join again.',
        offerReceiveOnly: true,
      },
    });
    expect(ada.sent).toEqual([]);
    await ada.controller.join({ receiveOnly: true });
    expect(ofType(ada, 'call_join')[0]?.media).toEqual({ audio: false, video: false, screen_stream: null });
  });

  it('joins with the microphone alone when there is no camera, and says so', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    ada.devices.failures.both = new DOMException('none', 'NotFoundError');
    ada.devices.failures.video = new DOMException('none', 'NotFoundError');
    await ada.controller.join();
    expect(ofType(ada, 'call_join')[0]?.media).toEqual({ audio: true, video: false, screen_stream: null });
    expect(ada.controller.getSnapshot().problem?.message).toMatch(/^No camera was found/);
    expect(ada.controller.getSnapshot().cameraOn).toBe(false);
  });

  it('a busy device and a full call are said in words; a full call stops the tracks', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    ada.devices.failures.both = new DOMException('busy', 'NotReadableError');
    ada.devices.failures.audio = new DOMException('busy', 'NotReadableError');
    ada.devices.failures.video = new DOMException('busy', 'NotReadableError');
    await ada.controller.join();
    expect(ada.controller.getSnapshot().problem?.message).toMatch(/microphone is busy: another app/);

    ada.devices.failures = {};
    server.open = false; // the server answers by hand below
    await ada.controller.join();
    ada.controller.handleEvents([{ type: 'call_error', v: 1, code: 'call_full', message: 'full', peer_id: null }]);
    expect(ada.controller.getSnapshot()).toMatchObject({
      phase: 'idle',
      problem: { message: 'The call is full (6 people at most). Try again when someone leaves.' },
    });
    expect(ada.devices.handedOut.every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('restarts ICE when it fails, and replaces the connection when that does not help, naming the peer', async () => {
    const { ada } = await adaAndBoConnected();
    const first = pcs(ada)[0]!;
    first.setIceState('failed');
    expect(first.restarts).toBe(1);
    await vi.waitFor(() => expect(first.closed).toBe(true));
    expect(ada.controller.getSnapshot().problem?.message).toBe(
      "Can't reach Bo's video. A TURN relay helps when people are behind strict firewalls: see the README's operations section.",
    );
    expect(pcs(ada)[0]).not.toBe(first);
  });

  it('rings whoever speaks, from the connections’ audio levels', async () => {
    const { ada } = await adaAndBoConnected();
    pcs(ada)[0]!.stats = [
      { type: 'inbound-rtp', kind: 'audio', audioLevel: 0.3 },
      { type: 'media-source', kind: 'audio', audioLevel: 0.2 },
    ];
    await vi.waitFor(() => expect([...ada.controller.getSnapshot().speaking].sort()).toEqual(['a1', 'b1']));
    pcs(ada)[0]!.stats = [{ type: 'inbound-rtp', kind: 'audio', audioLevel: 0.01 }];
    await vi.waitFor(() => expect(ada.controller.getSnapshot().speaking).toEqual([]));
  });

  it('leaves when the interview ends, stopping every track', async () => {
    const server = new FakeCallServer();
    const ada = person(server, { id: 'pa', name: 'Ada', role: 'host', peerIds: ['a1'] });
    await ada.controller.join();
    await vi.waitFor(() => expect(ada.controller.getSnapshot().phase).toBe('joined'));
    ada.controller.handleEvents([{ type: 'call_left', v: 1, reason: 'interview_ended' }]);
    expect(ada.controller.getSnapshot().phase).toBe('idle');
    expect(ada.devices.handedOut.every((t) => t.readyState === 'ended')).toBe(true);
  });
});
