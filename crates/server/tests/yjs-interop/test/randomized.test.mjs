// Seeded, replayable randomized convergence: several real clients edit at random while the
// harness disconnects and reconnects them (politely and abruptly) and restarts the server
// (SIGTERM and SIGKILL, same port, same database). At the end everyone, and a newcomer, must
// hold identical text.
//
// The seed is printed; `INTEROP_SEED=<seed> npm test` replays the same schedule of operations
// (the interleaving of frames on the wire still depends on timing). `INTEROP_STEPS` changes the
// number of steps (default 400), `INTEROP_RESTARTS` the number of server restarts (default 4).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { suite } from '../lib/env.mjs'
import { createToken } from '../lib/http.mjs'
import { Rng, randomEdit, seedFromEnv } from '../lib/random.mjs'
import { describeClients, sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'
import { diagnoseServerState } from '../lib/diagnose.mjs'

const STEPS = Number(process.env.INTEROP_STEPS ?? 400)
const RESTARTS = Number(process.env.INTEROP_RESTARTS ?? 4)
if (!Number.isInteger(STEPS) || STEPS < 100) throw new Error(`INTEROP_STEPS must be an integer >= 100, got ${process.env.INTEROP_STEPS}`)
if (!Number.isInteger(RESTARTS) || RESTARTS < 0 || RESTARTS > 8) throw new Error(`INTEROP_RESTARTS must be an integer in 0..8, got ${process.env.INTEROP_RESTARTS}`)

await suite('randomized convergence', env => {
  test('clients editing through random disconnects and server restarts converge (seeded)', { timeout: 90_000 }, async t => {
    const seed = seedFromEnv()
    const replay = `INTEROP_SEED=${seed}`
    t.diagnostic(`seed ${seed} (replay with ${replay})`)
    process.stderr.write(`# randomized convergence [${env.backend}]: seed ${seed} (replay with ${replay})\n`)
    const rng = new Rng(seed)

    const { host, interviewer, candidate, observer, interview } = await env.room({ interviewer: true, observer: true })
    assert.ok(interviewer && candidate && observer)
    const token = await createToken(interviewer)
    const writerAuth = [host, interviewer, candidate, { token }, host, candidate]
    const writers = writerAuth.map((who, i) => env.client(who, interview.id, { label: `writer${i}`, maxBackoffTime: 400 }))
    const reader = env.client(observer, interview.id, { label: 'observer', maxBackoffTime: 400 })
    const everyone = [...writers, reader]
    await Promise.all(everyone.map(c => c.waitSynced()))

    // Restarts at seeded steps; the first is a SIGTERM and the second a SIGKILL, so both
    // kinds happen in every run. A restart due while the server is down waits for it.
    const restartSteps = new Set()
    while (restartSteps.size < RESTARTS) restartSteps.add(rng.int(20, STEPS - 60))
    /** @type {Array<{step: number, signal: 'SIGTERM'|'SIGKILL'}>} */
    const restarts = [...restartSteps].sort((x, y) => x - y)
      .map((step, i) => ({ step, signal: i === 0 ? 'SIGTERM' : i === 1 ? 'SIGKILL' : rng.pick(['SIGTERM', 'SIGKILL']) }))
    const signalsUsed = restarts.map(r => r.signal)
    /** @type {string[]} the operations, for the failure message */
    const trace = []
    let downFor = 0
    for (let step = 0; step < STEPS; step++) {
      if (downFor === 0 && restarts.length > 0 && restarts[0].step <= step) {
        const signal = /** @type {'SIGTERM'|'SIGKILL'} */ (restarts.shift()?.signal)
        const stopped = await env.server.stop(signal)
        downFor = rng.int(1, 12)
        trace.push(`${step}: server ${signal} (exit ${stopped.code ?? stopped.signal} after ${stopped.ms} ms), down for ${downFor} steps`)
      } else if (downFor > 0 && --downFor === 0) {
        await env.server.start()
        trace.push(`${step}: server started`)
      }
      const roll = rng.next()
      if (roll < 0.7) {
        const writer = rng.pick(writers)
        const edits = rng.int(1, 3)
        for (let k = 0; k < edits; k++) randomEdit(rng, writer.text)
        trace.push(`${step}: ${writer.label} ${edits} edit(s)`)
      } else if (roll < 0.8) {
        const online = everyone.filter(c => c.provider.shouldConnect)
        if (online.length > 0) {
          const client = rng.pick(online)
          const abrupt = rng.chance(0.5)
          if (abrupt) client.dropAbruptly()
          else client.disconnect()
          trace.push(`${step}: ${client.label} ${abrupt ? 'dropped' : 'disconnected'}`)
        }
      } else if (roll < 0.9) {
        const offline = everyone.filter(c => !c.provider.shouldConnect)
        if (offline.length > 0) {
          const client = rng.pick(offline)
          client.connect()
          trace.push(`${step}: ${client.label} reconnects`)
        }
      } else {
        const ms = rng.int(1, 40)
        trace.push(`${step}: pause ${ms} ms`)
        await sleep(ms)
      }
      if (rng.chance(0.5)) await sleep(rng.int(0, 6))
    }
    if (!env.server.child) await env.server.start()
    assert.equal(restarts.length, 0, 'restarts left over')
    for (const client of everyone) if (!client.provider.shouldConnect) client.connect()
    assert.equal(env.server.starts, 1 + signalsUsed.length, 'every scheduled restart happened')

    const failure = () => `${replay}\nlast operations:\n  ${trace.slice(-25).join('\n  ')}\nserver warnings and errors:\n${env.server.problems.join('\n') || '(none)'}\nserver log:\n${env.server.logTail(15)}`
    let text
    try {
      text = await waitForConvergence(everyone, { timeout: 30_000, what: `all clients to converge (${replay})` })
    } catch (err) {
      throw new Error(`${/** @type {Error} */ (err).message}\n${failure()}`)
    }
    const fresh = env.client(host, interview.id, { label: 'newcomer' })
    await fresh.waitSynced()
    // Not right at `synced`: a joiner's SyncStep2 can lag the document (its own test in
    // convergence.test.mjs); here the question is whether the server holds the converged state.
    await waitFor(() => fresh.toString() === text, { timeout: 5000, what: 'the newcomer to catch up' }).catch(() => {})
    if (fresh.toString() !== text) {
      const diagnosis = await diagnoseServerState({ wsUrl: env.server.wsUrl, interviewId: interview.id, auth: { cookie: observer.cookieHeader }, reference: writers[0] })
      assert.equal(fresh.toString(), text, `a newcomer gets the converged text\n${diagnosis}\n${describeClients([fresh, ...everyone])}\n${failure()}`)
    }
    t.diagnostic(`the newcomer's text when it reported synced: ${fresh.textsAtSync[0] === text ? 'complete' : `${fresh.textsAtSync[0]?.length} of ${text.length} chars (see the joiner test in convergence.test.mjs)`}`)
    t.diagnostic(`converged on ${text.length} chars after ${STEPS} steps and ${signalsUsed.length} restarts (${signalsUsed.join(', ')})`)
  })
})
