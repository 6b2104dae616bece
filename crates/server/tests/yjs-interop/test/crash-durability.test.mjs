// Crash durability: a client types without pause, a second client records every update the
// server sends it, and the server is killed with SIGKILL mid-typing (three times: twice within
// a second of typing, while the room has not snapshotted yet, and once after seconds of typing,
// when the room has snapshotted and the journal has been trimmed behind it). After each
// restart a newcomer must find every character the recording client had received: nothing
// that reached a peer may be lost. Then the typist reconnects with what it typed meanwhile and
// everyone converges on exactly what was typed.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { suite } from '../lib/env.mjs'
import { sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

/** Text of a document rebuilt from `updates` only. @param {Uint8Array[]} updates */
function textOf (updates) {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  const text = doc.getText('code').toString()
  doc.destroy()
  return text
}

/** Whether state vector `a` covers `b` (has every client's clock at least as far). */
function covers (/** @type {Map<number, number>} */ a, /** @type {Map<number, number>} */ b) {
  return [...b].every(([client, clock]) => (a.get(client) ?? 0) >= clock)
}

await suite('crash durability', env => {
  test('SIGKILL mid-typing loses nothing a peer had received, and the typist catches up', { timeout: 90_000 }, async t => {
    const { host, interviewer, interview } = await env.room({ interviewer: true, candidate: false })
    assert.ok(interviewer)
    const typist = env.client(host, interview.id, { label: 'typist', maxBackoffTime: 300 })
    const witness = env.client(interviewer, interview.id, { label: 'witness', maxBackoffTime: 300 })
    await Promise.all([typist.waitSynced(), witness.waitSynced()])

    /** @type {Uint8Array[]} every update the witness received from the server */
    const received = []
    witness.doc.on('update', (update, origin) => {
      if (origin === witness.provider) received.push(update)
    })

    // Appends only, each chunk unique ("17|"), so what the server holds is always a prefix
    // of `typed`, and a gap shows as a mismatch.
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

    let previous = ''
    try {
      for (const round of [1, 2, 3]) {
        // Round 3 types past snapshots and the journal's trims behind them (every 5 s).
        await sleep(round === 3 ? 7000 : 600 + round * 150)
        await waitFor(() => witness.toString().length > previous.length, { what: `round ${round}: the witness to receive typing` })
        await env.server.stop('SIGKILL')
        // Hold the typist back so the check below sees only what the server kept.
        typist.disconnect()
        // Let the witness read whatever the kernel still had buffered from the dead server.
        await waitFor(() => !witness.connected, { what: 'the witness socket to close' })
        const witnessed = textOf(received)
        assert.equal(witnessed, witness.toString(), 'the recorded updates rebuild the witness text')
        assert.ok(typed.startsWith(witnessed), 'the witness holds a prefix of what was typed')
        assert.ok(witnessed.length > previous.length, `round ${round}: the witness received new typing before the kill`)
        const witnessSv = Y.decodeStateVector(Y.encodeStateVector(witness.doc))

        await env.server.start()
        const fresh = env.client(interviewer, interview.id, { label: `newcomer${round}` })
        await fresh.waitSynced()
        // Not right at `synced`: a joiner's SyncStep2 can lag the document (its own test in
        // convergence.test.mjs); here the question is what the restarted server holds.
        await waitFor(() => covers(Y.decodeStateVector(Y.encodeStateVector(fresh.doc)), witnessSv), { timeout: 3000, what: '' }).catch(() => {})
        const kept = fresh.toString()
        const lostAt = [...witnessed].findIndex((ch, i) => kept[i] !== ch)
        assert.ok(kept.startsWith(witnessed),
          `round ${round}: the restarted server lost what a peer had received: witness had ${witnessed.length} chars, ` +
          `server has ${kept.length}; first difference at ${lostAt}: witness ${JSON.stringify(witnessed.slice(Math.max(0, lostAt - 10), lostAt + 20))} ` +
          `server ${JSON.stringify(kept.slice(Math.max(0, lostAt - 10), lostAt + 20))}`)
        assert.ok(covers(Y.decodeStateVector(Y.encodeStateVector(fresh.doc)), witnessSv), 'the server state vector covers the witness\'s')
        assert.ok(typed.startsWith(kept), 'the server holds nothing that was not typed')
        t.diagnostic(`round ${round}: witness had ${witnessed.length} chars at the kill, the restarted server ${kept.length}, the typist ${typed.length}`)
        fresh.destroy()
        previous = witnessed
        typist.connect()
        await typist.waitSynced()
      }
    } finally {
      typing = false
      await typer
    }
    const newcomer = env.client(host, interview.id, { label: 'final newcomer' })
    const text = await waitForConvergence([typist, witness, newcomer], { what: 'typist, witness and a newcomer to converge' })
    assert.equal(text, typed, 'everyone ends with exactly what was typed')
  })

  test('notes and a switched language survive SIGKILL and SIGTERM restarts', async () => {
    const { host, interviewer, interview } = await env.room({ interviewer: true, candidate: false, language: 'python' })
    assert.ok(interviewer)
    const notes = env.client(host, interview.id, { doc: 'notes', label: 'notes writer' })
    const code = env.client(host, interview.id, { label: 'code writer' })
    const reader = env.client(interviewer, interview.id, { doc: 'notes', label: 'notes reader' })
    await Promise.all([notes.waitSynced(), code.waitSynced(), reader.waitSynced()])
    notes.insert(0, 'communicates clearly')
    code.meta.set('language', 'rust')
    code.insert(0, 'fn main() {}')
    await waitFor(() => reader.toString() === 'communicates clearly', { what: 'the notes to reach the other interviewer' })
    // Give the code update its round trip through the server before the kill.
    const other = env.client(interviewer, interview.id, { label: 'code reader' })
    await waitFor(() => other.toString() === 'fn main() {}' && other.meta.get('language') === 'rust', { what: 'the code and language to reach a peer' })
    env.closeClients()

    for (const signal of /** @type {const} */ (['SIGKILL', 'SIGTERM'])) {
      await env.server.restart(signal)
      const n = env.client(interviewer, interview.id, { doc: 'notes', label: `notes after ${signal}` })
      const c = env.client(interviewer, interview.id, { label: `code after ${signal}` })
      await Promise.all([n.waitSynced(), c.waitSynced()])
      await waitFor(() => n.toString() === 'communicates clearly' && c.toString() === 'fn main() {}' && c.meta.get('language') === 'rust', {
        timeout: 5000,
        what: `notes, code and language after ${signal}`,
        detail: () => `notes=${JSON.stringify(n.toString())} code=${JSON.stringify(c.toString())} language=${c.meta.get('language')}`
      })
      env.closeClients()
    }
  })

  test('a few edits in an open room survive SIGKILL, snapshotted within seconds where the store keeps a journal', async () => {
    const { host, interviewer, interview } = await env.room({ interviewer: true, candidate: false })
    assert.ok(interviewer)
    const writer = env.client(host, interview.id, { label: 'writer' })
    const reader = env.client(interviewer, interview.id, { label: 'reader' })
    await Promise.all([writer.waitSynced(), reader.waitSynced()])
    const movedBefore = await env.server.counter('codeview_doc_journal_moved_total')
    for (const word of ['a ', 'few ', 'edits']) writer.insert(writer.text.length, word)
    await waitFor(() => reader.toString() === 'a few edits', { what: 'the edits to reach the reader' })
    // Far fewer than the 500 entries that also trigger a snapshot: only time does here. The
    // journal (SQLite's; PostgreSQL keeps none) drops entries 5 s old that a snapshot covers
    // and moves (and counts) the rest.
    await sleep(7000)
    assert.equal(await env.server.counter('codeview_doc_journal_moved_total'), movedBefore,
      'the journal moved entries no snapshot covered: the open room did not snapshot them')
    // Closed first, so that what the restarted server holds is all the newcomer can see.
    env.closeClients()
    await env.server.restart('SIGKILL')
    const after = env.client(interviewer, interview.id, { label: 'after the kill' })
    await after.waitSynced()
    await waitFor(() => after.toString() === 'a few edits', { timeout: 5000, what: 'the edits after SIGKILL', detail: () => JSON.stringify(after.toString()) })
  })
})
