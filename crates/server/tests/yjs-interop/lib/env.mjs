// The test environment of one suite: a fresh database, the real server on a free port, role
// actors for a new interview, and the Yjs clients to tear down afterwards.
// `suite(title, body)` runs `body` once per backend (SQLite, and PostgreSQL when configured).

import { describe, before, after, afterEach, test } from 'node:test'
import { backends, createDatabase } from './database.mjs'
import { CodeviewServer, freePort } from './server.mjs'
import { Actor, openRoom } from './http.mjs'
import { YClient } from './yclient.mjs'

export class TestEnv {
  /** @param {'sqlite'|'postgres'} backend */
  constructor (backend) {
    this.backend = backend
    /** @type {CodeviewServer} */
    this.server = /** @type {any} */ (null)
    /** @type {import('./database.mjs').Database | null} */
    this.database = null
    /** @type {Set<YClient>} */
    this.clients = new Set()
  }

  async setUp () {
    this.database = await createDatabase(this.backend)
    this.server = new CodeviewServer({ databaseUrl: this.database.url, port: await freePort(), label: this.backend })
    await this.server.start()
  }

  async tearDown () {
    this.closeClients()
    if (this.server) await this.server.dispose()
    if (this.database) await this.database.drop()
  }

  closeClients () {
    for (const client of this.clients) client.destroy()
    this.clients.clear()
  }

  /**
   * A Yjs client for `interviewId`, signed in as `who` (its cookie) or with `{token}`.
   * @param {Actor | {token: string} | null} who null: no credentials at all
   * @param {string} interviewId
   * @param {{ doc?: 'code'|'notes', label?: string, connect?: boolean, maxBackoffTime?: number }} [options]
   */
  client (who, interviewId, { doc = 'code', label, connect = true, maxBackoffTime } = {}) {
    /** @type {import('./yclient.mjs').Auth} */
    let auth = {}
    if (who instanceof Actor) auth = { cookie: who.cookieHeader }
    else if (who && 'token' in who) auth = { token: who.token }
    const client = new YClient({
      wsUrl: this.server.wsUrl,
      interviewId,
      doc,
      auth,
      connect,
      maxBackoffTime,
      label: label ?? (who instanceof Actor ? who.name : 'token client')
    })
    this.clients.add(client)
    return client
  }

  /**
   * A new interview with its people (see `openRoom`).
   * @param {Parameters<typeof openRoom>[1]} [options]
   */
  room (options) {
    return openRoom(this.server.httpUrl, options)
  }
}

/**
 * Declares `body`'s tests once per backend, each with its own database and server. Call it
 * with `await` at the top level of a test file (finding the backends is asynchronous).
 * @param {string} title
 * @param {(env: TestEnv) => void} body
 */
export async function suite (title, body) {
  for (const backend of await backends()) {
    if (backend.skip) {
      // A skipped test (not a skipped suite) so that the summary counts it as skipped.
      describe(`${title} [${backend.name}]`, () => test('all tests of this suite', { skip: backend.skip }, () => {}))
      continue
    }
    describe(`${title} [${backend.name}]`, () => {
      const env = new TestEnv(backend.name)
      before(() => env.setUp(), { timeout: 60_000 })
      after(() => env.tearDown(), { timeout: 30_000 })
      afterEach(() => env.closeClients())
      body(env)
    })
  }
}
