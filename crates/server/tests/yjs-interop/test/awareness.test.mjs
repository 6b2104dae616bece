// Awareness with the real client: states reach peers with the server's identity in `user`
// (no spoofed names or roles), observers' states carry nothing else (no cursor or selection
// of theirs reaches anyone), and leave with their connection (no ghost cursors), also when
// the connection dies without a goodbye.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { suite } from '../lib/env.mjs'
import { participants } from '../lib/http.mjs'
import { sleep, waitFor } from '../lib/yclient.mjs'

/** The client-side awareness timeout of y-protocols: a removal faster than this is the server's. */
const CLIENT_AWARENESS_TIMEOUT_MS = 30_000

/** @param {import('../lib/yclient.mjs').YClient} client @param {number} clientId */
const stateOf = (client, clientId) => client.awareness.getStates().get(clientId)

await suite('awareness', env => {
  test('a state reaches peers with user = the authenticated participant, whatever the client claimed', async () => {
    const { host, candidate, interview } = await env.room()
    const people = await participants(host, interview.id)
    const hostParticipant = people.find(p => p.role === 'host')
    const candidateParticipant = people.find(p => p.role === 'candidate')
    assert.ok(hostParticipant && candidateParticipant, JSON.stringify(people))

    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    // Both claim to be someone else.
    a.awareness.setLocalState({ user: { id: 'x', name: 'Mallory', role: 'candidate', color: '#000000' }, cursor: { anchor: 3, head: 5 } })
    b.awareness.setLocalState({ user: { id: 'y', name: 'Interviewer Bob', role: 'host', color: '#ffffff' }, cursor: { anchor: 1, head: 1 } })

    await waitFor(() => stateOf(b, a.clientId)?.cursor?.anchor === 3, {
      what: 'the host state at the candidate',
      detail: () => JSON.stringify(stateOf(b, a.clientId))
    })
    await waitFor(() => stateOf(a, b.clientId)?.cursor?.anchor === 1, {
      what: 'the candidate state at the host',
      detail: () => JSON.stringify(stateOf(a, b.clientId))
    })
    const hostSeen = stateOf(b, a.clientId)
    assert.deepEqual({ ...hostSeen.user, color: undefined }, { id: hostParticipant.id, name: hostParticipant.name, role: 'host', color: undefined })
    assert.match(hostSeen.user.color, /^#[0-9a-f]{6}$/i)
    assert.notEqual(hostSeen.user.color, '#000000')
    assert.deepEqual(hostSeen.cursor, { anchor: 3, head: 5 }, 'other fields are kept')
    const candidateSeen = stateOf(a, b.clientId)
    assert.equal(candidateSeen.user.id, candidateParticipant.id)
    assert.equal(candidateSeen.user.name, 'Casey Candidate')
    assert.equal(candidateSeen.user.role, 'candidate')

    // A newcomer receives the present states, rewritten too.
    const c = env.client(host, interview.id, { label: 'newcomer' })
    await c.waitSynced()
    await waitFor(() => stateOf(c, b.clientId)?.cursor?.anchor === 1, {
      what: 'the newcomer to receive the candidate state',
      detail: () => JSON.stringify([...c.awareness.getStates()])
    })
    assert.equal(stateOf(c, b.clientId).user.role, 'candidate')
    assert.equal(stateOf(c, b.clientId).user.name, 'Casey Candidate')
  })

  test('a state disappears at peers when its client leaves, politely or not (no ghost)', async () => {
    const { host, candidate, interviewer, interview } = await env.room({ interviewer: true })
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    const c = env.client(interviewer, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced(), c.waitSynced()])
    for (const [client, n] of [[a, 1], [b, 2], [c, 3]]) client.awareness.setLocalState({ cursor: { anchor: n } })
    await waitFor(() => a.awareness.getStates().has(b.clientId) && a.awareness.getStates().has(c.clientId), {
      what: 'host to see both peers', detail: () => JSON.stringify([...a.awareness.getStates().keys()])
    })

    // Polite: provider.disconnect() (the client says goodbye itself).
    c.disconnect()
    await waitFor(() => !a.awareness.getStates().has(c.clientId), { timeout: 5000, what: 'the politely closed client to leave' })

    // Abrupt: the TCP connection is cut, no goodbye. Only the server can remove the state in
    // time (y-protocols times a silent state out after 30 s).
    const cut = Date.now()
    b.dropAbruptly()
    await waitFor(() => !a.awareness.getStates().has(b.clientId), {
      timeout: 5000,
      what: 'the server to remove the dropped client\'s awareness state',
      detail: () => JSON.stringify([...a.awareness.getStates()])
    })
    assert.ok(Date.now() - cut < CLIENT_AWARENESS_TIMEOUT_MS)

    // A newcomer sees the present host and none of the departed.
    const d = env.client(interviewer, interview.id, { label: 'newcomer' })
    await d.waitSynced()
    await waitFor(() => d.awareness.getStates().has(a.clientId), { what: 'the newcomer to see the host' })
    await sleep(200)
    assert.ok(!d.awareness.getStates().has(b.clientId), 'no ghost of the dropped candidate')
    assert.ok(!d.awareness.getStates().has(c.clientId), 'no ghost of the interviewer who left')
  })

  test('a participant\'s second tab does not keep the first tab\'s cursor alive (no ghost)', async () => {
    // y-websocket re-broadcasts every state it applies, so the second tab sends the first
    // tab's state back to the server under the same participant.
    const { host, candidate, interview } = await env.room()
    const first = env.client(host, interview.id, { label: 'first tab' })
    const second = env.client(host, interview.id, { label: 'second tab' })
    const watcher = env.client(candidate, interview.id, { label: 'watcher' })
    await Promise.all([first.waitSynced(), second.waitSynced(), watcher.waitSynced()])
    second.awareness.setLocalState({ cursor: { anchor: 2 } })
    first.awareness.setLocalState({ cursor: { anchor: 1 } })
    await waitFor(() => stateOf(second, first.clientId)?.cursor?.anchor === 1, { what: 'the second tab to see (and echo) the first' })
    await waitFor(() => stateOf(watcher, first.clientId) && stateOf(watcher, second.clientId), { what: 'the watcher to see both tabs' })
    await sleep(200)

    first.dropAbruptly()
    await waitFor(() => !stateOf(watcher, first.clientId), {
      timeout: 5000,
      what: 'the closed tab\'s cursor to leave',
      detail: () => JSON.stringify([...watcher.awareness.getStates()])
    })
    assert.equal(stateOf(watcher, second.clientId)?.cursor?.anchor, 2, 'the open tab\'s cursor stays')
  })

  test('when a reconnected client took over its id, the old socket closing does not remove it', async () => {
    // A browser whose network blipped reconnects on a new socket with the same client id
    // while the old socket lingers until the server notices (up to the ping timeout). When the
    // old one finally closes, the live cursor must stay.
    const { host, interview } = await env.room({ candidate: false })
    const watcher = env.client(host, interview.id, { label: 'watcher' })
    await watcher.waitSynced()
    const reconnected = env.client(host, interview.id, { label: 'reconnected', connect: false })
    const id = reconnected.clientId

    const oldDoc = new Y.Doc()
    oldDoc.clientID = id
    const oldAwareness = new awarenessProtocol.Awareness(oldDoc)
    oldAwareness.setLocalState({ cursor: { anchor: 1 } })
    const old = new WebSocket(`${env.server.wsUrl}/ws/yjs/${interview.id}/code`, { headers: { cookie: host.cookieHeader } })
    await new Promise((resolve, reject) => { old.once('open', resolve); old.once('error', reject) })
    old.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(oldAwareness, [id])))
    await waitFor(() => stateOf(watcher, id)?.cursor?.anchor === 1, { what: 'the old socket\'s state at the watcher' })

    // The new socket: same client id, a newer clock.
    reconnected.awareness.setLocalState({ cursor: { anchor: 2 } })
    reconnected.awareness.setLocalState({ cursor: { anchor: 2 }, n: 1 })
    reconnected.connect()
    await reconnected.waitSynced()
    await waitFor(() => stateOf(watcher, id)?.cursor?.anchor === 2, {
      what: 'the reconnected client\'s state at the watcher', detail: () => JSON.stringify(stateOf(watcher, id))
    })

    old.terminate()
    oldAwareness.destroy()
    await sleep(500)
    assert.equal(stateOf(watcher, id)?.cursor?.anchor, 2, 'the live client\'s cursor must survive its old socket closing')
  })

  test('an observer is seen without its cursor or selection; a writer is seen with them', async () => {
    const { host, observer, interview } = await env.room({ observer: true })
    assert.ok(observer)
    const people = await participants(host, interview.id)
    const observerParticipant = people.find(p => p.role === 'observer')
    assert.ok(observerParticipant, JSON.stringify(people))
    const a = env.client(host, interview.id)
    const o = env.client(observer, interview.id)
    await Promise.all([a.waitSynced(), o.waitSynced()])
    // What y-monaco publishes for a select-all, plus a `cursor` as other bindings write it.
    const selectAll = {
      selection: {
        anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(o.doc.getText('code'), 0)),
        head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(o.doc.getText('code'), 0, -1))
      },
      cursor: { anchor: 0, head: 999 }
    }
    o.awareness.setLocalState(selectAll)
    a.awareness.setLocalState(selectAll)
    await waitFor(() => stateOf(o, a.clientId)?.selection != null, {
      what: 'the observer to see the host selection (a writer shares it)',
      detail: () => JSON.stringify(stateOf(o, a.clientId))
    })
    await waitFor(() => stateOf(a, o.clientId)?.user?.role === 'observer', {
      what: 'the host to see the observer',
      detail: () => JSON.stringify(stateOf(a, o.clientId))
    })
    // The observer moves again; a late joiner gets the stored states.
    o.awareness.setLocalStateField('cursor', { anchor: 5, head: 6 })
    await sleep(300)
    const late = env.client(host, interview.id, { label: 'late' })
    await late.waitSynced()
    await waitFor(() => stateOf(late, o.clientId) != null, { what: 'the late joiner to see the observer' })
    for (const watcher of [a, late]) {
      const seen = stateOf(watcher, o.clientId)
      assert.deepEqual(Object.keys(seen), ['user'], `only the observer's presence is shared: ${JSON.stringify(seen)}`)
      assert.equal(seen.user.id, observerParticipant.id)
      assert.equal(seen.user.role, 'observer')
    }
  })

  test('a connection cannot speak for another participant\'s awareness client id', async () => {
    const { host, candidate, interview } = await env.room()
    const a = env.client(host, interview.id)
    const watcher = env.client(host, interview.id, { label: 'watcher' })
    await Promise.all([a.waitSynced(), watcher.waitSynced()])
    a.awareness.setLocalState({ cursor: { anchor: 7 } })
    await waitFor(() => stateOf(watcher, a.clientId)?.cursor?.anchor === 7, { what: 'watcher to see the host cursor' })

    // The candidate sends, over a raw socket, a state for the host's client id with a far
    // newer clock (moving the host's cursor), then a removal of it (hiding the host).
    const fakeDoc = new Y.Doc()
    fakeDoc.clientID = a.clientId
    const fake = new awarenessProtocol.Awareness(fakeDoc)
    clearInterval(/** @type {any} */ (fake)._checkInterval)
    fake.setLocalState({ cursor: { anchor: 999 } })
    fake.meta.set(a.clientId, { clock: 1000, lastUpdated: Date.now() })
    const moved = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(fake, [a.clientId]))
    fake.meta.set(a.clientId, { clock: 1001, lastUpdated: Date.now() })
    const removed = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(fake, [a.clientId], new Map()))
    const raw = new WebSocket(`${env.server.wsUrl}/ws/yjs/${interview.id}/code`, { headers: { cookie: candidate.cookieHeader } })
    await new Promise((resolve, reject) => { raw.once('open', resolve); raw.once('error', reject) })
    raw.send(moved)
    raw.send(removed)
    // Control: a state for a client id of its own does get through, so the frames above
    // were read and judged (not lost on the way).
    const ownId = 0x3ade68b1
    const ownDoc = new Y.Doc()
    ownDoc.clientID = ownId
    const own = new awarenessProtocol.Awareness(ownDoc)
    own.setLocalState({ cursor: { anchor: 42 } })
    raw.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(own, [ownId])))
    await waitFor(() => stateOf(watcher, ownId)?.cursor?.anchor === 42, {
      what: 'the candidate\'s own raw awareness state to reach the watcher',
      detail: () => JSON.stringify([...watcher.awareness.getStates()])
    })
    assert.equal(stateOf(watcher, ownId).user?.role, 'candidate')
    await sleep(200)
    raw.close()
    fake.destroy()
    own.destroy()

    const seen = stateOf(watcher, a.clientId)
    assert.ok(seen, 'the host\'s state must not be removable by another participant')
    assert.equal(seen.cursor?.anchor, 7, `the host's cursor must not be movable by another participant: ${JSON.stringify(seen)}`)
    assert.equal(seen.user?.role, 'host')
  })
})

/** A y-websocket awareness message. @param {Uint8Array} update */
function awarenessFrame (update) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}
