// Seeded, replayable randomized convergence across three instances: real clients edit at
// random while the harness moves them between instances (as a load balancer without sticky
// sessions would on every reconnect), drops and reconnects them, and kills (SIGKILL) or
// stops (SIGTERM) instances and starts them again — one instance down at a time, so that
// the others always serve. At the end everyone, and a newcomer on every instance, must hold
// identical text (a client never drops its own edits, so converging means none was lost).
//
// The seed is printed; `INTEROP_SEED=<seed>` replays the same schedule of operations (the
// interleaving on the wire still depends on timing). `INTEROP_CLUSTER_STEPS` sets the number
// of steps (default 300), `INTEROP_CLUSTER_KILLS` the number of instance stops (default 3).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { clusterSuite } from '../lib/cluster.mjs'
import { Rng, randomEdit, seedFromEnv } from '../lib/random.mjs'
import { describeClients, sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

const STEPS = Number(process.env.INTEROP_CLUSTER_STEPS ?? 300)
const KILLS = Number(process.env.INTEROP_CLUSTER_KILLS ?? 3)
if (!Number.isInteger(STEPS) || STEPS < 100) throw new Error(`INTEROP_CLUSTER_STEPS must be an integer >= 100, got ${process.env.INTEROP_CLUSTER_STEPS}`)
if (!Number.isInteger(KILLS) || KILLS < 0 || KILLS > 6) throw new Error(`INTEROP_CLUSTER_KILLS must be an integer in 0..6, got ${process.env.INTEROP_CLUSTER_KILLS}`)

await clusterSuite('randomized cluster convergence', env => {
  test('clients hopping between instances that are killed and restarted converge (seeded)', { timeout: 180_000 }, async t => {
    const seed = seedFromEnv()
    const replay = `INTEROP_SEED=${seed}`
    t.diagnostic(`seed ${seed} (replay with ${replay})`)
    process.stderr.write(`# randomized cluster convergence: seed ${seed} (replay with ${replay})\n`)
    const rng = new Rng(seed)

    const { host, interviewer, candidate, observer, interview } = await env.room({ interviewer: true, observer: true })
    assert.ok(interviewer && candidate && observer)
    const writerAuth = [host, interviewer, candidate, host, candidate, interviewer]
    const writers = writerAuth.map((who, i) => env.client(who, interview.id, i % env.size, { label: `writer${i}` }))
    const reader = env.client(observer, interview.id, 2, { label: 'observer' })
    const everyone = [...writers, reader]
    await Promise.all(everyone.map(c => c.waitSynced()))

    // Kills at seeded steps; the first is a SIGKILL and the second a SIGTERM, so both kinds
    // happen in every run. A kill due while an instance is down waits for it to come back.
    const killSteps = new Set()
    while (killSteps.size < KILLS) killSteps.add(rng.int(20, STEPS - 60))
    /** @type {Array<{step: number, signal: 'SIGTERM'|'SIGKILL'}>} */
    const kills = [...killSteps].sort((x, y) => x - y)
      .map((step, i) => ({ step, signal: i === 0 ? 'SIGKILL' : i === 1 ? 'SIGTERM' : rng.pick(['SIGTERM', 'SIGKILL']) }))
    const signalsUsed = kills.map(k => k.signal)
    /** @type {string[]} the operations, for the failure message */
    const trace = []
    /** @type {import('../lib/server.mjs').CodeviewServer | null} */
    let down = null
    let downFor = 0
    /** @param {import('../lib/yclient.mjs').YClient} client */
    const instanceOf = client => env.servers.find(s => client.provider.serverUrl.startsWith(`${s.wsUrl}/`))
    for (let step = 0; step < STEPS; step++) {
      if (down === null && kills.length > 0 && kills[0].step <= step) {
        const signal = /** @type {'SIGTERM'|'SIGKILL'} */ (kills.shift()?.signal)
        const victim = rng.pick(env.servers)
        const stopped = await victim.stop(signal)
        down = victim
        downFor = rng.int(5, 30)
        // Its clients land elsewhere when they reconnect (a load balancer skips a dead backend).
        const moved = everyone.filter(c => instanceOf(c) === victim)
        for (const client of moved) client.hopTo(rng.pick(env.running()).wsUrl)
        trace.push(`${step}: ${victim.label} ${signal} (exit ${stopped.code ?? stopped.signal} after ${stopped.ms} ms), down for ${downFor} steps; moved ${moved.map(c => c.label).join(', ') || 'nobody'}`)
      } else if (down !== null && --downFor === 0) {
        await down.start()
        trace.push(`${step}: ${down.label} started`)
        down = null
      }
      const roll = rng.next()
      if (roll < 0.6) {
        const writer = rng.pick(writers)
        const edits = rng.int(1, 3)
        for (let k = 0; k < edits; k++) randomEdit(rng, writer.text)
        trace.push(`${step}: ${writer.label} ${edits} edit(s)`)
      } else if (roll < 0.75) {
        const client = rng.pick(everyone)
        const to = rng.pick(env.running())
        client.hopTo(to.wsUrl)
        trace.push(`${step}: ${client.label} hops to ${to.label}`)
      } else if (roll < 0.85) {
        const online = everyone.filter(c => c.provider.shouldConnect)
        if (online.length > 0) {
          const client = rng.pick(online)
          const abrupt = rng.chance(0.5)
          if (abrupt) client.dropAbruptly()
          else client.disconnect()
          trace.push(`${step}: ${client.label} ${abrupt ? 'dropped' : 'disconnected'}`)
        }
      } else if (roll < 0.95) {
        const offline = everyone.filter(c => !c.provider.shouldConnect)
        if (offline.length > 0) {
          const client = rng.pick(offline)
          if (down && instanceOf(client) === down) client.hopTo(rng.pick(env.running()).wsUrl)
          client.connect()
          trace.push(`${step}: ${client.label} reconnects to ${instanceOf(client)?.label}`)
        }
      } else {
        const ms = rng.int(1, 60)
        trace.push(`${step}: pause ${ms} ms`)
        await sleep(ms)
      }
      if (rng.chance(0.5)) await sleep(rng.int(0, 8))
    }
    if (down !== null) await down.start()
    assert.equal(kills.length, 0, 'kills left over')
    assert.equal(env.servers.reduce((n, s) => n + s.starts, 0), env.size + signalsUsed.length, 'every scheduled kill was followed by a start')
    for (const client of everyone) if (!client.provider.shouldConnect) client.connect()

    const failure = () => `${replay}\nlast operations:\n  ${trace.slice(-30).join('\n  ')}\nserver warnings and errors:\n${env.problems()}\nserver logs:\n${env.logTails(8)}`
    let text
    try {
      text = await waitForConvergence(everyone, { timeout: 60_000, what: `all clients to converge (${replay})` })
    } catch (err) {
      throw new Error(`${/** @type {Error} */ (err).message}\n${failure()}`)
    }
    for (const server of env.servers) {
      const fresh = env.client(host, interview.id, server, { label: `newcomer@${server.label}` })
      await fresh.waitSynced(20_000)
      await waitFor(() => fresh.toString() === text, {
        timeout: 10_000,
        what: `a newcomer on ${server.label} to get the converged text`,
        detail: () => `${describeClients([fresh, ...everyone])}\n${failure()}`
      })
    }
    t.diagnostic(`converged on ${text.length} chars after ${STEPS} steps and ${signalsUsed.length} instance stops (${signalsUsed.join(', ')})`)
  })
})
