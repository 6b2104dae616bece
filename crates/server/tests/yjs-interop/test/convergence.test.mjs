// Convergence with the real client: two and ten clients, offline edits merged on reconnect,
// the shared language in `meta`, and an API-token client.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { suite } from '../lib/env.mjs'
import { createToken } from '../lib/http.mjs'
import { Rng, randomEdit, seedFromEnv } from '../lib/random.mjs'
import { sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

await suite('convergence', env => {
  test('two clients see each other\'s edits and converge', async () => {
    const { host, candidate, interview } = await env.room()
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])

    a.insert(0, 'def solve():\n')
    await waitFor(() => b.toString() === 'def solve():\n', { what: 'candidate to see the host edit', detail: () => b.toString() })
    b.insert(b.text.length, '    return 42\n')
    await waitFor(() => a.toString().endsWith('return 42\n'), { what: 'host to see the candidate edit', detail: () => a.toString() })

    // Concurrent edits at the same position.
    a.insert(0, '# host\n')
    b.insert(0, '# candidate\n')
    const text = await waitForConvergence([a, b])
    assert.ok(text.includes('# host\n') && text.includes('# candidate\n'), text)
    assert.ok(text.endsWith('def solve():\n    return 42\n'), text)

    // The server holds the same state: a newcomer receives it.
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.toString(), text)
  })

  test('ten clients with random concurrent inserts and deletes end with identical text', async () => {
    const seed = seedFromEnv()
    const rng = new Rng(seed)
    const { host, interviewer, candidate, interview } = await env.room({ interviewer: true })
    const actors = [host, interviewer, candidate]
    const clients = Array.from({ length: 10 }, (_, i) => env.client(actors[i % 3] ?? host, interview.id, { label: `client${i}` }))
    await Promise.all(clients.map(c => c.waitSynced()))

    // Rounds of edits on every client without waiting in between: truly concurrent.
    for (let round = 0; round < 20; round++) {
      for (const client of clients) {
        for (let k = rng.int(0, 3); k > 0; k--) randomEdit(rng, client.text)
      }
      await sleep(rng.int(0, 15))
    }
    const text = await waitForConvergence(clients, { what: `10 clients to converge (INTEROP_SEED=${seed})` })
    assert.ok(text.length > 0, 'the edits left some text')
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.toString(), text, `a fresh client gets the converged text (INTEROP_SEED=${seed})`)
  })

  test('offline edits on both sides merge when the client reconnects', async () => {
    const { host, candidate, interview } = await env.room()
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    a.insert(0, 'line one\nline two\n')
    await waitForConvergence([a, b])

    // A polite disconnect (the user goes offline) ...
    b.disconnect()
    await waitFor(() => !b.connected, { what: 'candidate to go offline' })
    a.insert(0, 'host-while-b-offline\n')
    b.insert(b.text.length, 'b-offline-edit\n')
    b.text.delete(0, 4) // "line" of "line one"
    await sleep(100)
    assert.ok(!a.toString().includes('b-offline-edit'), 'an offline edit must not travel')
    b.connect()
    let text = await waitForConvergence([a, b], { what: 'convergence after a reconnect' })
    assert.equal(text, 'host-while-b-offline\n one\nline two\nb-offline-edit\n')

    // ... and an abrupt one (the connection dies without a close handshake).
    a.dropAbruptly()
    await waitFor(() => !a.connected, { what: 'host connection to drop' })
    a.insert(0, 'A')
    b.insert(b.text.length, 'B')
    a.connect()
    text = await waitForConvergence([a, b], { what: 'convergence after an abrupt drop' })
    assert.equal(text, 'Ahost-while-b-offline\n one\nline two\nb-offline-edit\nB')
  })

  test('the language in meta starts as the interview\'s and a switch is seen by all', async () => {
    const { host, candidate, interview } = await env.room({ language: 'python' })
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    await waitFor(() => a.meta.get('language') === 'python' && b.meta.get('language') === 'python', {
      what: 'meta.language to be the interview language',
      detail: () => `host=${a.meta.get('language')} candidate=${b.meta.get('language')}`
    })

    a.meta.set('language', 'rust')
    await waitFor(() => b.meta.get('language') === 'rust', { what: 'candidate to see rust', detail: () => String(b.meta.get('language')) })
    b.meta.set('language', 'go')
    await waitFor(() => a.meta.get('language') === 'go', { what: 'host to see go', detail: () => String(a.meta.get('language')) })

    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.meta.get('language'), 'go')
  })

  test('a joiner\'s first sync (SyncStep2) holds the whole document, also after recent small edits', async () => {
    // y-websocket reports `synced` when the server's SyncStep2 is applied; apps act on it
    // (show the editor, insert starter code into an empty document), so that message must
    // carry the whole state, not an old snapshot with the recent changes in a later frame.
    const { host, interview } = await env.room({ candidate: false })
    const a = env.client(host, interview.id)
    await a.waitSynced()
    const line = 'print("a line of a longer program, long enough to pass a few kilobytes")\n'
    a.insert(0, line.repeat(60)) // ~4.3 KB in one update
    for (let i = 0; i < 10; i++) {
      a.insert(i * line.length, `# edit ${i}\n`)
      await sleep(5)
    }
    // Wait until the server holds all of it: a second client sees the full text.
    const b = env.client(host, interview.id, { label: 'second' })
    await waitForConvergence([a, b])
    await sleep(100)

    for (const round of [1, 2]) {
      const joiner = env.client(host, interview.id, { label: `joiner${round}` })
      await joiner.waitSynced()
      await waitFor(() => joiner.toString() === a.toString(), { what: 'the joiner to catch up at all', detail: () => `${joiner.toString().length} vs ${a.toString().length} chars` })
      const atSync = joiner.textsAtSync[0]
      assert.equal(atSync.length, a.toString().length,
        `round ${round}: text length when the provider reported synced (${atSync.length}) vs the document (${a.toString().length}); ` +
        `missing edits: ${[...Array(10).keys()].filter(i => !atSync.includes(`# edit ${i}\n`)).join(', ') || 'none'}`)
      assert.equal(atSync, a.toString())
      joiner.destroy()
    }
  })

  test('a 1 MB paste reaches peers and newcomers, and edits around it keep converging', async () => {
    const { host, candidate, interview } = await env.room()
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    const big = 'x = [' + '1234567, '.repeat(116_000) + ']\n' // ~1 MB, one update
    a.insert(0, big)
    await waitFor(() => b.text.length === big.length, { timeout: 15_000, what: 'the peer to receive the paste', detail: () => `${b.text.length} of ${big.length}` })
    b.insert(0, '# big\n')
    a.insert(a.text.length, '# end\n')
    const text = await waitForConvergence([a, b], { timeout: 15_000 })
    assert.equal(text, `# big\n${big}# end\n`)
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced(15_000)
    await waitFor(() => fresh.toString() === text, { timeout: 15_000, what: 'a newcomer to get the 1 MB document', detail: () => `${fresh.text.length} chars` })
  })

  test('a client that stops reading during a 1 MB flood catches up when it reads again', async () => {
    const { host, candidate, interview } = await env.room()
    const a = env.client(host, interview.id)
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    const socket = /** @type {any} */ (b.provider.ws)._socket
    socket.pause() // a frozen tab: it stops reading; the server's writes to it back up
    let expected = ''
    const filler = 'y'.repeat(4000)
    for (let i = 0; i < 300; i++) {
      const chunk = `${i}${filler};`
      a.insert(a.text.length, chunk)
      expected += chunk
      if (i % 10 === 0) await sleep(1)
    }
    // Everything is on the server (another client has it) while the slow one is still paused.
    const c = env.client(host, interview.id, { label: 'third' })
    await waitFor(() => c.toString() === expected, { timeout: 20_000, what: 'a third client to get the flood' })
    socket.resume()
    const text = await waitForConvergence([a, b], { timeout: 20_000, what: 'the slow client to catch up' })
    // Whether the server cut it off on the way (outbox full) is not asserted: on loopback the
    // kernel buffers tens of megabytes (tcp_rmem max 32 MB here) before the outbox can fill.
    assert.equal(text, expected)
  })

  test('a client authenticated with ?token= collaborates like a cookie client', async () => {
    const { host, candidate, interview } = await env.room()
    const token = await createToken(host)
    const a = env.client({ token }, interview.id, { label: 'token client' })
    const b = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), b.waitSynced()])
    a.insert(0, 'via token')
    await waitFor(() => b.toString() === 'via token', { what: 'cookie client to see the token client edit', detail: () => b.toString() })
    b.insert(0, 'cookie sees ')
    assert.equal(await waitForConvergence([a, b]), 'cookie sees via token')
  })
})
