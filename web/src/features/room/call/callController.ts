// The video call of one room, without React: joining and leaving, the local camera, microphone
// and screen share, one `PeerLink` per other peer (a mesh), and the call events of the room
// socket. It keeps an immutable `CallView` that the UI renders (`subscribe` / `getSnapshot`,
// for useSyncExternalStore). Everything the browser provides comes in through `CallDeps`, so
// tests drive it with fakes.
//
// Joining: fetch the ICE servers, get the camera and microphone (senders only, as remembered:
// muted is a disabled track, camera off asks for no camera at all), send `call_join`; the
// `call_welcome` gives our peer id and what we may send, and from then on every `call_state`
// opens links to new peers and closes those of peers gone. Observers never ask for a camera;
// when the host lets them speak they send their microphone, joined muted. The server forgets
// us when the socket drops: after it comes back (its `hello`) we join again, and so we do when
// the host changes our permission (`call_left`).
import {
  isCallEvent,
  receivedSignal,
  SEND_NOTHING,
  type CallClientMessage,
  type CallEvent,
  type CallMedia,
  type CallPeer,
  type CallRole,
  type CallSignal,
  type MaySend,
} from './callProtocol';
import type { RoomEvent } from '../run/types';
import type { CallPreferences } from './callPreferences';
import { describeCallError, describeMediaError, describeUnreachable } from './callWords';
import { rtcConfiguration, type IceServersResponse } from './iceServers';
import { captureCameraAndMicrophone, deviceConstraint, type MediaDevicesLike } from './localMedia';
import { PeerLink } from './peerLink';
import { audioLevels, sameMembers, SPEAKING_LEVEL, SPEAKING_POLL_MS } from './speaking';

export interface CallDeps {
  role: CallRole | null;
  send: (message: CallClientMessage) => boolean;
  fetchIce: () => Promise<IceServersResponse>;
  media: MediaDevicesLike;
  createPeerConnection: (configuration: RTCConfiguration) => RTCPeerConnection;
  /** `?ice=relay`: media through TURN only. */
  relayOnly?: boolean;
  readPreferences: () => CallPreferences;
  writePreferences: (change: Partial<CallPreferences>) => void;
  statsIntervalMs?: number;
  /** How long a restarted ICE may take before the link is replaced (tests shorten it). */
  restartGraceMs?: number;
  /** How long a polite link waits for the peer's first offer (tests shorten it). */
  firstOfferWaitMs?: number;
}

export type CallPhase = 'idle' | 'joining' | 'joined';

export interface CallProblem {
  message: string;
  /** The camera and microphone could not start: joining without them is offered. */
  offerReceiveOnly?: boolean;
}

export interface CallView {
  phase: CallPhase;
  selfPeerId: string | null;
  maySend: MaySend;
  /** Who is in the call (`call_state`), us included once joined. */
  peers: readonly CallPeer[];
  muted: boolean;
  cameraOn: boolean;
  /** Our camera, for our own tile (never our microphone: no echo). */
  localVideo: MediaStreamTrack | null;
  hasMicrophone: boolean;
  screen: MediaStream | null;
  /** The streams each remote peer sends us, by peer id. */
  remoteStreams: Readonly<Record<string, readonly MediaStream[]>>;
  /** Each link's connection state, by peer id. */
  connections: Readonly<Record<string, RTCPeerConnectionState>>;
  /** Peer ids of whoever is speaking now (ours included). */
  speaking: readonly string[];
  /** Stream ids that were ever someone's screen share (to tell a camera from a stopped screen). */
  screenStreamIds: ReadonlySet<string>;
  speakerId: string | null;
  problem: CallProblem | null;
}

const SENDER_ROLES: ReadonlySet<CallRole> = new Set(['host', 'interviewer', 'candidate']);

/** Every controller alive on the page, for `window.__codeviewCall` (the e2e reads stats). */
const liveControllers = new Set<CallController>();

export function allPeerConnections(): RTCPeerConnection[] {
  return [...liveControllers].flatMap((controller) => controller.peerConnections());
}

export class CallController {
  private view: CallView;
  private readonly listeners = new Set<() => void>();
  private readonly links = new Map<string, PeerLink>();
  /** Per peer: its signals are applied one after the other. */
  private readonly signalQueues = new Map<string, Promise<void>>();
  private configuration: RTCConfiguration = {};
  /** The camera and microphone tracks, in the one stream the peers see them in. */
  private localStream: MediaStream | null = null;
  private rejoinOnHello = false;
  private statsTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: CallDeps) {
    const preferences = deps.readPreferences();
    this.view = {
      phase: 'idle',
      selfPeerId: null,
      maySend: SEND_NOTHING,
      peers: [],
      muted: preferences.muted,
      cameraOn: preferences.cameraOn,
      localVideo: null,
      hasMicrophone: false,
      screen: null,
      remoteStreams: {},
      connections: {},
      speaking: [],
      screenStreamIds: new Set(),
      speakerId: preferences.speakerId,
      problem: null,
    };
    liveControllers.add(this);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): CallView => this.view;

  peerConnections(): RTCPeerConnection[] {
    return [...this.links.values()].map((link) => link.pc);
  }

  /** Host, interviewer and candidate send; observers only receive (unless allowed to speak). */
  get isSender(): boolean {
    return this.deps.role !== null && SENDER_ROLES.has(this.deps.role);
  }

  // ---------- Joining and leaving ----------

  async join({ receiveOnly = false }: { receiveOnly?: boolean } = {}): Promise<void> {
    if (this.view.phase !== 'idle') return;
    this.update({ phase: 'joining', problem: null });
    const ice = await this.deps.fetchIce().catch(
      // Without the ICE servers, direct connections (same machine, same network) still work.
      (): IceServersResponse => ({ ice_servers: [], ttl_seconds: 0 }),
    );
    this.configuration = rtcConfiguration(ice, this.deps.relayOnly ?? false);
    if (!this.joining()) return;
    if (this.isSender && !receiveOnly) {
      const preferences = this.deps.readPreferences();
      const captured = await captureCameraAndMicrophone(this.deps.media, {
        microphone: deviceConstraint(preferences.microphoneId),
        camera: preferences.cameraOn && deviceConstraint(preferences.cameraId),
      });
      if (!this.joining()) {
        for (const track of captured.tracks) track.stop();
        return;
      }
      if (captured.tracks.length === 0 && captured.problem) {
        this.update({ phase: 'idle', problem: { message: captured.problem, offerReceiveOnly: true } });
        return;
      }
      this.localStream = new MediaStream(captured.tracks);
      for (const track of this.localStream.getAudioTracks()) track.enabled = !this.view.muted;
      this.update({
        cameraOn: this.localStream.getVideoTracks().length > 0,
        problem: captured.problem ? { message: captured.problem } : null,
      });
      this.localTracksChanged();
    }
    this.sendJoin();
  }

  /** Leaves the call (the button, the page closing, the interview ending) and stops every track. */
  leave(problem: CallProblem | null = this.view.problem): void {
    if (this.view.phase === 'idle') return;
    // Also while joining: the server may have us already (a refusal of it is harmless).
    this.deps.send({ type: 'call_leave', v: 1 });
    this.rejoinOnHello = false;
    this.closeLinks();
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    for (const track of this.view.screen?.getTracks() ?? []) track.stop();
    this.localStream = null;
    this.stopStats();
    this.update({
      phase: 'idle',
      selfPeerId: null,
      maySend: SEND_NOTHING,
      localVideo: null,
      hasMicrophone: false,
      screen: null,
      speaking: [],
      problem,
    });
  }

  /** The page goes away: leave, and stop being listed for `window.__codeviewCall`. */
  dispose(): void {
    this.leave();
    liveControllers.delete(this);
  }

  /** Not disposed (or revived since). */
  get live(): boolean {
    return liveControllers.has(this);
  }

  /** Listed again (React's strict mode mounts, cleans up and mounts again). */
  revive(): void {
    liveControllers.add(this);
  }

  /** Still joining (an await later: the person may have left meanwhile). */
  private joining(): boolean {
    return this.view.phase === 'joining';
  }

  private sendJoin() {
    const sent = this.deps.send({ type: 'call_join', v: 1, media: this.currentMedia() });
    // The socket is down: join as soon as it is back (its `hello`).
    this.rejoinOnHello = !sent;
  }

  private currentMedia(): CallMedia {
    const audio = this.localStream?.getAudioTracks()[0];
    const video = this.localStream?.getVideoTracks()[0];
    return {
      audio: Boolean(audio && audio.enabled && audio.readyState === 'live'),
      video: Boolean(video && video.readyState === 'live'),
      screen_stream: this.view.screen?.id ?? null,
    };
  }

  private sendMedia() {
    if (this.view.phase === 'joined') this.deps.send({ type: 'call_media', v: 1, media: this.currentMedia() });
  }

  // ---------- Room socket ----------

  handleEvents(events: readonly RoomEvent[]): void {
    for (const event of events) {
      if (event.type === 'hello') this.onHello();
      else if (isCallEvent(event)) this.onCallEvent(event);
    }
  }

  /** The socket dropped: the server forgets our peer, so our links are useless. */
  handleDisconnect(): void {
    if (this.view.phase === 'idle') {
      this.update({ peers: [] });
      return;
    }
    this.rejoinOnHello = true;
    this.closeLinks();
    this.stopStats();
    this.update({ phase: 'joining', selfPeerId: null, peers: [], speaking: [] });
  }

  private onHello() {
    if (!this.rejoinOnHello || this.view.phase === 'idle') return;
    this.closeLinks();
    this.sendJoin();
  }

  private onCallEvent(event: CallEvent) {
    switch (event.type) {
      case 'call_state': {
        const screens = event.peers.flatMap((peer) => (peer.media.screen_stream ? [peer.media.screen_stream] : []));
        const known = this.view.screenStreamIds;
        const screenStreamIds = screens.every((id) => known.has(id)) ? known : new Set([...known, ...screens]);
        this.update({ peers: event.peers, screenStreamIds });
        this.syncLinks();
        return;
      }
      case 'call_welcome':
        this.onWelcome(event.peer_id, event.may_send);
        return;
      case 'call_signal': {
        const signal = receivedSignal(event);
        if (signal) this.onSignal(event.from, signal);
        return;
      }
      case 'call_error': {
        const message = describeCallError(event.code, event.message);
        if (event.code === 'call_full' || event.code === 'interview_ended') {
          this.leave(message ? { message } : null);
        } else if (message) {
          this.update({ problem: { message } });
        }
        return;
      }
      case 'call_left':
        if (event.reason === 'permission_changed' && this.view.phase !== 'idle') {
          // The server took us out to apply the host's decision: back in at once.
          this.closeLinks();
          this.update({ phase: 'joining', selfPeerId: null });
          this.sendJoin();
        } else {
          this.leave({ message: describeCallError('interview_ended', '') ?? '' });
        }
        return;
    }
  }

  private onWelcome(peerId: string, maySend: MaySend) {
    if (this.view.phase === 'idle') return;
    this.update({ phase: 'joined', selfPeerId: peerId, maySend });
    this.dropWhatMayNotBeSent(maySend);
    this.syncLinks();
    this.startStats();
    if (maySend.audio && !this.isSender && !this.localStream?.getAudioTracks().length) {
      // An observer the host lets speak: the microphone only, joined muted.
      this.update({ muted: true });
      void this.addDeviceTrack('audio');
    }
  }

  private dropWhatMayNotBeSent(maySend: MaySend) {
    const stream = this.localStream;
    const dropped = [
      ...(maySend.audio ? [] : (stream?.getAudioTracks() ?? [])),
      ...(maySend.video ? [] : (stream?.getVideoTracks() ?? [])),
    ];
    for (const track of dropped) {
      track.stop();
      stream?.removeTrack(track);
    }
    if (!maySend.screen && this.view.screen) this.stopScreenShare();
    if (dropped.length > 0) this.localTracksChanged();
  }

  private onSignal(from: string, signal: CallSignal) {
    if (this.view.phase !== 'joined') return;
    const previous = this.signalQueues.get(from) ?? Promise.resolve();
    const next = previous.then(async () => {
      let link = this.links.get(from) ?? this.openLink(from);
      if (await link.handleSignal(signal)) return;
      // The peer started over with a new connection that ours cannot take: start over too.
      if (this.links.get(from) !== link) return;
      link = this.replaceLink(from);
      await link.handleSignal(signal);
    });
    this.signalQueues.set(
      from,
      next.catch(() => undefined),
    );
  }

  // ---------- Links ----------

  private syncLinks() {
    const self = this.view.selfPeerId;
    if (this.view.phase !== 'joined' || !self) return;
    const present = new Set(this.view.peers.map((peer) => peer.peer_id));
    for (const peerId of this.links.keys()) if (!present.has(peerId)) this.closeLink(peerId);
    for (const peerId of present) if (peerId !== self && !this.links.has(peerId)) this.openLink(peerId);
  }

  private openLink(peerId: string): PeerLink {
    const link = new PeerLink({
      peerId,
      selfPeerId: this.view.selfPeerId ?? '',
      configuration: this.configuration,
      createPeerConnection: this.deps.createPeerConnection,
      send: (signal) => {
        if (this.links.get(peerId) === link) this.deps.send({ type: 'call_signal', v: 1, to: peerId, ...signal });
      },
      onTrack: (stream) => this.onRemoteStream(peerId, stream),
      onStateChange: () => this.onLinkState(peerId, link),
      ...(this.deps.restartGraceMs === undefined ? {} : { restartGraceMs: this.deps.restartGraceMs }),
      ...(this.deps.firstOfferWaitMs === undefined ? {} : { firstOfferWaitMs: this.deps.firstOfferWaitMs }),
      onUnreachable: () => {
        if (this.links.get(peerId) !== link) return;
        const name = this.view.peers.find((peer) => peer.peer_id === peerId)?.name ?? 'someone';
        this.update({ problem: { message: describeUnreachable(name) } });
        this.replaceLink(peerId);
      },
    });
    this.links.set(peerId, link);
    const stream = this.localStream;
    if (stream) {
      const audio = stream.getAudioTracks()[0];
      const video = stream.getVideoTracks()[0];
      if (audio) link.setTrack('audio', audio, stream);
      if (video) link.setTrack('video', video, stream);
    }
    const screen = this.view.screen;
    const screenTrack = screen?.getVideoTracks()[0];
    if (screen && screenTrack) link.setTrack('screen', screenTrack, screen);
    link.start();
    this.onLinkState(peerId, link);
    return link;
  }

  private replaceLink(peerId: string): PeerLink {
    this.closeLink(peerId);
    return this.openLink(peerId);
  }

  private closeLink(peerId: string) {
    this.links.get(peerId)?.close();
    this.links.delete(peerId);
    this.signalQueues.delete(peerId);
    const remoteStreams = { ...this.view.remoteStreams };
    const connections = { ...this.view.connections };
    delete remoteStreams[peerId];
    delete connections[peerId];
    this.update({ remoteStreams, connections });
  }

  private closeLinks() {
    for (const peerId of [...this.links.keys()]) this.closeLink(peerId);
  }

  private onLinkState(peerId: string, link: PeerLink) {
    if (this.links.get(peerId) !== link) return;
    this.update({ connections: { ...this.view.connections, [peerId]: link.pc.connectionState } });
  }

  private onRemoteStream(peerId: string, stream: MediaStream) {
    const streams = this.view.remoteStreams[peerId] ?? [];
    stream.onremovetrack = () => {
      if (stream.getTracks().length > 0) return;
      const left = (this.view.remoteStreams[peerId] ?? []).filter((s) => s !== stream);
      this.update({ remoteStreams: { ...this.view.remoteStreams, [peerId]: left } });
    };
    // A new track in a known stream: still a new view, so its tile picks the track up.
    const next = [...streams.filter((s) => s !== stream), stream];
    this.update({ remoteStreams: { ...this.view.remoteStreams, [peerId]: next } });
  }

  // ---------- Local media ----------

  toggleMute(): void {
    const muted = !this.view.muted;
    const audio = this.localStream?.getAudioTracks()[0];
    if (!muted && !audio) {
      if (this.view.phase === 'joined' && this.view.maySend.audio) void this.addDeviceTrack('audio', { unmute: true });
      return;
    }
    if (audio) audio.enabled = !muted;
    this.update({ muted });
    if (this.isSender) this.deps.writePreferences({ muted });
    this.sendMedia();
  }

  async toggleCamera(): Promise<void> {
    if (this.view.cameraOn) {
      const stream = this.localStream;
      for (const track of stream?.getVideoTracks() ?? []) {
        track.stop();
        stream?.removeTrack(track);
      }
      for (const link of this.links.values()) if (stream) link.setTrack('video', null, stream);
      this.update({ cameraOn: false });
      this.deps.writePreferences({ cameraOn: false });
      this.localTracksChanged();
      this.sendMedia();
      return;
    }
    if (this.view.phase === 'idle') {
      // Not in the call: just remembered for the next join.
      this.update({ cameraOn: true });
      this.deps.writePreferences({ cameraOn: true });
      return;
    }
    if (!this.view.maySend.video) return;
    if (await this.addDeviceTrack('video')) this.deps.writePreferences({ cameraOn: true });
  }

  /** A camera or microphone from the chosen device, in place of the current one (or new). */
  private async addDeviceTrack(kind: 'audio' | 'video', { unmute = false } = {}): Promise<boolean> {
    const preferences = this.deps.readPreferences();
    const device = kind === 'audio' ? preferences.microphoneId : preferences.cameraId;
    let track: MediaStreamTrack | undefined;
    try {
      const stream = await this.deps.media.getUserMedia({ [kind]: deviceConstraint(device) });
      track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    } catch (error) {
      this.update({ problem: { message: describeMediaError(error, kind === 'audio' ? 'microphone' : 'camera') } });
      return false;
    }
    if (!track) return false;
    if (this.view.phase === 'idle') {
      track.stop();
      return false;
    }
    const stream = this.localStream ?? new MediaStream();
    this.localStream = stream;
    for (const old of kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks()) {
      old.stop();
      stream.removeTrack(old);
    }
    stream.addTrack(track);
    if (kind === 'audio') {
      const muted = unmute ? false : this.view.muted;
      track.enabled = !muted;
      this.update({ muted });
    } else {
      this.update({ cameraOn: true });
    }
    for (const link of this.links.values()) link.setTrack(kind, track, stream);
    this.localTracksChanged();
    this.sendMedia();
    return true;
  }

  /** Another camera, microphone or speaker: used at once and remembered. */
  async switchDevice(kind: MediaDeviceKind, deviceId: string): Promise<void> {
    if (kind === 'audiooutput') {
      this.deps.writePreferences({ speakerId: deviceId || null });
      this.update({ speakerId: deviceId || null });
      return;
    }
    const audio = kind === 'audioinput';
    this.deps.writePreferences(audio ? { microphoneId: deviceId || null } : { cameraId: deviceId || null });
    const current = audio ? this.localStream?.getAudioTracks()[0] : this.localStream?.getVideoTracks()[0];
    if (current) await this.addDeviceTrack(audio ? 'audio' : 'video');
  }

  async startScreenShare(): Promise<void> {
    if (this.view.phase !== 'joined' || !this.view.maySend.screen || this.view.screen) return;
    let screen: MediaStream;
    try {
      screen = await this.deps.media.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      // Cancelling the browser's picker is a NotAllowedError: nothing to say.
      if (!(error instanceof DOMException && error.name === 'NotAllowedError'))
        this.update({ problem: { message: `Could not share your screen (${(error as Error).message}).` } });
      return;
    }
    const track = screen.getVideoTracks()[0];
    if (!track || this.view.phase !== 'joined') {
      for (const t of screen.getTracks()) t.stop();
      return;
    }
    // The browser's own "Stop sharing" ends the track.
    track.addEventListener('ended', () => {
      if (this.view.screen === screen) this.stopScreenShare();
    });
    this.update({ screen });
    // The peers learn which stream is the screen before its track reaches them.
    this.sendMedia();
    for (const link of this.links.values()) link.setTrack('screen', track, screen);
  }

  stopScreenShare(): void {
    const screen = this.view.screen;
    if (!screen) return;
    for (const link of this.links.values()) link.removeTrack('screen');
    for (const track of screen.getTracks()) track.stop();
    this.update({ screen: null });
    this.sendMedia();
  }

  /** The host lets an observer speak, or takes it back. */
  permitSpeech(participantId: string, speak: boolean): void {
    this.deps.send({ type: 'call_permit', v: 1, participant_id: participantId, speak });
  }

  dismissProblem(): void {
    this.update({ problem: null });
  }

  private localTracksChanged() {
    const stream = this.localStream;
    this.update({
      localVideo: stream?.getVideoTracks()[0] ?? null,
      hasMicrophone: Boolean(stream?.getAudioTracks().length),
    });
  }

  // ---------- Speaking ----------

  private startStats() {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(() => void this.pollSpeaking(), this.deps.statsIntervalMs ?? SPEAKING_POLL_MS);
  }

  private stopStats() {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  private async pollSpeaking() {
    const speaking: string[] = [];
    let mine = 0;
    await Promise.all(
      [...this.links.values()].map(async (link) => {
        try {
          const levels = audioLevels(await link.pc.getStats());
          if (levels.received > SPEAKING_LEVEL) speaking.push(link.peerId);
          mine = Math.max(mine, levels.sent);
        } catch {
          // A closed connection has no stats.
        }
      }),
    );
    const self = this.view.selfPeerId;
    if (self && !this.view.muted && mine > SPEAKING_LEVEL) speaking.push(self);
    if (this.view.phase === 'joined' && !sameMembers(speaking, this.view.speaking)) this.update({ speaking });
  }

  private update(change: Partial<CallView>) {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }
}
