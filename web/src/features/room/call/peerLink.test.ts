import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromWireCandidate, toWireCandidate, type CallSignal } from './callProtocol';
import { FakeMediaStream, FakePeerConnection, FakeTrack, installFakeWebRtc } from './fakeWebRtc';
import { isPolite, PeerLink } from './peerLink';

beforeEach(() => {
  installFakeWebRtc();
});
afterEach(() => vi.unstubAllGlobals());

/** Two links wired to each other, each signal delivered a task later. */
function pair(options: { firstOfferWaitMs?: number } = {}) {
  const log: string[] = [];
  const links: Record<string, PeerLink> = {};
  const make = (self: string, other: string) =>
    new PeerLink({
      peerId: other,
      selfPeerId: self,
      configuration: {},
      createPeerConnection: (c) => new FakePeerConnection(c) as unknown as RTCPeerConnection,
      send: (signal: CallSignal) => {
        if ('description' in signal) log.push(`${self} sends ${signal.description.type}`);
        setTimeout(() => void links[other]?.handleSignal(signal), 0);
      },
      onTrack: () => undefined,
      onStateChange: () => undefined,
      onUnreachable: () => undefined,
      ...options,
    });
  links['a'] = make('a', 'b');
  links['b'] = make('b', 'a');
  return { a: links['a'], b: links['b'], log };
}

describe('PeerLink', () => {
  it('is polite when its peer id sorts first', () => {
    expect(isPolite('a', 'b')).toBe(true);
    expect(isPolite('b', 'a')).toBe(false);
  });

  it('opens with one offer, the impolite side’s: the polite one waits and answers (no collision)', async () => {
    const { a, b, log } = pair();
    const stream = new FakeMediaStream();
    for (const link of [a, b]) {
      link.setTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack, stream as unknown as MediaStream);
      link.start();
    }
    await vi.waitFor(() => expect(a.connected && b.connected).toBe(true));
    expect(log).toEqual(['b sends offer', 'a sends answer']);
  });

  it('the impolite side that sends nothing offers to receive', async () => {
    const { a, b, log } = pair();
    const stream = new FakeMediaStream();
    a.setTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack, stream as unknown as MediaStream);
    a.start();
    b.start();
    await vi.waitFor(() => expect(a.connected && b.connected).toBe(true));
    expect((b.pc as unknown as FakePeerConnection).transceivers.map((t) => `${t.kind} ${t.direction}`)).toEqual([
      'audio recvonly',
      'video recvonly',
    ]);
    expect(log.slice(0, 2)).toEqual(['b sends offer', 'a sends answer']);
  });

  it('the polite side offers itself when the peer’s offer does not come in time', async () => {
    const { a, log } = pair({ firstOfferWaitMs: 30 });
    const stream = new FakeMediaStream();
    // b never starts (its link was replaced, say): nothing comes from it.
    a.setTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack, stream as unknown as MediaStream);
    a.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual([]);
    await vi.waitFor(() => expect(log[0]).toBe('a sends offer'));
  });

  it('survives glare: the impolite side ignores the colliding offer, the polite one rolls back and answers', async () => {
    const { a, b, log } = pair({ firstOfferWaitMs: 0 });
    const applied = (link: PeerLink) => vi.spyOn(link.pc, 'setRemoteDescription');
    const aApplied = applied(a);
    const bApplied = applied(b);
    const stream = new FakeMediaStream();
    a.setTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack, stream as unknown as MediaStream);
    b.setTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack, stream as unknown as MediaStream);
    a.start();
    b.start();
    await vi.waitFor(() => {
      expect(a.pc.signalingState).toBe('stable');
      expect(b.pc.signalingState).toBe('stable');
      expect(a.connected && b.connected).toBe(true);
    });
    expect(log.slice(0, 2).sort()).toEqual(['a sends offer', 'b sends offer']);
    // b (impolite) never took a's first offer; a (polite) took b's, rolling its own back.
    expect(aApplied.mock.calls[0]?.[0]).toMatchObject({ type: 'offer' });
    expect(bApplied.mock.calls[0]?.[0]).toMatchObject({ type: 'answer' });
    expect(log[2]).toBe('a sends answer');
  });

  it('turns candidates into the wire shape and back', () => {
    const init = {
      candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'u',
    };
    const wire = toWireCandidate(init);
    expect(wire).toEqual({ candidate: init.candidate, sdp_mid: '0', sdp_m_line_index: 0, username_fragment: 'u' });
    expect(fromWireCandidate(wire)).toEqual(init);
    expect(toWireCandidate({ candidate: '' })).toEqual({
      candidate: '',
      sdp_mid: null,
      sdp_m_line_index: null,
      username_fragment: null,
    });
  });
});
