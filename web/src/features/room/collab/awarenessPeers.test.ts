// Unit tests for reading awareness identities and computing who of the participants is online.
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../../api/types';
import { parsePeerUser, participantPresence, peersFromStates } from './awarenessPeers';

const host: Participant = { id: 'p-host', user_id: 'u1', name: 'Hana Host', email: 'h@example.com', role: 'host' };
const cand: Participant = { id: 'p-cand', user_id: null, name: 'Cal Candidate', email: null, role: 'candidate' };
const obs: Participant = {
  id: 'p-obs',
  user_id: 'u3',
  name: 'Olly Observer',
  email: 'o@example.com',
  role: 'observer',
};

describe('parsePeerUser', () => {
  it('reads the server-set identity', () => {
    expect(parsePeerUser({ user: { id: 'p', name: 'N', role: 'host', color: '#fff' } })).toEqual({
      id: 'p',
      name: 'N',
      role: 'host',
      color: '#fff',
    });
  });
  it('rejects states without a string id', () => {
    expect(parsePeerUser(null)).toBeNull();
    expect(parsePeerUser({})).toBeNull();
    expect(parsePeerUser({ user: 'x' })).toBeNull();
    expect(parsePeerUser({ user: { id: 7 } })).toBeNull();
    expect(parsePeerUser({ user: [] })).toBeNull();
  });
  it('tolerates missing optional fields', () => {
    expect(parsePeerUser({ user: { id: 'p', name: 3 } })).toEqual({ id: 'p', name: '', role: '', color: '' });
  });
});

describe('peersFromStates', () => {
  it('leaves out our own client and malformed states, sorted by client id', () => {
    const states = new Map<number, unknown>([
      [30, { user: { id: 'p-cand', name: 'Cal', role: 'candidate', color: '#16a34a' } }],
      [10, { user: { id: 'p-host', name: 'Hana', role: 'host', color: '#2563eb' } }],
      [20, { selection: {} }],
      [99, { user: { id: 'p-obs', name: 'Me', role: 'observer', color: '#000000' } }],
    ]);
    expect(peersFromStates(states, 99).map((p) => p.clientId)).toEqual([10, 30]);
  });
});

describe('participantPresence', () => {
  it('marks participants online when an awareness state belongs to them', () => {
    const peers = peersFromStates(
      new Map([[5, { user: { id: 'p-cand', name: 'Cal', role: 'candidate', color: '#16a34a' } }]]),
      1,
    );
    const presence = participantPresence([host, cand, obs], peers, { participantId: 'p-host', online: true });
    expect(presence.map((p) => [p.participant.id, p.online, p.isSelf])).toEqual([
      ['p-host', true, true],
      ['p-cand', true, false],
      ['p-obs', false, false],
    ]);
    expect(presence[1]?.color).toBe('#16a34a');
  });
  it('shows the viewer offline while their own socket is down', () => {
    const presence = participantPresence([host], [], { participantId: 'p-host', online: false });
    expect(presence[0]?.online).toBe(false);
  });
  it('counts a participant with two tabs once', () => {
    const tab = { user: { id: 'p-cand', name: 'Cal', role: 'candidate', color: '#111111' } };
    const peers = peersFromStates(
      new Map([
        [1, tab],
        [2, tab],
      ]),
      0,
    );
    expect(participantPresence([cand], peers, { participantId: null, online: true })).toHaveLength(1);
  });
});
