// One RTCPeerConnection to one other peer of the call, negotiated with the W3C "perfect
// negotiation" pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): either
// side may offer at any time (a new track, a screen share, an ICE restart); when both offer at
// once the polite peer (the smaller peer id) gives way, its pending offer rolled back by
// `setRemoteDescription` implicitly, and the impolite one ignores the colliding offer.
//
// The first offer is the impolite side's alone (offering to receive when it sends nothing): the
// polite side holds its own until the peer's description arrives, or `FIRST_OFFER_WAIT_MS`
// passes. Both offering the moment they see each other was a collision on every join, and
// Chromium (156) sometimes never gathers a candidate for the answer of a peer that rolled its
// offer back: the connection then stays "new" for good.
//
// Candidates trickle through `call_signal` as they come. When ICE fails the link restarts it;
// when it is still not connected 10 s later it says so (`onUnreachable`), and its owner replaces
// it with a new connection.
import { fromWireCandidate, toWireCandidate, type CallSignal } from './callProtocol';

/** What goes to the peer through the call's signalling. */
export type SendSignal = (signal: CallSignal) => void;

export interface PeerLinkOptions {
  /** The other peer's id. */
  peerId: string;
  /** Ours: the polite side is the one whose peer id sorts first. */
  selfPeerId: string;
  configuration: RTCConfiguration;
  createPeerConnection: (configuration: RTCConfiguration) => RTCPeerConnection;
  send: SendSignal;
  /** A remote track arrived, in `stream` (the sender's MediaStream, same id on both sides). */
  onTrack: (stream: MediaStream, track: MediaStreamTrack) => void;
  /** The connection's state changed. */
  onStateChange: () => void;
  /** ICE failed, was restarted, and is still not connected `restartGraceMs` later. */
  onUnreachable: () => void;
  restartGraceMs?: number;
  /** How long the polite side waits for the peer's first offer before offering itself. */
  firstOfferWaitMs?: number;
}

/** Which local sender: the camera, the microphone or the screen share. */
export type SenderSlot = 'audio' | 'video' | 'screen';

export const RESTART_GRACE_MS = 10_000;
/** Long past a signal's round trip; reached only when the peer does not offer (it replaced its link). */
export const FIRST_OFFER_WAIT_MS = 1_500;

/** Polite = our peer id sorts before theirs (plain string comparison, the same on both sides). */
export function isPolite(selfPeerId: string, peerId: string): boolean {
  return selfPeerId < peerId;
}

export class PeerLink {
  readonly peerId: string;
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  /** Polite side, set until the peer's first description (or the wait's end): our offers wait. */
  private firstOfferTimer: ReturnType<typeof setTimeout> | null = null;
  /** An offer waited for `firstOfferTimer`. */
  private offerHeld = false;
  private readonly senders = new Map<SenderSlot, RTCRtpSender>();
  private closed = false;

  constructor(private readonly options: PeerLinkOptions) {
    this.peerId = options.peerId;
    this.polite = isPolite(options.selfPeerId, options.peerId);
    if (this.polite) {
      const wait = options.firstOfferWaitMs ?? FIRST_OFFER_WAIT_MS;
      this.firstOfferTimer = setTimeout(() => this.stopHoldingFirstOffer(true), wait);
    }
    const pc = options.createPeerConnection(options.configuration);
    this.pc = pc;
    pc.onnegotiationneeded = () => void this.offer();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) options.send({ candidate: toWireCandidate(candidate.toJSON()) });
    };
    pc.ontrack = ({ track, streams }) => options.onTrack(streams[0] ?? new MediaStream([track]), track);
    pc.oniceconnectionstatechange = () => this.onIceState();
    pc.onconnectionstatechange = () => options.onStateChange();
  }

  /**
   * Starts negotiating, once the tracks we send from the start are set: the impolite side
   * offers, to receive audio and video when it sends nothing (the polite side waits for it).
   */
  start(): void {
    if (this.closed || this.polite) return;
    if (this.senders.size === 0) {
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
      this.pc.addTransceiver('video', { direction: 'recvonly' });
    }
  }

  /** Sends `track` in `slot` (the camera's and microphone's in `stream`, the screen's in its own). */
  setTrack(slot: SenderSlot, track: MediaStreamTrack | null, stream: MediaStream): void {
    if (this.closed) return;
    const sender = this.senders.get(slot);
    if (sender) {
      // Same m-line, no renegotiation; null keeps the slot and sends nothing (the light goes off).
      sender.replaceTrack(track).catch(() => undefined);
    } else if (track) {
      this.senders.set(slot, this.pc.addTrack(track, stream));
    }
  }

  /** Stops sending `slot` altogether (the screen share ended): renegotiates without it. */
  removeTrack(slot: SenderSlot): void {
    const sender = this.senders.get(slot);
    if (!sender || this.closed) return;
    this.senders.delete(slot);
    this.pc.removeTrack(sender);
  }

  /**
   * Applies a description or candidate from the peer. False when a remote offer cannot be
   * applied to this connection at all (the peer started a new connection): replace the link.
   */
  async handleSignal(signal: CallSignal): Promise<boolean> {
    const pc = this.pc;
    if ('description' in signal) {
      // Once stable again the browser asks for whatever negotiation the peer's did not cover.
      this.stopHoldingFirstOffer(false);
      const description = signal.description;
      const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return true;
      this.isSettingRemoteAnswerPending = description.type === 'answer';
      try {
        await pc.setRemoteDescription(description);
      } catch {
        return description.type !== 'offer' || this.closed;
      } finally {
        this.isSettingRemoteAnswerPending = false;
      }
      if (description.type === 'offer') {
        try {
          await pc.setLocalDescription();
          this.sendLocalDescription();
        } catch {
          return this.closed;
        }
      }
      return true;
    }
    try {
      await pc.addIceCandidate(fromWireCandidate(signal.candidate));
    } catch {
      // A candidate of an offer we ignored fails to apply; so may one of a closed connection.
    }
    return true;
  }

  /** True once ICE is through (connected or completed). */
  get connected(): boolean {
    return this.pc.iceConnectionState === 'connected' || this.pc.iceConnectionState === 'completed';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearRestartTimer();
    this.stopHoldingFirstOffer(false);
    const pc = this.pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = null;
    pc.oniceconnectionstatechange = pc.onconnectionstatechange = null;
    pc.close();
  }

  private async offer() {
    if (this.closed) return;
    if (this.firstOfferTimer) {
      this.offerHeld = true;
      return;
    }
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendLocalDescription();
    } catch {
      // The state moved on (a remote offer came first): its negotiation covers ours.
    } finally {
      this.makingOffer = false;
    }
  }

  /** The peer's description came (`offerNow` false), or it did not in time: offer what we held. */
  private stopHoldingFirstOffer(offerNow: boolean) {
    if (this.firstOfferTimer) clearTimeout(this.firstOfferTimer);
    this.firstOfferTimer = null;
    const held = this.offerHeld;
    this.offerHeld = false;
    if (offerNow && held && this.pc.signalingState === 'stable') void this.offer();
  }

  private sendLocalDescription() {
    const local = this.pc.localDescription;
    if (this.closed || !local || (local.type !== 'offer' && local.type !== 'answer')) return;
    this.options.send({ description: { type: local.type, sdp: local.sdp } });
  }

  private onIceState() {
    const state = this.pc.iceConnectionState;
    if (state === 'failed' && !this.restartTimer) {
      this.pc.restartIce();
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.closed && !this.connected) this.options.onUnreachable();
      }, this.options.restartGraceMs ?? RESTART_GRACE_MS);
    } else if (this.connected) {
      this.clearRestartTimer();
    }
    this.options.onStateChange();
  }

  private clearRestartTimer() {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }
}
