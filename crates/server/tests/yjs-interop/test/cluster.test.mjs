// Live documents across three instances with the real npm client: the host on A, the
// candidate on B and an observer on C edit one document and see each other's presence; the
// owner of the live document is killed with SIGKILL mid-typing and the clients carry on
// through the other instances without losing anything a peer had received; the suite's Redis
// is killed and started again mid-session and everyone converges without a server restart.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { clusterSuite } from '../lib/cluster.mjs'
import { participants } from '../lib/http.mjs'
import { describeClients, sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

/** Text and state vector of a document rebuilt from `updates` only. @param {Uint8Array[]} updates */
function rebuild (updates) {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  const text = doc.getText('code').toString()
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc))
  doc.destroy()
  return { text, sv }
}

/** Whether state vector `a` covers `b` (has every client's clock at least as far). */
function covers (/** @type {Map<number, number>} */ a, /** @type {Map<number, number>} */ b) {
  return [...b].every(([client, clock]) => (a.get(client) ?? 0) >= clock)
}

/** @param {import('../lib/yclient.mjs').YClient} client */
const stateVector = client => Y.decodeStateVector(Y.encodeStateVector(client.doc))

await clusterSuite('cluster', env => {
  test('host on A, candidate on B, observer on C: edits converge and presence crosses instances', async () => {
    const { host, candidate, observer, interview } = await env.room({ observer: true })
    assert.ok(candidate && observer)
    const a = env.client(host, interview.id, 0)
    const b = env.client(candidate, interview.id, 1)
    const c = env.client(observer, interview.id, 2)
    await Promise.all([a, b, c].map(client => client.waitSynced()))

    a.insert(0, 'def solve():\n')
    await waitFor(() => b.toString() === 'def solve():\n' && c.toString() === 'def solve():\n', {
      what: 'the host\'s edit on A to reach B and C', detail: () => describeClients([a, b, c])
    })
    b.insert(b.text.length, '    return 42\n')
    a.insert(0, '# warm-up\n')
    const text = await waitForConvergence([a, b, c], { what: 'A, B and C to converge' })
    assert.equal(text, '# warm-up\ndef solve():\n    return 42\n')

    // The observer is read-only on every instance: its edit never reaches the others.
    c.insert(0, 'observer was here ')
    await sleep(500)
    assert.equal(a.toString(), text, 'an observer\'s edit relayed from C must not land')
    assert.equal(b.toString(), text)

    // Presence: the candidate's cursor on B reaches A and C with the server's identity.
    const people = await participants(host, interview.id)
    const candidateParticipant = people.find(p => p.role === 'candidate')
    assert.ok(candidateParticipant, JSON.stringify(people))
    b.awareness.setLocalState({ user: { name: 'Mallory', role: 'host' }, cursor: { anchor: 4, head: 4 } })
    for (const watcher of [a, c]) {
      await waitFor(() => watcher.awareness.getStates().get(b.clientId)?.cursor?.anchor === 4, {
        what: `the candidate's cursor from B at ${watcher.label}`,
        detail: () => JSON.stringify([...watcher.awareness.getStates()])
      })
      const seen = watcher.awareness.getStates().get(b.clientId)
      assert.equal(seen.user.id, candidateParticipant.id)
      assert.equal(seen.user.role, 'candidate')
      assert.equal(seen.user.name, 'Casey Candidate')
    }
    // The host's on A reaches B.
    a.awareness.setLocalState({ cursor: { anchor: 1, head: 2 } })
    await waitFor(() => b.awareness.getStates().get(a.clientId)?.cursor?.head === 2, { what: 'the host\'s cursor from A at B' })

    // Leaving without a goodbye on B removes the state on A and C (no ghost across instances).
    b.dropAbruptly()
    for (const watcher of [a, c]) {
      await waitFor(() => !watcher.awareness.getStates().has(b.clientId), {
        timeout: 8000,
        what: `the dropped candidate's presence to leave ${watcher.label}`,
        detail: () => JSON.stringify([...watcher.awareness.getStates()])
      })
    }

    // A newcomer on every instance gets the document.
    for (const at of [0, 1, 2]) {
      const fresh = env.client(host, interview.id, at, { label: `newcomer@${env.servers[at].label}` })
      await fresh.waitSynced()
      await waitFor(() => fresh.toString() === text, { timeout: 5000, what: `a newcomer on ${env.servers[at].label} to get the text` })
    }
  })

  test('SIGKILL of the live document\'s owner mid-typing: clients re-sync through the others, nothing a peer received is lost', { timeout: 90_000 }, async t => {
    const { host, candidate, observer, interview } = await env.room({ observer: true })
    assert.ok(candidate && observer)
    // The host opens the document first, on A; the lease tells who owns it.
    const hostClient = env.client(host, interview.id, 0, { label: 'host@A' })
    await hostClient.waitSynced()
    const typist = env.client(candidate, interview.id, 1, { label: 'typist@B' })
    const witness = env.client(observer, interview.id, 2, { label: 'witness@C' })
    await Promise.all([typist.waitSynced(), witness.waitSynced()])
    const owner = await env.waitForOwner(interview.id)
    t.diagnostic(`owner of the live document: ${owner.label}`)

    /** @type {Uint8Array[]} every update the witness received from its server */
    const received = []
    witness.doc.on('update', (update, origin) => {
      if (origin === witness.provider) received.push(update)
    })
    let typed = ''
    let typing = true
    const typer = (async () => {
      for (let n = 0; typing; n++) {
        const chunk = `${n}|`
        typist.text.insert(typist.text.length, chunk)
        typed += chunk
        await sleep(n % 7 === 0 ? 5 : 1)
      }
    })()

    const everyone = [hostClient, typist, witness]
    try {
      await sleep(1500)
      await waitFor(() => witness.toString().length > 0, { what: 'the witness to receive typing' })
      const closesBefore = witness.closeCodes.length
      const killedAt = Date.now()
      await owner.stop('SIGKILL')
      // Hold the typist back, so that what the newcomer finds below is only what the cluster kept.
      typist.disconnect()
      const survivors = env.running()
      // Clients of the dead instance go to a surviving one (a load balancer would do the same).
      for (const client of everyone) {
        if (client.provider.serverUrl.startsWith(`${owner.wsUrl}/`)) client.hopTo(survivors[0].wsUrl)
      }
      // The witness's connection ends (its owner is gone, or it was on the owner): whatever
      // it received up to then was acknowledged by the old owner.
      await waitFor(() => witness.closeCodes.length > closesBefore, {
        timeout: 15_000, what: 'the witness\'s connection to the dead owner to end', detail: () => describeClients(everyone)
      })
      const { text: witnessed, sv: witnessSv } = rebuild(received)
      t.diagnostic(`the witness's connection ended ${Date.now() - killedAt} ms after the kill (close codes ${witness.closeCodes.slice(closesBefore).join(', ')})`)
      assert.ok(typed.startsWith(witnessed), 'the witness holds a prefix of what was typed')
      assert.ok(witnessed.length > 0, 'the witness received typing before the kill')

      const newOwner = await env.waitForOwner(interview.id, { timeout: 20_000 }).catch(() => null)
      const fresh = env.client(observer, interview.id, survivors[survivors.length - 1], { label: 'newcomer' })
      await fresh.waitSynced(20_000)
      await waitFor(() => covers(stateVector(fresh), witnessSv), { timeout: 5000, what: '' }).catch(() => {})
      const kept = fresh.toString()
      assert.ok(kept.startsWith(witnessed),
        `the cluster lost what a peer had received: the witness had ${witnessed.length} chars, a newcomer gets ${kept.length}\n${env.problems()}`)
      assert.ok(typed.startsWith(kept), 'the cluster holds nothing that was not typed')
      t.diagnostic(`at the kill the witness had ${witnessed.length} chars; after the failover (new owner ${newOwner?.label ?? 'not seen'}) a newcomer found ${kept.length}`)

      typist.connect()
      await typist.waitSynced(20_000)
      await sleep(1000)
    } finally {
      typing = false
      await typer
    }
    const text = await waitForConvergence([...everyone], { timeout: 30_000, what: 'everyone to converge after the failover' })
    assert.equal(text, typed, 'everyone ends with exactly what was typed')

    // The killed instance comes back and serves the document too.
    await owner.start()
    const back = env.client(host, interview.id, owner, { label: `back on ${owner.label}` })
    await back.waitSynced(20_000)
    await waitFor(() => back.toString() === typed, { timeout: 10_000, what: 'the restarted instance to serve the document' })
  })

  test('Redis killed and restarted mid-session: the instances recover by themselves and everyone converges', { timeout: 90_000 }, async t => {
    const { host, candidate, interviewer, interview } = await env.room({ interviewer: true })
    assert.ok(candidate && interviewer)
    const a = env.client(host, interview.id, 0)
    const b = env.client(candidate, interview.id, 1)
    const c = env.client(interviewer, interview.id, 2)
    const everyone = [a, b, c]
    await Promise.all(everyone.map(client => client.waitSynced()))
    a.insert(0, 'before|')
    await waitForConvergence(everyone, { what: 'convergence before the outage' })
    const startsBefore = env.servers.map(server => server.starts)

    await env.redis.stop('SIGKILL')
    // Everyone keeps typing while Redis is away (what needs another instance waits or is refused).
    const typedDuring = []
    for (let i = 0; i < 20; i++) {
      const client = everyone[i % 3]
      const chunk = `${client.label.split('@')[1]}${i}|`
      client.insert(client.text.length, chunk)
      typedDuring.push(chunk)
      await sleep(100)
    }
    await env.redis.start()
    const back = Date.now()
    let text
    try {
      text = await waitForConvergence(everyone, { timeout: 45_000, what: 'convergence after Redis came back' })
    } catch (err) {
      throw new Error(`${/** @type {Error} */ (err).message}\nserver warnings and errors:\n${env.problems()}`)
    }
    t.diagnostic(`converged ${Date.now() - back} ms after Redis came back`)
    for (const chunk of ['before|', ...typedDuring]) assert.ok(text.includes(chunk), `${chunk} survived the outage`)
    assert.deepEqual(env.servers.map(server => server.starts), startsBefore, 'no instance was restarted')

    // And the cluster works as before: a new edit on C reaches A, a newcomer on B gets it all.
    c.insert(0, 'after|')
    await waitFor(() => a.toString().startsWith('after|'), { timeout: 10_000, what: 'an edit on C to reach A after the outage' })
    const fresh = env.client(host, interview.id, 1, { label: 'newcomer@B' })
    await fresh.waitSynced()
    await waitForConvergence([...everyone, fresh], { what: 'the newcomer to converge' })
  })
})
