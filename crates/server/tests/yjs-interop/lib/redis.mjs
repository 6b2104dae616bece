// A Redis of the suite's own: `redis-server` on a free loopback port, nothing on disk, so that
// a test may stop and restart it without touching the machine's shared Redis. Plus the few
// commands the tests send it, over a raw RESP socket (no client library needed).
//
// `REDIS_SERVER_BIN` names the binary (default /usr/bin/redis-server). A missing binary makes
// the cluster suites skip with the reason, or fail when `CODEVIEW_REQUIRE_REDIS=1`.

import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import net from 'node:net'

/** How long `redis-server` may take to answer PING after spawning. */
const START_TIMEOUT_MS = 10_000
/** How long one command may take. */
const COMMAND_TIMEOUT_MS = 3000

export const redisRequired = () => ['1', 'true'].includes(process.env.CODEVIEW_REQUIRE_REDIS ?? '')

/** The binary, or null when it is not there. */
export function redisServerBin () {
  const bin = process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server'
  try {
    accessSync(bin, constants.X_OK)
    return bin
  } catch {
    return null
  }
}

/** Every redis-server started by this process, killed if the process exits without stopping them. */
const live = new Set()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

export class RedisServer {
  /** @param {{ port: number }} options */
  constructor ({ port }) {
    const bin = redisServerBin()
    if (!bin) throw new Error('redis-server not found (set REDIS_SERVER_BIN)')
    this.bin = bin
    this.port = port
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null
    /** @type {Promise<unknown> | null} */
    this.exited = null
    /** How many times the process was started. */
    this.starts = 0
  }

  get url () { return `redis://127.0.0.1:${this.port}` }

  async start () {
    if (this.child) throw new Error('redis-server already running')
    this.starts += 1
    const child = spawn(this.bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'pipe']
    })
    this.child = child
    live.add(child)
    this.exited = new Promise(resolve => child.once('exit', () => { live.delete(child); resolve(null) }))
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline) {
      try {
        if (await this.command('PING') === 'PONG') return
      } catch { /* not listening yet */ }
      await new Promise(resolve => setTimeout(resolve, 25))
    }
    await this.stop('SIGKILL')
    throw new Error(`redis-server on port ${this.port} did not answer PING within ${START_TIMEOUT_MS} ms`)
  }

  /** Stops the process (SIGKILL: as if it crashed) and waits for it to exit. */
  async stop (signal = 'SIGKILL') {
    const child = this.child
    if (!child) return
    child.kill(signal)
    await this.exited
    this.child = null
  }

  async dispose () { await this.stop('SIGKILL') }

  /**
   * Sends one command and returns its reply: a string (simple or bulk), a number, null, or an
   * array of those; an error reply throws.
   * @param {...string} args
   * @returns {Promise<any>}
   */
  command (...args) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, '127.0.0.1')
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`redis ${args[0]} timed out`)) }, COMMAND_TIMEOUT_MS)
      let buffer = Buffer.alloc(0)
      socket.on('connect', () => {
        socket.write(`*${args.length}\r\n` + args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''))
      })
      socket.on('data', chunk => {
        buffer = Buffer.concat([buffer, chunk])
        const parsed = parseReply(buffer, 0)
        if (!parsed) return
        clearTimeout(timer)
        socket.end()
        if (parsed.value instanceof Error) reject(parsed.value)
        else resolve(parsed.value)
      })
      socket.on('error', err => { clearTimeout(timer); reject(err) })
    })
  }
}

/**
 * One RESP2 reply at `at`, or null while incomplete.
 * @param {Buffer} buffer @param {number} at
 * @returns {{ value: any, next: number } | null}
 */
function parseReply (buffer, at) {
  const end = buffer.indexOf('\r\n', at)
  if (end < 0) return null
  const kind = String.fromCharCode(buffer[at])
  const line = buffer.toString('utf8', at + 1, end)
  switch (kind) {
    case '+': return { value: line, next: end + 2 }
    case '-': return { value: new Error(line), next: end + 2 }
    case ':': return { value: Number(line), next: end + 2 }
    case '$': {
      const length = Number(line)
      if (length < 0) return { value: null, next: end + 2 }
      if (buffer.length < end + 2 + length + 2) return null
      return { value: buffer.toString('utf8', end + 2, end + 2 + length), next: end + 2 + length + 2 }
    }
    case '*': {
      const count = Number(line)
      if (count < 0) return { value: null, next: end + 2 }
      const items = []
      let next = end + 2
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, next)
        if (!item) return null
        items.push(item.value)
        next = item.next
      }
      return { value: items, next }
    }
    default: return { value: new Error(`unexpected RESP reply ${JSON.stringify(line)}`), next: end + 2 }
  }
}
