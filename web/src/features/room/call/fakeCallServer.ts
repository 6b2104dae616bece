// The server's half of the call for unit tests: a roster per interview, `call_welcome` to the
// joiner, `call_state` to everyone, `call_signal` relayed to its addressee, `call_permit` and
// `call_leave`, each delivered a task later (as a socket would), to `CallController`s.
import type { CallController } from './callController';
import type { CallClientMessage, CallEvent, CallPeer, CallRole, MaySend } from './callProtocol';

interface Member {
  controller: CallController;
  participantId: string;
  name: string;
  role: CallRole;
  /** The peer id the next join gets (tests pick them, to know who is polite). */
  peerIds: string[];
  peer: CallPeer | null;
  /** Everything this member sent, in order. */
  sent: CallClientMessage[];
}

export class FakeCallServer {
  private readonly members: Member[] = [];
  private readonly speakers = new Set<string>();
  open = true;

  /** The `send` of a new member; `attach` gives it its controller once made. */
  member(participantId: string, name: string, role: CallRole, peerIds: string[]) {
    const member = { participantId, name, role, peerIds: [...peerIds], peer: null, sent: [] } as unknown as Member;
    this.members.push(member);
    return {
      sent: member.sent,
      send: (message: CallClientMessage) => {
        member.sent.push(message);
        if (!this.open) return false;
        setTimeout(() => this.receive(member, message), 0);
        return true;
      },
      attach: (controller: CallController) => {
        member.controller = controller;
      },
    };
  }

  roster(): CallPeer[] {
    return this.members.flatMap((m) => (m.peer ? [m.peer] : []));
  }

  /** The socket of `participantId` drops: the server forgets its peer. */
  drop(participantId: string) {
    const member = this.members.find((m) => m.participantId === participantId);
    if (member) member.peer = null;
    this.broadcastState();
  }

  private maySend(member: Member): MaySend {
    if (member.role !== 'observer') return { audio: true, video: true, screen: true };
    return { audio: this.speakers.has(member.participantId), video: false, screen: false };
  }

  private receive(member: Member, message: CallClientMessage) {
    switch (message.type) {
      case 'call_join': {
        const peerId = member.peerIds.shift() ?? `peer-${Math.random()}`;
        member.peer = {
          peer_id: peerId,
          participant_id: member.participantId,
          name: member.name,
          role: member.role,
          media: message.media,
          may_send: this.maySend(member),
        };
        this.deliver(member, { type: 'call_welcome', v: 1, peer_id: peerId, may_send: this.maySend(member) });
        this.broadcastState();
        return;
      }
      case 'call_leave':
        member.peer = null;
        this.broadcastState();
        return;
      case 'call_media':
        if (member.peer) member.peer = { ...member.peer, media: message.media };
        this.broadcastState();
        return;
      case 'call_permit': {
        if (message.speak) this.speakers.add(message.participant_id);
        else this.speakers.delete(message.participant_id);
        const target = this.members.find((m) => m.participantId === message.participant_id);
        if (target?.peer) {
          target.peer = null;
          this.deliver(target, { type: 'call_left', v: 1, reason: 'permission_changed' });
          this.broadcastState();
        }
        return;
      }
      case 'call_signal': {
        const target = this.members.find((m) => m.peer?.peer_id === message.to);
        const from = member.peer?.peer_id;
        if (!target || !from) return;
        // As the server sends it: both fields, the unused one null.
        const description = 'description' in message ? message.description : null;
        const candidate = 'candidate' in message ? message.candidate : null;
        this.deliver(target, { type: 'call_signal', v: 1, from, description, candidate });
        return;
      }
    }
  }

  private broadcastState() {
    const peers = this.roster();
    for (const member of this.members) this.deliver(member, { type: 'call_state', v: 1, peers });
  }

  private deliver(member: Member, event: CallEvent) {
    setTimeout(() => member.controller?.handleEvents([event]), 0);
  }
}
