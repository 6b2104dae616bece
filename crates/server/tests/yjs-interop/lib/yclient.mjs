// The real client: a `Y.Doc` with the stock npm `WebsocketProvider` (y-websocket) over the
// `ws` package, authenticated like a browser (session cookie) or an API client (`?token=`).
// Plus a raw upgrade probe for refusals and bounded wait helpers.
//
// BroadcastChannel is disabled on every provider: Node 20 has a global BroadcastChannel and
// y-websocket would otherwise sync providers of the same process directly, bypassing the
// server (an observer's edit would "land" without the server ever accepting it).

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

// Every provider adds a process 'exit' listener; a test with ten clients is not a leak.
process.setMaxListeners(100)

/**
 * @typedef {{ cookie: string } | { token: string } | {}} Auth
 * @typedef {'code'|'notes'} DocName
 */

/**
 * Polls `predicate` every 10 ms until it is truthy; throws after `timeout` ms with `what`
 * and the output of `detail()`.
 * @param {() => unknown} predicate
 * @param {{ timeout?: number, what: string, detail?: () => string }} options
 */
export async function waitFor (predicate, { timeout = 10_000, what, detail }) {
  const deadline = Date.now() + timeout
  for (;;) {
    if (predicate()) return
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`)
    }
    await sleep(10)
  }
}

/** @param {number} ms */
export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A `WebSocket` class for the provider that sends the actor's cookie (browsers do that on
 * their own; `ws` needs the header).
 * @param {string} cookie
 */
function webSocketWithCookie (cookie) {
  return class CookieWebSocket extends WebSocket {
    /** @param {string} url @param {string[]} protocols */
    constructor (url, protocols) {
      super(url, protocols, { headers: { cookie } })
    }
  }
}

export class YClient {
  /**
   * @param {{ wsUrl: string, interviewId: string, doc?: DocName, auth: Auth, label: string, connect?: boolean, maxBackoffTime?: number }} options
   */
  constructor ({ wsUrl, interviewId, doc = 'code', auth, label, connect = true, maxBackoffTime = 1000 }) {
    this.label = label
    this.interviewId = interviewId
    this.doc = new Y.Doc()
    this.text = this.doc.getText(doc === 'code' ? 'code' : 'notes')
    this.meta = this.doc.getMap('meta')
    /** @type {Array<{code: number, reason: string}>} server closes that stopped reconnection */
    this.closedEvents = []
    /** @type {Record<string, string>} */
    const params = 'token' in auth ? { token: auth.token } : {}
    this.provider = new WebsocketProvider(`${wsUrl}/ws/yjs/${interviewId}`, doc, this.doc, {
      connect,
      params,
      disableBc: true,
      maxBackoffTime,
      WebSocketPolyfill: /** @type {any} */ ('cookie' in auth ? webSocketWithCookie(auth.cookie) : WebSocket)
    })
    this.provider.on('closed', (/** @type {{code: number, reason: string}} */ event) => this.closedEvents.push(event))
    /** @type {number[]} close codes of every connection that ended (1006: dropped without a close frame) */
    this.closeCodes = []
    this.provider.on('connection-close', (/** @type {{code: number} | null} */ event) => { if (event) this.closeCodes.push(event.code) })
    /** @type {string[]} the text at each moment the provider reported `synced` (the SyncStep2 just applied) */
    this.textsAtSync = []
    this.provider.on('sync', (/** @type {boolean} */ synced) => { if (synced) this.textsAtSync.push(this.text.toString()) })
    this.awareness = this.provider.awareness
  }

  get clientId () { return this.doc.clientID }
  get synced () { return this.provider.synced }
  get connected () { return this.provider.wsconnected }
  toString () { return this.text.toString() }

  /** Waits until the provider has completed a sync with the server. */
  async waitSynced (timeout = 10_000) {
    await waitFor(() => this.provider.synced, { timeout, what: `${this.label} to sync` })
  }

  /** Closes the connection like a user going offline; edits stay local until `connect()`. */
  disconnect () { this.provider.disconnect() }

  connect () { this.provider.connect() }

  /**
   * Moves the client to another server (another instance of a cluster): its next connection
   * goes to `wsUrl`; a live connection is closed first (the provider reconnects at once).
   * @param {string} wsUrl
   */
  hopTo (wsUrl) {
    this.provider.serverUrl = `${wsUrl}/ws/yjs/${this.interviewId}`
    if (this.provider.shouldConnect) {
      this.provider.disconnect()
      this.provider.connect()
    }
  }

  /**
   * Drops the TCP connection without a close handshake or an awareness goodbye (a crashed
   * tab, a lost network), and keeps the provider from reconnecting.
   */
  dropAbruptly () {
    const ws = /** @type {WebSocket | null} */ (/** @type {any} */ (this.provider.ws))
    this.provider.shouldConnect = false
    if (ws) ws.terminate()
  }

  /** @param {number} index @param {string} chars */
  insert (index, chars) { this.text.insert(index, chars) }

  destroy () {
    this.provider.destroy()
    this.doc.destroy()
  }
}

/**
 * Opens a raw WebSocket to a document and reports how the upgrade went: the HTTP status of a
 * refusal (`unexpected-response`), or 101 for an accepted upgrade (then closed).
 * @param {{ wsUrl: string, path: string, headers?: Record<string, string>, origin?: string }} options
 * @returns {Promise<{status: number, body: string}>}
 */
export function probeUpgrade ({ wsUrl, path, headers = {}, origin }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl + path, { headers, origin, handshakeTimeout: 5000 })
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`upgrade probe of ${path} hung`)) }, 8000)
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', chunk => { body += chunk })
      res.on('end', () => {
        clearTimeout(timer)
        ws.terminate()
        resolve({ status: res.statusCode ?? 0, body })
      })
    })
    ws.on('open', () => {
      clearTimeout(timer)
      ws.close()
      resolve({ status: 101, body: '' })
    })
    ws.on('error', err => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

/**
 * Waits until every client is synced and all hold the same text; returns that text.
 * @param {YClient[]} clients
 * @param {{ timeout?: number, what?: string }} [options]
 */
export async function waitForConvergence (clients, { timeout = 15_000, what = 'convergence' } = {}) {
  await waitFor(() => clients.every(c => c.synced) && new Set(clients.map(c => c.toString())).size === 1, {
    timeout,
    what,
    detail: () => describeClients(clients)
  })
  return clients[0].toString()
}

/** One line per client: connection state and (a clipped) text. @param {YClient[]} clients */
export function describeClients (clients) {
  return clients.map(c => {
    const text = c.toString()
    const shown = text.length > 160 ? `${text.slice(0, 80)}…${text.slice(-80)} (${text.length} chars)` : text
    return `  ${c.label}: connected=${c.connected} synced=${c.synced} text=${JSON.stringify(shown)}`
  }).join('\n')
}
