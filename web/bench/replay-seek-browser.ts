// Benchmark: seeking in the replay page, end to end, in headless Chromium against the real server
// (issue 19's budget: "seeking anywhere in a 60-minute session with 20,000 single-char edits
// renders within 100 ms"; bench/replay-seek.ts measures the engine alone). In one run:
//   1. an interview (host, candidate, a co-interviewer), started;
//   2. its code history: N single-character keystrokes (default 20,000) typed by the three of
//      them through the server with the real Yjs client (yjs + y-websocket over `ws`, signed in
//      with their session cookies, as crates/server/tests/yjs-interop/ does) — bursts of one
//      author at a time, mostly at their caret (backspaces too), now and then somewhere else;
//      as fast as the server takes them (at most WINDOW updates in flight to each reader), or
//      spread over `--minutes`; then the interview is ended. The server stamps each update with
//      the time it accepted it, so the session spans however long the typing took (seconds at
//      full speed; `--minutes 60` takes an hour): a seek's cost depends on the entries and the
//      text, not on the span;
//   3. the replay page (`/interviews/:id/replay`) loaded by the host `--loads` times, opened at
//      the end (`?t=`): the whole history fetched and built, the final code shown — the "replay
//      from zero" cost a naive seek would pay (timed in the page from the navigation: history
//      received, page built, editor showing the text);
//   4. on the last load, `--seeks` seeks (after `--warmup` unmeasured ones) to random places:
//      a pointer press dispatched in the page at an x on the scrub bar (what a click does:
//      ScrubBar.tsx seeks on pointerdown), timed from just before it to (a) the slider showing
//      the new position (React committed: engine + render), (b) the editor's rendered lines
//      being exactly the expected text's lines at their line numbers (Monaco rendered; the
//      expected text comes from replaying the fetched history with Yjs, independently of the
//      page's engine), (c) the next animation frame after (b) (that frame is painted).
//      The page does not expose its engine's time: the same seeks with the page's engine
//      (DocHistory) in Node are reported beside.
// Prints the history, the machine and markdown tables (milliseconds).
//
//   npx --yes tsx web/bench/replay-seek-browser.ts [--base-url http://127.0.0.1:8080] [--edits 20000]
//     [--seeks 100] [--warmup 5] [--loads 3] [--authors 3] [--minutes 0] [--seed 1] [--pause-ms 100]
//
// Without --base-url it starts `codeview serve` itself on a free port with a temporary SQLite
// database and web/dist (build it first: `npm run build`); the binary is CODEVIEW_BIN, default
// target/debug/codeview in the repository. CHROMIUM_PATH picks the browser (default
// /usr/bin/chromium, as the e2e suite and bench/call-first-frame.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from '@playwright/test';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { HistoryEntry } from '../src/api/playbackTypes';
import { bytesOfBase64 } from '../src/features/replay/engine/base64';
import { DocHistory } from '../src/features/replay/engine/docHistory';
import { seededRandom } from '../src/features/replay/engine/syntheticHistory';
import { sessionBounds } from '../src/features/replay/engine/timeline';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? (process.argv[index + 1] as string) : fallback;
}
function numberOption(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  return Number.isFinite(value) ? value : fallback;
}

const givenBaseURL = option('base-url', '');
const edits = numberOption('edits', 20_000);
const seekCount = numberOption('seeks', 100);
const warmup = numberOption('warmup', 5);
const loads = Math.max(1, numberOption('loads', 3));
const authorCount = Math.min(3, Math.max(2, numberOption('authors', 3)));
const minutes = numberOption('minutes', 0);
const seed = numberOption('seed', 1);
const pauseMs = numberOption('pause-ms', 100);
/** Updates sent but not yet seen by a reader, at most (the readers are this process's clients). */
const WINDOW = 64;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz     ()[]:=+-.,_0123456789\n\n\n';

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const yieldToIo = () => new Promise((done) => setImmediate(done));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const fmt = (ms: number) =>
  Number.isNaN(ms) ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
function row(name: string, values: readonly number[]): string {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const cells = [50, 90, 99].map((p) => fmt(percentile(sorted, p)));
  return `| ${name} | ${sorted.length} | ${cells.join(' | ')} | ${fmt(sorted[sorted.length - 1] ?? NaN)} |`;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The server (ours, unless --base-url names one)

interface Server {
  baseURL: string;
  binary: string;
  stop: () => Promise<void>;
}

async function startServer(): Promise<Server> {
  const binary = resolve(process.env['CODEVIEW_BIN'] ?? join(repoRoot, 'target', 'debug', 'codeview'));
  if (!existsSync(binary)) throw new Error(`no server binary at ${binary} (set CODEVIEW_BIN)`);
  const webDir = resolve(process.env['CODEVIEW_WEB_DIR'] ?? join(repoRoot, 'web', 'dist'));
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`${webDir}/index.html is missing: npm run build`);
  const port = await freePort();
  const dir = mkdtempSync(join(os.tmpdir(), 'codeview-seek-bench-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    binary,
    [
      'serve',
      '--addr',
      `127.0.0.1:${port}`,
      '--database-url',
      `sqlite://${join(dir, 'codeview.db')}`,
      '--public-url',
      baseURL,
      '--web-dir',
      webDir,
      '--run-workers',
      '0',
      '--max-doc-sockets-per-address',
      '1000',
      '--max-connections-per-ip',
      '10000',
    ],
    {
      env: {
        ...process.env,
        CODEVIEW_AUTH_PER_MINUTE: '100000',
        CODEVIEW_JOIN_PER_MINUTE: '100000',
        RUST_LOG: process.env['RUST_LOG'] ?? 'warn',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    if (log.length > 100) log.splice(0, log.length - 100);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      done();
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(15_000)]);
      if (!exited) child.kill('SIGKILL');
      await exit;
    }
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`codeview exited during start-up:\n${log.join('\n')}`);
    try {
      const res = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return { baseURL, binary, stop };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`codeview did not answer /api/health within 30 s:\n${log.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// The API, as three browser contexts (each keeps its own cookies)

async function call(context: BrowserContext, baseURL: string, method: 'GET' | 'POST', path: string, data?: unknown) {
  const res =
    method === 'GET'
      ? await context.request.get(path, { timeout: 120_000 })
      : await context.request.post(path, { data, headers: { Origin: baseURL } });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as unknown;
}

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

// ---------------------------------------------------------------------------------------------
// The writers: the real Yjs client over `ws` (no @types/ws in the tree: required untyped)

type WebSocketClass = new (url: string, protocols?: string | string[], options?: object) => object;
const NodeWebSocket = createRequire(import.meta.url)('ws') as WebSocketClass;

/** A WebSocket class that sends the session cookie (browsers do that themselves). */
function webSocketWithCookie(cookie: string) {
  return class CookieWebSocket extends NodeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

interface Writer {
  name: string;
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  caret: Y.RelativePosition | null;
  sent: number;
  /** Updates from the others applied (each arrives as its own message). */
  received: number;
  closeCodes: number[];
}

function writer(baseURL: string, interviewId: string, name: string, cookie: string): Writer {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${baseURL.replace(/^http/, 'ws')}/ws/yjs/${interviewId}`, 'code', doc, {
    disableBc: true,
    maxBackoffTime: 1000,
    WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof WebSocket,
  });
  const w: Writer = {
    name,
    doc,
    text: doc.getText('code'),
    provider,
    caret: null,
    sent: 0,
    received: 0,
    closeCodes: [],
  };
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) w.received++;
  });
  provider.on('connection-close', (event) => {
    if (event) w.closeCodes.push(event.code);
  });
  return w;
}

async function waitUntil(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Types `count` keystrokes; returns the typing time in ms. */
async function typeKeystrokes(writers: Writer[], count: number): Promise<number> {
  const random = seededRandom(seed);
  const weights = writers.length === 3 ? [0.6, 0.25, 0.15] : [0.7, 0.3];
  const pick = () => {
    let r = random();
    for (let i = 0; i < writers.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return writers[i] as Writer;
    }
    return writers[0] as Writer;
  };
  let totalSent = 0;
  const pending = () => Math.max(...writers.map((w) => totalSent - w.sent - w.received));
  const start = performance.now();
  const gapMs = minutes > 0 ? (minutes * 60_000) / count : 0;
  let current = writers[0] as Writer;
  let burst = 0;
  for (let done = 0; done < count; done++) {
    if (burst <= 0) {
      current = pick();
      burst = 1 + Math.floor(random() * 40);
    }
    burst--;
    if (gapMs > 0) {
      const due = start + done * gapMs;
      if (performance.now() < due) await sleep(due - performance.now());
    }
    while (pending() > WINDOW) await sleep(1);
    const { doc, text } = current;
    const length = text.length;
    let caret = current.caret
      ? (Y.createAbsolutePositionFromRelativePosition(current.caret, doc)?.index ?? length)
      : length;
    caret = Math.min(caret, length);
    const action = random();
    if (action < 0.1 && caret > 0) {
      text.delete(caret - 1, 1);
      caret--;
    } else {
      if (action > 0.98) caret = Math.floor(random() * (length + 1));
      text.insert(caret, ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'x');
      caret++;
    }
    current.caret = Y.createRelativePositionFromTypeIndex(text, caret);
    current.sent++;
    totalSent++;
    if (done % 16 === 15) await yieldToIo();
    if (done % 2000 === 1999)
      console.error(`  typed ${done + 1}/${count} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  }
  await waitUntil(
    'every writer to see every update',
    () => pending() === 0 && new Set(writers.map((w) => w.text.toString())).size === 1,
    120_000,
  );
  return performance.now() - start;
}

// ---------------------------------------------------------------------------------------------
// In the page. Strings, so that no TypeScript runner's helpers (tsx's `__name`) end up in the page.

/**
 * `window.__seekBench`: `linesMatch(editor, expected)` — every line Monaco renders (its line number
 * read from the margin beside it at the same `top`) is that line of `expected`; and
 * `seek(fraction, expected, lengthMs, timeoutMs)` — presses the pointer on the scrub bar at
 * `fraction` of its width and resolves with the milliseconds from just before the press to the
 * slider's new position, to the editor showing `expected`, and to the next frame after that.
 */
const PAGE_HELPERS = `
window.__seekBench = (() => {
  const linesMatch = (editor, expected) => {
    const numbers = new Map();
    for (const el of editor.querySelectorAll('.margin-view-overlays > div')) {
      const n = el.querySelector('.line-numbers');
      if (n) numbers.set(el.style.top, Number(n.textContent));
    }
    const lines = editor.querySelectorAll('.view-lines > .view-line');
    if (lines.length === 0) return false;
    for (const el of lines) {
      const n = numbers.get(el.style.top);
      if (!(n >= 1 && n <= expected.length)) return false;
      if ((el.textContent || '').replace(/\\u00a0/g, ' ') !== expected[n - 1]) return false;
    }
    return true;
  };
  const seek = (fraction, expected, lengthMs, timeoutMs) => new Promise((resolve) => {
    const slider = document.querySelector('[data-testid=replay-slider]');
    const editor = document.querySelector('[data-testid=replay-editor]');
    const rect = slider.getBoundingClientRect();
    const x = rect.left + fraction * rect.width;
    const y = rect.top + rect.height / 2;
    const target = Math.round(Math.min(1, Math.max(0, (x - rect.left) / rect.width)) * lengthMs);
    let commit = null;
    let shown = null;
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      resolve({ ...result, target, position: Number(slider.getAttribute('data-position-ms')) });
    };
    const check = () => {
      if (finished || shown !== null) return;
      const now = performance.now();
      if (commit === null) {
        if (Math.abs(Number(slider.getAttribute('data-position-ms')) - target) > 1) return;
        commit = now;
      }
      if (!linesMatch(editor, expected)) return;
      shown = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => {
        const frame = performance.now();
        finish({ commit: commit - t0, shown: shown - t0, frame: frame - t0, dispatch: dispatched - t0 });
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(editor, { subtree: true, childList: true, characterData: true, attributes: true });
    observer.observe(slider, { attributes: true, attributeFilter: ['data-position-ms'] });
    const init = { bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse',
      isPrimary: true, clientX: x, clientY: y, button: 0, buttons: 1 };
    const t0 = performance.now();
    slider.dispatchEvent(new PointerEvent('pointerdown', init));
    slider.dispatchEvent(new PointerEvent('pointerup', { ...init, buttons: 0 }));
    const dispatched = performance.now();
    check();
    const poll = () => {
      if (finished || shown !== null) return;
      check();
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
    setTimeout(() => finish({ timedOut: true, commit: commit === null ? null : commit - t0 }), timeoutMs);
  });
  return { linesMatch, seek };
})();
`;

/** Installed before each navigation: records when the replay (and its text) first shows. */
function firstRenderWatcher(expected: readonly string[]): string {
  return `${PAGE_HELPERS}
(() => {
  const expected = ${JSON.stringify(expected)};
  const marks = { preparing: null, replay: null, shown: null, frame: null };
  window.__seekMarks = marks;
  const check = () => {
    if (marks.shown !== null) return;
    const now = performance.now();
    if (marks.replay === null) {
      if (marks.preparing === null && document.body && (document.body.textContent || '').includes('Preparing the replay'))
        marks.preparing = now;
      if (!document.querySelector('[data-testid=replay]')) return;
      marks.replay = now;
    }
    const editor = document.querySelector('[data-testid=replay-editor]');
    if (!editor || !window.__seekBench.linesMatch(editor, expected)) return;
    marks.shown = now;
    observer.disconnect();
    requestAnimationFrame(() => { marks.frame = performance.now(); });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;
}

interface SeekResult {
  commit: number | null;
  shown?: number;
  frame?: number;
  dispatch?: number;
  timedOut?: boolean;
  target: number;
  position: number;
}

interface LoadResult {
  marks: { preparing: number | null; replay: number | null; shown: number | null; frame: number | null };
  resources: { name: string; start: number; end: number; bytes: number }[];
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const server = givenBaseURL ? null : await startServer();
  const baseURL = givenBaseURL || (server as Server).baseURL;
  try {
    await run(baseURL, server);
  } finally {
    await server?.stop();
  }
}

async function run(baseURL: string, server: Server | null) {
  const loadBefore = os.loadavg();
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    // ---- 1. the interview ----
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const host = await browser.newContext({ baseURL });
    await call(host, baseURL, 'POST', '/api/auth/register', {
      name: 'Seek Host',
      email: `seek-host-${id}@example.com`,
      password: 'correct horse battery',
    });
    const created = (await call(host, baseURL, 'POST', '/api/interviews', {
      title: 'Seek benchmark',
      language: 'python',
      candidate_name: 'Seek Candidate',
    })) as { interview: { id: string; room_code: string; workspace_id: string }; candidate_invite_url: string };
    const interviewId = created.interview.id;
    await call(host, baseURL, 'POST', `/api/interviews/${interviewId}/start`);
    const candidate = await browser.newContext({ baseURL });
    await call(candidate, baseURL, 'POST', `/api/interviews/room/${created.interview.room_code}/join`, {
      name: 'Seek Candidate',
      invite: new URL(created.candidate_invite_url).searchParams.get('invite') ?? '',
    });
    const contexts: [string, BrowserContext][] = [
      ['candidate', candidate],
      ['host', host],
    ];
    if (authorCount === 3) {
      const interviewer = await browser.newContext({ baseURL });
      const email = `seek-interviewer-${id}@example.com`;
      await call(interviewer, baseURL, 'POST', '/api/auth/register', {
        name: 'Seek Interviewer',
        email,
        password: 'correct horse battery',
      });
      const invited = (await call(host, baseURL, 'POST', `/api/workspaces/${created.interview.workspace_id}/invites`, {
        email,
        role: 'member',
      })) as { invite_url: string };
      const token = new URL(invited.invite_url).pathname.split('/').pop() ?? '';
      await call(interviewer, baseURL, 'POST', `/api/workspace-invites/${token}/accept`);
      await call(host, baseURL, 'POST', `/api/interviews/${interviewId}/participants`, { email, role: 'interviewer' });
      contexts.push(['interviewer', interviewer]);
    }

    // ---- 2. the history ----
    const writers: Writer[] = [];
    for (const [name, context] of contexts)
      writers.push(writer(baseURL, interviewId, name, await cookieHeader(context)));
    await waitUntil('the writers to sync', () => writers.every((w) => w.provider.synced), 30_000);
    for (const w of writers) w.received = 0;
    console.error(`typing ${edits} keystrokes by ${writers.map((w) => w.name).join(', ')}…`);
    const typingMs = await typeKeystrokes(writers, edits);
    const closeCodes = writers.flatMap((w) => w.closeCodes.map((code) => `${w.name} ${code}`));
    for (const w of writers) {
      w.provider.destroy();
      w.doc.destroy();
    }
    await call(host, baseURL, 'POST', `/api/interviews/${interviewId}/end`);
    const detail = (await call(host, baseURL, 'GET', `/api/interviews/${interviewId}`)) as {
      interview: { started_at: string | null; ended_at: string | null };
    };
    const listing = (await call(host, baseURL, 'GET', `/api/interviews/${interviewId}/history/code/entries`)) as {
      entries: HistoryEntry[];
    };
    const entries = listing.entries;
    const updateBytes = entries.reduce((sum, e) => sum + bytesOfBase64(e.update).length, 0);
    const authored = entries.filter((e) => e.participant_id !== null).length;

    // ---- the engine in Node (the page's DocHistory), the bounds as the page computes them ----
    new DocHistory().append(entries); // JIT warm-up
    const buildStart = performance.now();
    const engine = new DocHistory();
    engine.append(entries);
    const nodeBuildMs = performance.now() - buildStart;
    const bounds = sessionBounds({
      startedAt: detail.interview.started_at,
      endedAt: detail.interview.ended_at,
      firstActivityMs: engine.timeOf(0) ?? null,
      lastCodeMs: engine.timeOf(engine.length - 1) ?? null,
      lastActivityMs: engine.timeOf(engine.length - 1) ?? null,
      nowMs: Date.now(),
    });
    const lengthMs = bounds.endMs - bounds.startMs;
    const random = seededRandom(seed * 31 + 7);
    const fractions = Array.from({ length: warmup + seekCount }, () => random());
    const instants = fractions.map((f) => bounds.startMs + f * lengthMs);

    // Expected texts from Yjs itself: the entries at or before each instant applied to a fresh doc
    // (times made non-decreasing, as the page's engine does), in time order.
    const times: number[] = [];
    for (const e of entries) times.push(Math.max(e.at_ms, times[times.length - 1] ?? -Infinity));
    const expected: string[] = new Array<string>(instants.length);
    {
      const doc = new Y.Doc();
      let applied = 0;
      const order = instants.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
      for (const [t, i] of order) {
        while (applied < entries.length && (times[applied] as number) <= t)
          Y.applyUpdate(doc, bytesOfBase64((entries[applied++] as HistoryEntry).update));
        expected[i] = doc.getText('code').toString();
      }
    }
    const finalDoc = new Y.Doc();
    for (const e of entries) Y.applyUpdate(finalDoc, bytesOfBase64(e.update));
    const finalText = finalDoc.getText('code').toString();
    // The engine alone, in Node, on the same seeks in the same order (and checked against Yjs).
    const engineMs: number[] = [];
    let engineMismatches = 0;
    instants.forEach((t, i) => {
      const start = performance.now();
      const state = engine.stateAt(t);
      engineMs.push(performance.now() - start);
      if ((state.texts.get('code') ?? '') !== expected[i]) engineMismatches++;
    });

    // ---- 3. loading the page: the whole history fetched, built and shown ----
    const page = await host.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ content: firstRenderWatcher(finalText.split('\n')) });
    const loadResults: LoadResult[] = [];
    for (let load = 1; load <= loads; load++) {
      await page.goto(`/interviews/${interviewId}/replay?t=${Math.ceil(lengthMs / 1000) + 1}`);
      // Polled from here: the page's CSP forbids the eval behind page.waitForFunction.
      const deadline = Date.now() + 300_000;
      while (!(await page.evaluate('Boolean(window.__seekMarks && window.__seekMarks.frame !== null)'))) {
        if (Date.now() > deadline) throw new Error(`load ${load}: the replay did not show the final code in 300 s`);
        await sleep(100);
      }
      const result = (await page.evaluate(`({
        marks: window.__seekMarks,
        resources: performance.getEntriesByType('resource')
          .filter((e) => e.name.includes('/api/'))
          .map((e) => ({ name: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })),
      })`)) as LoadResult;
      loadResults.push(result);
      const codeEntries = result.resources.find((r) => r.name.endsWith('/history/code/entries'));
      console.error(
        `load ${load}: history received ${fmt(codeEntries?.end ?? NaN)} ms, page built ${fmt(result.marks.replay ?? NaN)} ms, text shown ${fmt(result.marks.shown ?? NaN)} ms, next frame ${fmt(result.marks.frame ?? NaN)} ms`,
      );
    }

    // ---- 4. seeking ----
    const seeks: SeekResult[] = [];
    let positionMismatches = 0;
    for (let i = 0; i < fractions.length; i++) {
      await page.waitForTimeout(pauseMs);
      const lines = (expected[i] as string).split('\n');
      const result = (await page.evaluate(
        `window.__seekBench.seek(${fractions[i]}, ${JSON.stringify(lines)}, ${lengthMs}, 10000)`,
      )) as SeekResult;
      if (Math.abs(result.position - Math.round((fractions[i] as number) * lengthMs)) > 1) positionMismatches++;
      if (i >= warmup) seeks.push(result);
      const label = i < warmup ? `warm-up ${i + 1}` : `seek ${i - warmup + 1}`;
      if (result.timedOut) console.error(`${label}: NOT SHOWN within 10 s (commit ${result.commit ?? '—'} ms)`);
      else if ((i - warmup + 1) % 10 === 0 || i < warmup)
        console.error(
          `${label}: to ${(result.position / 1000).toFixed(1)} s, commit ${fmt(result.commit ?? NaN)} ms, shown ${fmt(result.shown ?? NaN)} ms, frame ${fmt(result.frame ?? NaN)} ms`,
        );
    }

    // ---- report ----
    const binary = server
      ? `${server.binary} (${server.binary.includes('/release/') ? 'release' : server.binary.includes('/debug/') ? 'debug' : 'unknown'} build, ${(statSync(server.binary).size / 2 ** 20).toFixed(0)} MiB, built ${statSync(server.binary).mtime.toISOString()})`
      : `external server at ${baseURL}`;
    const spanMs = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
    const lines = finalText.split('\n').length;
    const measured = seeks.filter((s) => !s.timedOut);
    const pick = (get: (s: SeekResult) => number | null | undefined) => measured.map((s) => get(s) ?? NaN);
    const codeLoads = loadResults.map((r) => r.resources.find((x) => x.name.endsWith('/history/code/entries')));

    console.log(`## Replay seek in the browser (${new Date().toISOString()})`);
    console.log('');
    console.log(`- Command: \`${['npx --yes tsx', ...process.argv.slice(1)].join(' ')}\``);
    console.log(`- Server: ${binary}`);
    console.log(
      `- Machine: ${os.availableParallelism()} cores (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end`,
    );
    console.log(`- Browser: Chromium ${browser.version()} (headless, 1280×720), Node ${process.version}`);
    console.log(
      `- History: ${entries.length} entries (${authored} by ${writers.length} authors: ${edits} single-character keystrokes typed through the server in ${(typingMs / 1000).toFixed(1)} s` +
        `${minutes > 0 ? `, paced over ${minutes} min` : ', as fast as it took them'}; seed ${seed}), spanning ${(spanMs / 1000).toFixed(1)} s of server time, ` +
        `${(updateBytes / 1024).toFixed(0)} KB of Yjs updates; final code ${finalText.length} characters on ${lines} lines; session on the scrub bar ${(lengthMs / 1000).toFixed(1)} s` +
        `${closeCodes.length ? `; sockets closed by the server: ${closeCodes.join(', ')}` : ''}`,
    );
    console.log(
      `- Seeks: ${seekCount} measured (after ${warmup} warm-up), a pointer press at a random x on the scrub bar, ${pauseMs} ms apart; ` +
        `${seekCount - measured.length} not shown within 10 s; ${positionMismatches} landed elsewhere than aimed; ` +
        `the engine in Node ${engineMismatches === 0 ? 'matched Yjs on every seek' : `DIFFERED from Yjs on ${engineMismatches} seeks`}; ` +
        `${pageErrors.length === 0 ? 'no page errors' : `PAGE ERRORS: ${pageErrors.join('; ')}`}.`,
    );
    console.log('');
    console.log('| Seek (ms from the press) | n | p50 | p90 | p99 | max |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(
      row(
        '**Editor shows the text, next frame** (the budget: 100)',
        pick((s) => s.frame),
      ),
    );
    console.log(
      row(
        'Editor shows the text (rendered lines = expected)',
        pick((s) => s.shown),
      ),
    );
    console.log(
      row(
        'Slider at the new position (React committed)',
        pick((s) => s.commit),
      ),
    );
    console.log(row('Engine only: DocHistory.stateAt, same seeks, in Node', engineMs.slice(warmup)));
    console.log('');
    console.log(
      `| Page load, opened at the end (ms from navigation; ${loads} load${loads > 1 ? 's' : ''}) | ${loadResults.map((_, i) => `load ${i + 1}`).join(' | ')} |`,
    );
    console.log(`|---|${loadResults.map(() => '---:').join('|')}|`);
    console.log(
      `| Code history received (${((codeLoads[0]?.bytes ?? 0) / 1024).toFixed(0)} KB) | ${codeLoads.map((r) => fmt(r?.end ?? NaN)).join(' | ')} |`,
    );
    console.log(
      `| of which the request itself (sent → received) | ${codeLoads.map((r) => fmt((r?.end ?? NaN) - (r?.start ?? NaN))).join(' | ')} |`,
    );
    console.log(
      `| Engine built, page shown (build ≈ this − received) | ${loadResults.map((r) => fmt(r.marks.replay ?? NaN)).join(' | ')} |`,
    );
    console.log(
      `| Build alone (page shown − history received) | ${loadResults.map((r, i) => fmt((r.marks.replay ?? NaN) - (codeLoads[i]?.end ?? NaN))).join(' | ')} |`,
    );
    console.log(
      `| Editor shows the final text (first render) | ${loadResults.map((r) => fmt(r.marks.shown ?? NaN)).join(' | ')} |`,
    );
    console.log(
      `| **Next frame: "replay from zero"** | ${loadResults.map((r) => fmt(r.marks.frame ?? NaN)).join(' | ')} |`,
    );
    console.log('');
    console.log(`Engine build in Node (DocHistory.append of the ${entries.length} entries): ${fmt(nodeBuildMs)} ms.`);
    if (measured.length < seekCount || engineMismatches > 0 || positionMismatches > 0 || pageErrors.length > 0)
      process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
