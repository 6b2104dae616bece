// The test environment of a multi-instance suite: N `codeview serve` processes (A, B, C…) on
// one fresh PostgreSQL database and one Redis of the suite's own (so a test may restart it),
// role actors for a new interview, Yjs clients placed on a chosen instance, and the owner of
// a live document read from its Redis lease.
//
// `clusterSuite(title, body)` runs `body` on PostgreSQL only: SQLite is one process's file, a
// cluster needs the shared store. Missing PostgreSQL or redis-server → the suite is reported
// SKIPPED with the reason, or fails when `CODEVIEW_REQUIRE_POSTGRES=1` / `CODEVIEW_REQUIRE_REDIS=1`.

import { describe, before, after, afterEach, test } from 'node:test'
import { backends, createDatabase } from './database.mjs'
import { CodeviewServer, freePort } from './server.mjs'
import { RedisServer, redisRequired, redisServerBin } from './redis.mjs'
import { Actor, openRoom } from './http.mjs'
import { YClient } from './yclient.mjs'

/** Instance names, in order. */
const NAMES = ['A', 'B', 'C', 'D', 'E']

export class ClusterEnv {
  /** @param {number} size number of server instances (2..5) */
  constructor (size) {
    if (!Number.isInteger(size) || size < 2 || size > NAMES.length) throw new Error(`cluster size ${size} out of 2..${NAMES.length}`)
    this.size = size
    /** @type {CodeviewServer[]} */
    this.servers = []
    /** @type {RedisServer} */
    this.redis = /** @type {any} */ (null)
    /** @type {import('./database.mjs').Database | null} */
    this.database = null
    /** @type {Set<YClient>} */
    this.clients = new Set()
  }

  async setUp () {
    this.database = await createDatabase('postgres')
    this.redis = new RedisServer({ port: await freePort() })
    await this.redis.start()
    for (let i = 0; i < this.size; i++) {
      this.servers.push(new CodeviewServer({
        databaseUrl: this.database.url,
        port: await freePort(),
        label: NAMES[i],
        args: ['--redis-url', this.redis.url]
      }))
    }
    // The first one migrates the fresh database; the others find it ready.
    await this.servers[0].start()
    await Promise.all(this.servers.slice(1).map(server => server.start()))
  }

  async tearDown () {
    this.closeClients()
    await Promise.all(this.servers.map(server => server.dispose()))
    if (this.redis) await this.redis.dispose()
    if (this.database) await this.database.drop()
  }

  closeClients () {
    for (const client of this.clients) client.destroy()
    this.clients.clear()
  }

  /** The instances that are running now. */
  running () {
    return this.servers.filter(server => server.child !== null)
  }

  /**
   * A Yjs client for `interviewId` on instance `at` (index or server), signed in as `who`.
   * @param {Actor} who
   * @param {string} interviewId
   * @param {number | CodeviewServer} at
   * @param {{ doc?: 'code'|'notes', label?: string, connect?: boolean, maxBackoffTime?: number }} [options]
   */
  client (who, interviewId, at, { doc = 'code', label, connect = true, maxBackoffTime = 400 } = {}) {
    const server = typeof at === 'number' ? this.servers[at] : at
    const client = new YClient({
      wsUrl: server.wsUrl,
      interviewId,
      doc,
      auth: { cookie: who.cookieHeader },
      connect,
      maxBackoffTime,
      label: label ?? `${who.name}@${server.label}`
    })
    this.clients.add(client)
    return client
  }

  /**
   * A new interview with its people, made through instance A (see `openRoom`).
   * @param {Parameters<typeof openRoom>[1]} [options]
   */
  room (options) {
    return openRoom(this.servers[0].httpUrl, options)
  }

  /**
   * The instance that holds the live document's lease in Redis (its owner), or null when no
   * running instance holds it. The lease's value is the owner's instance id, which each server
   * logs when it starts.
   * @param {string} interviewId
   * @param {'code'|'notes'} [doc]
   */
  async ownerOf (interviewId, doc = 'code') {
    const holder = await this.redis.command('GET', `codeview:doc-owner:${interviewId}:${doc}`)
    return this.running().find(server => server.instanceId !== null && server.instanceId === holder) ?? null
  }

  /**
   * Waits until a running instance holds the live document's lease and returns it.
   * @param {string} interviewId
   * @param {{ timeout?: number, doc?: 'code'|'notes' }} [options]
   */
  async waitForOwner (interviewId, { timeout = 10_000, doc = 'code' } = {}) {
    const deadline = Date.now() + timeout
    for (;;) {
      const owner = await this.ownerOf(interviewId, doc).catch(() => null)
      if (owner) return owner
      if (Date.now() > deadline) {
        const holder = await this.redis.command('GET', `codeview:doc-owner:${interviewId}:${doc}`).catch(err => err.message)
        const ids = this.servers.map(s => `${s.label}=${s.instanceId}${s.child ? '' : ' (down)'}`).join(' ')
        throw new Error(`timed out after ${timeout} ms waiting for a running owner of ${interviewId}/${doc}: lease holder ${holder}; instances ${ids}`)
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }

  /** Every WARN/ERROR line of every instance, for failure messages. */
  problems () {
    return this.servers.flatMap(server => server.problems).join('\n') || '(none)'
  }

  /** The last log lines of every instance, for failure messages. */
  logTails (lines = 10) {
    return this.servers.map(server => server.logTail(lines)).join('\n')
  }
}

/**
 * Why the cluster suites cannot run here, or false. Throws (a failure) instead when the
 * missing service is required.
 */
async function missingService () {
  const postgres = (await backends()).find(b => b.name === 'postgres')
  if (postgres?.skip) return postgres.skip
  if (!redisServerBin()) {
    const reason = 'redis-server not found (install it or set REDIS_SERVER_BIN); set CODEVIEW_REQUIRE_REDIS=1 to make this a failure'
    if (redisRequired()) throw new Error(`CODEVIEW_REQUIRE_REDIS=1 but ${reason}`)
    return reason
  }
  return false
}

/**
 * Declares `body`'s tests on one cluster of `size` instances (PostgreSQL + Redis). Call it
 * with `await` at the top level of a test file.
 * @param {string} title
 * @param {(env: ClusterEnv) => void} body
 * @param {{ size?: number }} [options]
 */
export async function clusterSuite (title, body, { size = 3 } = {}) {
  const skip = await missingService()
  if (skip) {
    describe(`${title} [postgres + redis]`, () => test('all tests of this suite', { skip }, () => {}))
    return
  }
  describe(`${title} [postgres + redis, ${size} instances]`, () => {
    const env = new ClusterEnv(size)
    before(() => env.setUp(), { timeout: 60_000 })
    after(() => env.tearDown(), { timeout: 30_000 })
    afterEach(() => env.closeClients())
    body(env)
  })
}
