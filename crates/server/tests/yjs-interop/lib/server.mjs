// The real `codeview` binary as a child process: start it on a fixed port and database, stop
// it politely (SIGTERM) or not (SIGKILL), start it again on the same port and database.
// Every wait is bounded; a server that fails to start reports its own last log lines.

import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants } from 'node:fs'
import net from 'node:net'

/** How long the binary may take to answer `/api/health` after spawning. */
const START_TIMEOUT_MS = 20_000
/** How long a SIGTERM may take to end the process (the server drains for at most 10 s). */
const SIGTERM_TIMEOUT_MS = 15_000
/** Lines of server output kept for failure messages. */
const LOG_LINES_KEPT = 200
/** `/metrics` is served on the public port only to the bearer of this token. */
const METRICS_TOKEN = randomBytes(24).toString('hex')

/**
 * The binary under test, from `CODEVIEW_BIN`; throws a message saying how to set it.
 * @returns {string}
 */
export function codeviewBin () {
  const bin = process.env.CODEVIEW_BIN
  if (!bin) {
    throw new Error('CODEVIEW_BIN is not set. Build the server and point at it, e.g.\n' +
      '  CARGO_TARGET_DIR=/root/.cache/codeview-target cargo build -p codeview\n' +
      '  CODEVIEW_BIN=/root/.cache/codeview-target/debug/codeview npm test')
  }
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    throw new Error(`CODEVIEW_BIN=${bin} does not exist or is not executable; build it with \`cargo build -p codeview\``)
  }
  return bin
}

/**
 * A TCP port that was free a moment ago (the kernel picks it; never 8080/18080).
 * @returns {Promise<number>}
 */
export function freePort () {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (probe.address())
      probe.close(() => resolve(port))
    })
  })
}

/** Every server started by this process, killed if the process exits without stopping them. */
const live = new Set()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

export class CodeviewServer {
  /**
   * @param {{ databaseUrl: string, port: number, label?: string, args?: string[] }} options
   *   `args`: more command-line arguments for `codeview serve` (e.g. `--redis-url`)
   */
  constructor ({ databaseUrl, port, label = 'codeview', args = [] }) {
    this.bin = codeviewBin()
    this.databaseUrl = databaseUrl
    this.port = port
    this.label = label
    this.args = args
    /** @type {string | null} the cluster instance id this process logged at start (new at every start) */
    this.instanceId = null
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null
    /** @type {string[]} */
    this.log = []
    /** Every WARN/ERROR line the server printed (JSON logs), kept whole for diagnostics. */
    this.problems = []
    /** How many times the process was started. */
    this.starts = 0
  }

  get httpUrl () { return `http://127.0.0.1:${this.port}` }
  get wsUrl () { return `ws://127.0.0.1:${this.port}` }

  /**
   * A counter of the server's `/metrics` (0 until it is first counted).
   * @param {string} name @param {string} [label] a `key="value"` the counter's line must hold
   */
  async counter (name, label = '') {
    const response = await fetch(`${this.httpUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      signal: AbortSignal.timeout(5000)
    })
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`)
    const body = await response.text()
    const line = body.split('\n').find(l => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(label))
    return line ? Number(line.split(' ').pop()) : 0
  }

  /** The last lines the server printed, for failure messages. */
  logTail (lines = 40) {
    return this.log.slice(-lines).join('\n')
  }

  /** Spawns the binary and waits until `/api/health` answers ok. */
  async start () {
    if (this.child) throw new Error('server already running')
    this.starts += 1
    this.instanceId = null
    const child = spawn(this.bin, ['serve', '--addr', `127.0.0.1:${this.port}`, '--database-url', this.databaseUrl, ...this.args], {
      env: {
        ...process.env,
        // Many accounts, joins and sockets from one address: the defaults would answer 429
        // or refuse connections.
        CODEVIEW_AUTH_PER_MINUTE: '100000',
        CODEVIEW_JOIN_PER_MINUTE: '100000',
        CODEVIEW_MAX_CONNECTIONS_PER_IP: '10000',
        CODEVIEW_METRICS_TOKEN: METRICS_TOKEN,
        // No load balancer to warn: a SIGTERM goes straight to closing sockets (1012) and exiting.
        CODEVIEW_DRAIN_SECS: '0',
        CODEVIEW_LOG_FORMAT: 'json',
        NO_COLOR: '1'
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    this.child = child
    live.add(child)
    const keep = (/** @type {Buffer} */ chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue
        if (line.includes('"message":"starting"')) this.instanceId ??= /"instance":"([0-9a-f-]{36})"/.exec(line)?.[1] ?? null
        this.log.push(`[${this.label}#${this.starts}] ${line}`)
        if (/"level":"(WARN|ERROR)"/.test(line) && !line.includes('web UI not built')) this.problems.push(`[${this.label}#${this.starts}] ${line}`)
        if (process.env.INTEROP_SERVER_LOG === '1') process.stderr.write(`[${this.label}] ${line}\n`)
      }
      if (this.log.length > LOG_LINES_KEPT) this.log.splice(0, this.log.length - LOG_LINES_KEPT)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    /** @type {Promise<{code: number|null, signal: string|null}>} */
    this.exited = new Promise(resolve => child.once('exit', (code, signal) => {
      live.delete(child)
      resolve({ code, signal })
    }))
    let exitedEarly = null
    this.exited.then(status => { exitedEarly = status })
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (exitedEarly) {
        this.child = null
        throw new Error(`codeview exited during start-up (${JSON.stringify(exitedEarly)}):\n${this.logTail()}`)
      }
      try {
        const res = await fetch(`${this.httpUrl}/api/health`, { signal: AbortSignal.timeout(1000) })
        const body = await res.json()
        if (res.ok && body.status === 'ok') return
      } catch { /* not listening yet */ }
      await new Promise(resolve => setTimeout(resolve, 25))
    }
    child.kill('SIGKILL')
    this.child = null
    throw new Error(`codeview did not answer /api/health within ${START_TIMEOUT_MS} ms:\n${this.logTail()}`)
  }

  /**
   * Stops the process with `signal` and waits for it to exit. A SIGTERM that does not end
   * the process in time is an error (the process is then killed).
   * @param {'SIGTERM'|'SIGKILL'} signal
   * @returns {Promise<{code: number|null, signal: string|null, ms: number}>}
   */
  async stop (signal = 'SIGTERM') {
    const child = this.child
    if (!child) throw new Error('server not running')
    const started = Date.now()
    child.kill(signal)
    const timeout = signal === 'SIGKILL' ? 5_000 : SIGTERM_TIMEOUT_MS
    let timer
    const status = await Promise.race([
      this.exited,
      new Promise(resolve => { timer = setTimeout(() => resolve(null), timeout) })
    ])
    clearTimeout(timer)
    this.child = null
    if (!status) {
      child.kill('SIGKILL')
      await this.exited
      throw new Error(`codeview did not exit within ${timeout} ms of ${signal}:\n${this.logTail()}`)
    }
    return { ...status, ms: Date.now() - started }
  }

  /** Stops (if running) and starts again on the same port and database. */
  async restart (signal = 'SIGTERM') {
    if (this.child) await this.stop(signal)
    await this.start()
  }

  /** Stops the server if it is running, without complaint (for teardown). */
  async dispose () {
    if (!this.child) return
    try {
      await this.stop('SIGTERM')
    } catch {
      // stop() already killed it.
    }
  }
}
