// Backpressure on a slow reader (issue 4). The server keeps a bounded outbox per connection
// (512 frames, `OUTBOX_CAPACITY` in crates/server/src/realtime/doc_rooms.rs): a client that
// stops reading while a peer floods the document must be cut off with close code 1013
// ("too slow; reconnect") once that outbox overflows, not left silently missing updates; the
// writer and everyone else carry on unaffected, and the slow client re-syncs on a new
// connection. A socket that accepts no writes at all for 15 s (`WRITE_STALL_LIMIT` in
// crates/server/src/realtime/doc_socket.rs) is dropped without a close frame (1006).
//
// Reaching the overflow on loopback: the slow reader is a raw `ws` socket whose TCP socket is
// paused right after its first sync, so its receive buffer stays small (Linux autotunes it only
// when the application reads) and the kernel holds about the server's send buffer (`tcp_wmem`
// max, 4 MB here). The flood comes in two phases: first large updates (256 KB each, twice the
// send-buffer maximum in all) fill the kernel buffers, then small ones fill the 512 frames of
// the outbox. A room stores each update before relaying it (one commit per update), so frames
// reach the outbox at the database's commit rate: a uniform flood of 8 KB updates needs ~1,000
// of them and did not overflow within 11 s on PostgreSQL here (debug build), too close to the
// 15 s write-stall limit, which starts once the kernel buffers are full; the two phases take
// 1-3 s. The writer stays within 100 updates of what a bystander has received, so the room's
// inbox never holds thousands of updates a newcomer would have to wait for. Every update
// replaces the previous filler (delete + insert in one transaction) and appends a line, so the
// document stays small (the server refuses documents over 16 MB, `Limits::max_doc_bytes`)
// while the wire carries many megabytes.
//
// The server dropping the slow connection from its room is seen from outside without a fixed
// sleep: the slow reader publishes an awareness state, and the server removes it at every peer
// when the connection leaves the room.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { suite } from '../lib/env.mjs'
import { describeClients, sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

/** The server's per-connection outbox (frames). */
const OUTBOX_CAPACITY = 512
/** The server's write-stall limit: a socket that accepts nothing this long is dropped. */
const WRITE_STALL_LIMIT_MS = 15_000
/** Filler characters of a large update (phase one). */
const LARGE_FILLER = 256 * 1024
/** Updates sent after the eviction was seen: the slow reader can only get them by re-syncing. */
const UPDATES_AFTER_EVICTION = 50
/** Updates per batch; between batches the writer yields to the event loop. */
const BATCH = 25
/** Updates the writer may have sent beyond what a bystander has received: the flood keeps the
 * room busy without piling thousands of updates into the writer's socket and the room's inbox
 * (which a newcomer would then wait for). */
const WINDOW = 100
/** The slow socket is resumed at the latest this long after its pause, eviction seen or not
 * (the write-stall clock starts after the pause, so the close cannot be a stall drop). */
const MAX_PAUSE_MS = WRITE_STALL_LIMIT_MS - 3_000

/** Bytes of large updates for phase one: twice the kernel's largest TCP send buffer. */
function kernelFillBytes () {
  let max = 4 << 20
  try {
    max = Number(readFileSync('/proc/sys/net/ipv4/tcp_wmem', 'utf8').trim().split(/\s+/)[2]) || max
  } catch { /* not Linux: assume 4 MB */ }
  return 2 * max
}

/**
 * A y-websocket peer made by hand over a raw `ws` socket (so that its TCP socket can be
 * paused): answers the server's sync messages, applies the updates it receives, counts frames
 * and bytes, and records how its connection ended.
 */
class RawPeer {
  /** @param {string} url @param {string} cookie */
  constructor (url, cookie) {
    this.doc = new Y.Doc()
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    clearInterval(/** @type {any} */ (this.awareness)._checkInterval)
    this.synced = false
    this.frames = 0
    this.bytes = 0
    /** @type {{code: number, reason: string, at: number} | null} */
    this.closed = null
    /** @type {Error | null} */
    this.error = null
    this.ws = new WebSocket(url, { headers: { cookie } })
    this.ws.on('message', (/** @type {Buffer} */ data) => this.receive(data))
    this.ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString(), at: Date.now() } })
    this.ws.on('error', err => { this.error = err })
  }

  get clientId () { return this.doc.clientID }
  get socket () { return /** @type {import('node:net').Socket} */ (/** @type {any} */ (this.ws)._socket) }
  get text () { return this.doc.getText('code').toString() }

  /** Opens, sends SyncStep1 and an awareness state, waits for the server's SyncStep2. */
  async open () {
    await new Promise((resolve, reject) => { this.ws.once('open', resolve); this.ws.once('error', reject) })
    const step1 = encoding.createEncoder()
    encoding.writeVarUint(step1, 0)
    syncProtocol.writeSyncStep1(step1, this.doc)
    this.ws.send(encoding.toUint8Array(step1))
    this.awareness.setLocalState({ slow: true })
    const aw = encoding.createEncoder()
    encoding.writeVarUint(aw, 1)
    encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.clientId]))
    this.ws.send(encoding.toUint8Array(aw))
    await waitFor(() => this.synced, { what: 'the raw peer\'s SyncStep2', detail: () => `frames=${this.frames} error=${this.error}` })
  }

  /** @param {Buffer} data */
  receive (data) {
    this.frames += 1
    this.bytes += data.length
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.length))
    if (decoding.readVarUint(decoder) !== 0) return // awareness: not needed here
    const reply = encoding.createEncoder()
    encoding.writeVarUint(reply, 0)
    const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, 'server')
    if (kind === syncProtocol.messageYjsSyncStep2) this.synced = true
    if (encoding.length(reply) > 1 && this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(reply))
  }

  destroy () {
    this.ws.terminate()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** The server's resident memory in MB (Linux), or NaN. @param {number | undefined} pid */
function rssMb (pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return Math.round(kb / 1024)
  } catch {
    return NaN
  }
}

/**
 * The server's count of connections closed for `reason`.
 * @param {import('../lib/server.mjs').CodeviewServer} server @param {string} reason
 */
function closedTotal (server, reason) {
  return server.counter('codeview_doc_connections_closed_total', `reason="${reason}"`)
}

/**
 * The flood, written through a stock y-websocket provider. Each update replaces the filler at
 * the end of the text and appends the line `update N`; `finish()` removes the last filler, so
 * the text ends as `lines`. A bystander (another stock provider, reading normally) counts the
 * updates it receives; the writer stays at most `WINDOW` updates ahead of it.
 */
class Flood {
  /**
   * @param {import('../lib/yclient.mjs').YClient} writer
   * @param {import('../lib/yclient.mjs').YClient} bystander
   */
  constructor (writer, bystander) {
    this.writer = writer
    this.bystander = bystander
    /** Updates the bystander received from the server. */
    this.relayed = 0
    bystander.doc.on('update', (/** @type {Uint8Array} */ _update, /** @type {unknown} */ origin) => {
      if (origin === bystander.provider) this.relayed += 1
    })
    this.sent = 0
    this.lines = ''
    this.fillerLength = 0
    this.bytes = 0
  }

  /** One update carrying `fillerChars` new characters (0: just the line). @param {number} fillerChars */
  update (fillerChars) {
    const line = `update ${this.sent}\n`
    const filler = fillerChars ? randomBytes(fillerChars * 3 / 4).toString('base64') : ''
    const text = this.writer.text
    this.writer.doc.transact(() => {
      if (this.fillerLength) text.delete(text.length - this.fillerLength, this.fillerLength)
      text.insert(text.length, line + filler)
    })
    this.lines += line
    this.fillerLength = filler.length
    this.bytes += line.length + filler.length
    this.sent += 1
  }

  /**
   * Sends updates of `fillerChars` while `more()` holds and `deadline` is ahead, in batches,
   * yielding to the event loop in between and keeping within `WINDOW` of the bystander.
   * @param {{ fillerChars: number, more: () => boolean, deadline: number, batch?: number }} options
   */
  async run ({ fillerChars, more, deadline, batch = BATCH }) {
    while (more() && Date.now() < deadline) {
      for (let k = 0; k < batch && more(); k++) this.update(fillerChars)
      await new Promise(resolve => setImmediate(resolve))
      while (this.sent - this.relayed > WINDOW && Date.now() < deadline) await sleep(2)
    }
  }

  finish () {
    const text = this.writer.text
    if (this.fillerLength) text.delete(text.length - this.fillerLength, this.fillerLength)
    this.fillerLength = 0
  }
}

/** Samples the server's resident memory every 100 ms until `stop()`. @param {number | undefined} pid */
function memorySampler (pid) {
  const start = rssMb(pid)
  let peak = start
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)) }, 100)
  return { stop: () => { clearInterval(timer); return { start, peak, end: rssMb(pid) } } }
}

/**
 * The room, its writer (the interviewer, a stock provider), a bystander (the observer, a stock
 * provider that reads normally) and the slow raw peer (the host), connected and synced, the
 * writer seeing the slow peer's awareness state; `seen.gone` is set
 * when the server removes that state (the slow connection left the room) while the writer
 * stays connected.
 * @param {import('../lib/env.mjs').TestEnv} env
 * @param {import('node:test').TestContext} t
 */
async function setUp (env, t) {
  // Three participants: the stock provider echoes every awareness change it receives, and the
  // server lets a participant's newer socket take over its client ids, so a bystander signed
  // in as the host would take the slow peer's state over and its removal would not show.
  const { host, interviewer, observer, interview } = await env.room({ interviewer: true, observer: true, candidate: false })
  assert.ok(interviewer && observer)
  const writer = env.client(interviewer, interview.id, { label: 'writer' })
  const bystander = env.client(observer, interview.id, { label: 'bystander' })
  await Promise.all([writer.waitSynced(), bystander.waitSynced()])
  const slow = new RawPeer(`${env.server.wsUrl}/ws/yjs/${interview.id}/code`, host.cookieHeader)
  t.after(() => slow.destroy())
  await slow.open()
  await waitFor(() => writer.awareness.getStates().has(slow.clientId), { what: 'the writer to see the slow peer\'s awareness state' })
  const flood = new Flood(writer, bystander)
  /** @type {{ gone: { at: number, sent: number } | null }} */
  const seen = { gone: null }
  writer.awareness.on('change', (/** @type {{removed: number[]}} */ { removed }) => {
    // Only the server's removal counts (a provider that lost its own connection drops all).
    if (!seen.gone && writer.connected && removed.includes(slow.clientId)) seen.gone = { at: Date.now(), sent: flood.sent }
  })
  const closes = {
    tooSlow: await closedTotal(env.server, 'too slow; reconnect'),
    stalled: await closedTotal(env.server, 'write stalled')
  }
  /** Connections the server closed since `setUp`, by reason. */
  const closedSince = async () => ({
    tooSlow: await closedTotal(env.server, 'too slow; reconnect') - closes.tooSlow,
    stalled: await closedTotal(env.server, 'write stalled') - closes.stalled
  })
  return { host, interview, writer, bystander, slow, flood, seen, closedSince }
}

/**
 * After the slow peer's disconnect: the writer and the bystander never lost their connections
 * and hold the same text, a newcomer converges to exactly the writer's text (= `expected`), and
 * the slow client, reconnecting with a stock provider from the state it had, re-syncs to it.
 * @param {import('../lib/env.mjs').TestEnv} env
 * @param {Awaited<ReturnType<typeof setUp>>} ctx
 * @param {string} expected
 */
async function assertEveryoneConverges (env, { host, interview, writer, bystander, slow }, expected) {
  assert.deepEqual(writer.closeCodes, [], 'the writer\'s connection never closed')
  assert.deepEqual(bystander.closeCodes, [], 'the bystander\'s connection never closed')
  assert.ok(writer.connected && bystander.connected, 'the writer and the bystander are still connected')
  await waitForConvergence([writer, bystander], { timeout: 10_000, what: 'the bystander to hold the writer\'s text' })
  assert.equal(writer.toString(), expected)
  const newcomer = env.client(host, interview.id, { label: 'newcomer' })
  await waitForConvergence([writer, newcomer], { timeout: 10_000, what: 'a newcomer to converge with the writer' })
  assert.equal(newcomer.toString(), expected)
  const again = env.client(host, interview.id, { label: 'slow peer, reconnected', connect: false })
  Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(slow.doc))
  again.connect()
  await waitForConvergence([writer, newcomer, again], { timeout: 10_000, what: 'the slow peer to re-sync after its disconnect' })
  assert.equal(again.toString(), expected, describeClients([writer, newcomer, again]))
}

await suite('backpressure', env => {
  test('a reader that stops reading during a flood is closed with 1013; the writer is unaffected; it re-syncs', { timeout: 60_000 }, async t => {
    const started = Date.now()
    const ctx = await setUp(env, t)
    const { writer, slow, flood, seen } = ctx

    // Stop reading: first the kernel buffers fill, then the server's outbox for this socket.
    slow.socket.pause()
    const pausedAt = Date.now()
    const framesBeforePause = slow.frames
    const memory = memorySampler(env.server.child?.pid)
    const deadline = pausedAt + MAX_PAUSE_MS
    const fill = kernelFillBytes()
    let largeUpdates = 0
    let rss
    try {
      await flood.run({ fillerChars: LARGE_FILLER, more: () => flood.bytes < fill && !seen.gone, deadline, batch: 1 })
      largeUpdates = flood.sent
      await flood.run({ fillerChars: 0, more: () => !seen.gone || flood.sent < seen.gone.sent + UPDATES_AFTER_EVICTION, deadline })
      flood.finish()
    } finally {
      rss = memory.stop()
    }
    const floodMs = Date.now() - pausedAt

    // Read again: what the kernel and the outbox still hold, then the close.
    const resumedAt = Date.now()
    slow.socket.resume()
    await waitFor(() => slow.closed !== null, {
      timeout: 20_000,
      what: 'the server to close the slow peer\'s connection',
      detail: () => `frames=${slow.frames - framesBeforePause} since the pause, ${flood.sent} updates sent, ` +
        `dropped from the room: ${JSON.stringify(seen.gone)}, paused ${resumedAt - pausedAt} ms, ` +
        `writer closes ${JSON.stringify(writer.closeCodes)}, server problems: ${env.server.problems.slice(-5).join(' | ') || 'none'}`
    })
    const closed = /** @type {{code: number, reason: string, at: number}} */ (slow.closed)
    const closes = await ctx.closedSince()
    const received = slow.frames - framesBeforePause
    const summary = `${env.backend}: flood of ${flood.sent} updates (${largeUpdates} x 256 KB, then small; ` +
      `${(flood.bytes / 1e6).toFixed(1)} MB) over ${floodMs} ms; ` +
      `dropped from the room ${seen.gone ? `${seen.gone.at - pausedAt} ms after the pause, at ${seen.gone.sent} updates sent` : 'never'}; ` +
      `after resuming, the slow peer read ${received} frames (${(slow.bytes / 1e6).toFixed(1)} MB in all) ` +
      `and close ${closed.code} "${closed.reason}" within ${closed.at - resumedAt} ms; ` +
      `server closes: too slow +${closes.tooSlow}, write stalled +${closes.stalled}; ` +
      `server RSS ${rss.start} MB, peak ${rss.peak} MB, after ${rss.end} MB`
    t.diagnostic(summary)

    assert.ok(seen.gone, `the server never dropped the slow peer from the room: ${summary}`)
    assert.equal(closed.code, 1013, `the slow peer must be closed with 1013 ("too slow; reconnect"): ${summary}`)
    assert.equal(closed.reason, 'too slow; reconnect')
    assert.deepEqual(closes, { tooSlow: 1, stalled: 0 }, summary)
    // Before the close it receives what was queued for it (the whole outbox), and nothing sent
    // after it was dropped: those updates only reach it by re-syncing.
    assert.ok(received >= OUTBOX_CAPACITY, `the queued frames are delivered before the close: ${summary}`)
    const late = [...Array(flood.sent - seen.gone.sent).keys()].map(k => `update ${seen.gone.sent + k}\n`)
    assert.ok(late.length >= UPDATES_AFTER_EVICTION)
    assert.deepEqual(late.filter(line => slow.text.includes(line)), [], 'no update sent after the drop reached the old connection')

    await assertEveryoneConverges(env, ctx, flood.lines)
    t.diagnostic(`${env.backend}: test took ${Date.now() - started} ms`)
  })

  test('a reader that accepts no writes for 15 s is dropped (no close frame); the room keeps relaying meanwhile', { timeout: 60_000 }, async t => {
    const started = Date.now()
    const ctx = await setUp(env, t)
    const { writer, slow, flood, seen } = ctx

    // Fill the kernel buffers only: the server's write blocks, but far fewer than 512 frames
    // wait in the outbox, so only the write-stall limit can end this connection.
    slow.socket.pause()
    const pausedAt = Date.now()
    const fill = kernelFillBytes()
    await flood.run({ fillerChars: LARGE_FILLER, more: () => flood.bytes < fill, deadline: pausedAt + 10_000, batch: 1 })
    flood.finish()
    const sentAt = Date.now()
    await waitFor(() => flood.relayed >= flood.sent, { what: 'the bystander to receive the large updates', detail: () => `${flood.relayed} of ${flood.sent}` })
    const relayedAt = Date.now()
    // Meanwhile the writer keeps typing (~10 updates/s): the room must relay to the others at
    // once whatever one socket does.
    let maxLag = 0
    while (!seen.gone && Date.now() - pausedAt < WRITE_STALL_LIMIT_MS + 10_000) {
      flood.update(0)
      await sleep(100)
      maxLag = Math.max(maxLag, flood.sent - flood.relayed)
    }
    const closesBefore = await ctx.closedSince()
    const resumedAt = Date.now()
    slow.socket.resume()
    await waitFor(() => slow.closed !== null, { timeout: 10_000, what: 'the stalled connection to end at the slow peer' })
    const closed = /** @type {{code: number, reason: string, at: number}} */ (slow.closed)
    const summary = `${env.backend}: ${(flood.bytes / 1e6).toFixed(1)} MB of large updates sent in ${sentAt - pausedAt} ms, ` +
      `relayed to the bystander ${relayedAt - pausedAt} ms after the pause; ` +
      `dropped from the room ${seen.gone ? `${seen.gone.at - pausedAt} ms after the pause` : 'never'}; ` +
      `writer kept typing: ${flood.sent} updates, the bystander at most ${maxLag} behind; ` +
      `server closes: ${JSON.stringify(closesBefore)}; after resuming, close ${closed.code} "${closed.reason}" within ${closed.at - resumedAt} ms`
    t.diagnostic(summary)

    assert.ok(seen.gone, `the stalled connection was never dropped: ${summary}`)
    assert.ok(seen.gone.at - pausedAt >= WRITE_STALL_LIMIT_MS, `not before the write-stall limit: ${summary}`)
    assert.ok(seen.gone.at - relayedAt <= WRITE_STALL_LIMIT_MS + 3_000, `soon after the write-stall limit: ${summary}`)
    assert.deepEqual(closesBefore, { tooSlow: 0, stalled: 1 }, summary)
    assert.equal(closed.code, 1006, `a stalled socket is dropped without a close frame: ${summary}`)
    assert.ok(maxLag <= 10, `the room kept relaying to the bystander while one socket was stalled: ${summary}`)

    await assertEveryoneConverges(env, ctx, flood.lines)
    t.diagnostic(`${env.backend}: test took ${Date.now() - started} ms`)
  })
})
