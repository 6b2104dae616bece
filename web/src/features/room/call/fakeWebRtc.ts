// Stand-ins for the browser's WebRTC and media classes in unit tests (jsdom has none):
// `FakeTrack`, `FakeMediaStream`, a `FakeMediaDevices` that hands out tracks or throws the
// errors a browser throws, and a `FakePeerConnection` that keeps the signalling state machine
// (offers, answers, implicit rollback, negotiationneeded, an operations chain, trickled
// candidates) with a JSON "SDP" naming the tracks sent, so two of them wired through a fake
// signalling server negotiate like browsers do, glare included. Install with `installFakeWebRtc`.
import { vi } from 'vitest';

let nextId = 1;
const newId = (prefix: string) => `${prefix}-${nextId++}`;

export class FakeTrack extends EventTarget {
  readonly id = newId('track');
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = `fake ${kind}`,
  ) {
    super();
  }
  stop() {
    this.readyState = 'ended';
  }
  /** The browser's "Stop sharing": the track ends by itself. */
  endByBrowser() {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export class FakeMediaStream {
  readonly id: string;
  onremovetrack: ((event: Event) => void) | null = null;
  private tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = [], id = newId('stream')) {
    this.tracks = [...tracks];
    this.id = id;
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: FakeTrack) {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }
  removeTrack(track: FakeTrack) {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

export class FakeMediaDevices {
  readonly userMediaCalls: MediaStreamConstraints[] = [];
  /** Errors to throw, by kind asked for: 'both' when audio and video are asked together. */
  failures: Partial<Record<'both' | 'audio' | 'video' | 'display', DOMException>> = {};
  readonly handedOut: FakeTrack[] = [];

  getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    this.userMediaCalls.push(constraints);
    const key = constraints.audio && constraints.video ? 'both' : constraints.audio ? 'audio' : 'video';
    const failure = this.failures[key];
    if (failure) throw failure;
    const tracks: FakeTrack[] = [];
    if (constraints.audio) tracks.push(new FakeTrack('audio'));
    if (constraints.video) tracks.push(new FakeTrack('video'));
    this.handedOut.push(...tracks);
    return new FakeMediaStream(tracks) as unknown as MediaStream;
  });

  getDisplayMedia = vi.fn(async () => {
    if (this.failures.display) throw this.failures.display;
    const track = new FakeTrack('video', 'screen');
    this.handedOut.push(track);
    return new FakeMediaStream([track]) as unknown as MediaStream;
  });

  enumerateDevices = vi.fn(async () => [] as MediaDeviceInfo[]);
}

interface FakeSdp {
  /** Every track this side sends, with the stream it is in. */
  tracks: { kind: string; trackId: string; streamId: string }[];
  /** The kind of each m-line: one per track sent and per receive-only transceiver. */
  mLines: string[];
  iceRestart: number;
}

interface FakeSender {
  track: FakeTrack | null;
  streamId: string;
  replaceTrack: (track: FakeTrack | null) => Promise<void>;
}

export class FakePeerConnection {
  static instances: FakePeerConnection[] = [];
  readonly configuration: RTCConfiguration;
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly senders: FakeSender[] = [];
  /** What `addTransceiver` added. */
  readonly transceivers: { kind: string; direction: RTCRtpTransceiverDirection }[] = [];
  readonly addedCandidates: RTCIceCandidateInit[] = [];
  /** Set by the test: what `getStats()` reports. */
  stats: Record<string, unknown>[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: { toJSON: () => RTCIceCandidateInit } | null }) => void) | null = null;
  ontrack: ((event: { track: FakeTrack; streams: FakeMediaStream[] }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  restarts = 0;
  closed = false;
  private negotiationNeeded = false;
  private negotiationEventQueued = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly remoteStreams = new Map<string, FakeMediaStream>();
  private readonly remoteTracks = new Map<string, FakeTrack>();

  constructor(configuration: RTCConfiguration = {}) {
    this.configuration = configuration;
    FakePeerConnection.instances.push(this);
  }

  addTrack(track: FakeTrack, stream: FakeMediaStream) {
    const sender: FakeSender = {
      track,
      streamId: stream.id,
      replaceTrack: async (next) => {
        sender.track = next;
      },
    };
    this.senders.push(sender);
    this.needNegotiation();
    return sender;
  }

  /** Receive-only m-lines (`{ direction: 'recvonly' }`): nothing in the SDP, a negotiation. */
  addTransceiver(kind: 'audio' | 'video', init: RTCRtpTransceiverInit) {
    this.transceivers.push({ kind, direction: init.direction ?? 'sendrecv' });
    this.needNegotiation();
  }

  removeTrack(sender: FakeSender) {
    const index = this.senders.indexOf(sender);
    if (index >= 0) this.senders.splice(index, 1);
    this.needNegotiation();
  }

  getSenders() {
    return [...this.senders];
  }

  restartIce() {
    this.restarts += 1;
    this.needNegotiation();
  }

  setLocalDescription(): Promise<void> {
    return this.enqueue(async () => {
      if (this.signalingState === 'have-remote-offer') {
        this.localDescription = { type: 'answer', sdp: this.sdp() };
        // Our tracks ride on the offer's m-lines of their kind; more of a kind need an offer of ours.
        if (!this.needsMoreMLines()) this.negotiationNeeded = false;
        this.signalingState = 'stable';
        this.afterStable();
      } else if (this.signalingState === 'stable' || this.signalingState === 'have-local-offer') {
        this.negotiationNeeded = false;
        this.localDescription = { type: 'offer', sdp: this.sdp() };
        this.signalingState = 'have-local-offer';
      } else {
        throw new DOMException(`setLocalDescription in ${this.signalingState}`, 'InvalidStateError');
      }
      this.trickle();
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.enqueue(async () => {
      if (description.type === 'offer') {
        if (this.signalingState === 'have-local-offer') this.signalingState = 'stable'; // implicit rollback
        if (this.signalingState !== 'stable')
          throw new DOMException(`remote offer in ${this.signalingState}`, 'InvalidStateError');
        this.remoteDescription = description;
        this.signalingState = 'have-remote-offer';
      } else {
        if (this.signalingState !== 'have-local-offer')
          throw new DOMException(`remote answer in ${this.signalingState}`, 'InvalidStateError');
        this.remoteDescription = description;
        this.signalingState = 'stable';
        this.afterStable();
      }
      this.receiveTracks(JSON.parse(description.sdp ?? '{}') as FakeSdp);
    });
  }

  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    return this.enqueue(async () => {
      if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError');
      this.addedCandidates.push(candidate);
    });
  }

  async getStats() {
    return new Map(this.stats.map((s, i) => [String(i), s]));
  }

  close() {
    this.closed = true;
    this.signalingState = 'closed';
  }

  /** Test: ICE moves to `state` (and the connection state with it). */
  setIceState(state: RTCIceConnectionState) {
    this.iceConnectionState = state;
    this.connectionState =
      state === 'checking' ? 'connecting' : state === 'completed' ? 'connected' : (state as RTCPeerConnectionState);
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }

  /** The tracks this side sends (live senders), by kind. */
  sentKinds(): string[] {
    return this.senders.flatMap((s) => (s.track ? [s.track.kind] : []));
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const result = this.chain.then(async () => {
      // Each operation takes a task, as in a browser, so messages can cross (glare).
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.closed) throw new DOMException('closed', 'InvalidStateError');
      await operation();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  private sdp(): string {
    const tracks = this.senders.flatMap((s) =>
      s.track ? [{ kind: s.track.kind, trackId: s.track.id, streamId: s.streamId }] : [],
    );
    const mLines = [...tracks.map((t) => t.kind), ...this.transceivers.map((t) => t.kind)];
    return JSON.stringify({ tracks, mLines, iceRestart: this.restarts } satisfies FakeSdp);
  }

  /** Some kind we send has more tracks than the remote offer has m-lines of it. */
  private needsMoreMLines(): boolean {
    const offered = (JSON.parse(this.remoteDescription?.sdp ?? '{}') as Partial<FakeSdp>).mLines ?? [];
    const ours = this.senders.flatMap((s) => (s.track ? [s.track.kind] : []));
    return ['audio', 'video'].some(
      (kind) => ours.filter((k) => k === kind).length > offered.filter((k) => k === kind).length,
    );
  }

  private trickle() {
    setTimeout(() => {
      if (this.closed) return;
      const init: RTCIceCandidateInit = {
        candidate: `candidate:${this.restarts} 1 udp 1 127.0.0.1 9 typ host`,
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'frag',
      };
      this.onicecandidate?.({ candidate: { toJSON: () => init } });
    }, 0);
  }

  private receiveTracks(sdp: FakeSdp) {
    for (const { kind, trackId, streamId } of sdp.tracks ?? []) {
      if (this.remoteTracks.has(trackId)) continue;
      const track = new FakeTrack(kind as 'audio' | 'video');
      this.remoteTracks.set(trackId, track);
      let stream = this.remoteStreams.get(streamId);
      if (!stream) {
        stream = new FakeMediaStream([], streamId);
        this.remoteStreams.set(streamId, stream);
      }
      stream.addTrack(track);
      this.ontrack?.({ track, streams: [stream] });
    }
  }

  private needNegotiation() {
    this.negotiationNeeded = true;
    if (this.signalingState === 'stable') this.fireNegotiationNeeded();
  }

  private afterStable() {
    if (this.localDescription && this.remoteDescription && this.iceConnectionState === 'new') {
      setTimeout(() => !this.closed && this.setIceState('connected'), 0);
    }
    if (this.negotiationNeeded) this.fireNegotiationNeeded();
  }

  /** One event for changes in a row, as a browser queues it. */
  private fireNegotiationNeeded() {
    if (this.negotiationEventQueued) return;
    this.negotiationEventQueued = true;
    setTimeout(() => {
      this.negotiationEventQueued = false;
      if (!this.closed && this.negotiationNeeded && this.signalingState === 'stable') this.onnegotiationneeded?.();
    }, 0);
  }
}

/** Puts the fakes where the code looks for the browser's classes. */
export function installFakeWebRtc(): FakeMediaDevices {
  FakePeerConnection.instances = [];
  vi.stubGlobal('MediaStream', FakeMediaStream);
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  return new FakeMediaDevices();
}
