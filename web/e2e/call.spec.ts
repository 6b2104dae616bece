// The room's video call against the real server in real Chromium with fake devices
// (playwright.config.ts: --use-fake-device-for-media-stream, --use-fake-ui-for-media-stream,
// --allow-loopback-in-peer-connection): two and three people join and connect pairwise, with
// decoded remote frames (`getStats()` through `window.__codeviewCall`); mute silences the
// microphone at the peer; a screen share adds a tile the peer renders; a reload reconnects; an
// observer receives but sends nothing, and the server refuses a real Chrome offer of theirs that
// would send media; `?ice=relay` connects through the embedded TURN relay; and after a server
// restart (a server of the test's own) the call rebuilds itself.
// Set-up goes through the API (the UI flow is covered by interview-flow.spec.ts).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createInterviewViaApi,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

declare global {
  // What the page exposes (web/src/features/room/call/useCall.ts).
  interface Window {
    __codeviewCall?: { peerConnections: () => RTCPeerConnection[] };
    /** The restart test's connection from before the restart. */
    __callBeforeRestart?: RTCPeerConnection;
  }
}

test.describe.configure({ timeout: 120_000 });

type Stats = Record<string, unknown>[];

interface Call {
  interview: LiveInterview;
  contexts: BrowserContext[];
  host: Page;
  candidate: Page;
  hostContext: BrowserContext;
}

async function openCall(browser: Browser, baseURL: string, query = ''): Promise<Call> {
  const hostContext = await browser.newContext({ baseURL });
  await registerViaApi(hostContext, baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL, {
    title: 'Video room',
    language: 'python',
    candidate_name: 'Casey Candidate',
  });
  const candidateContext = await browser.newContext({ baseURL });
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');
  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  await Promise.all([
    host.goto(`/interviews/${interview.id}/room${query}`),
    candidate.goto(`/interviews/${interview.id}/room${query}`),
  ]);
  return { interview, contexts: [hostContext, candidateContext], host, candidate, hostContext };
}

/** Adds a workspace member to the interview with `role`, and opens the room as them. */
async function addPerson(
  browser: Browser,
  baseURL: string,
  call: Call,
  role: 'interviewer' | 'observer',
  prefix: string,
): Promise<Page> {
  const context = await browser.newContext();
  call.contexts.push(context);
  const account = uniqueAccount(prefix);
  await registerViaApi(context, baseURL, account);
  await joinWorkspaceViaApi(call.hostContext, context, baseURL, account.email);
  const added = await call.hostContext.request.post(`/api/interviews/${call.interview.id}/participants`, {
    data: { email: account.email, role },
    headers: { Origin: baseURL },
  });
  expect(added.status(), await added.text()).toBe(201);
  const page = await context.newPage();
  await page.goto(`/interviews/${call.interview.id}/room`);
  return page;
}

async function closeCall(call: Call): Promise<void> {
  for (const context of call.contexts) await context.close();
}

async function joinCall(page: Page): Promise<void> {
  await page.getByTestId('call-join').click();
  await expect(page.getByTestId('call-strip')).toHaveAttribute('data-phase', 'joined', { timeout: 20_000 });
}

/** Each of the page's peer connections' states. */
function connectionStates(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__codeviewCall?.peerConnections().map((pc) => pc.connectionState) ?? []);
}

async function expectConnected(page: Page, peers: number): Promise<void> {
  try {
    await expect
      .poll(() => connectionStates(page), { timeout: 30_000 })
      .toEqual(Array.from({ length: peers }, () => 'connected'));
  } catch (failure) {
    // What the connections were doing, and what the page said, to tell why from a CI log.
    const details = await page.evaluate(async () =>
      Promise.all(
        (window.__codeviewCall?.peerConnections() ?? []).map(async (pc) => {
          const candidates: string[] = [];
          (await pc.getStats()).forEach((r: { type: string; candidateType?: string }) => {
            if (r.type === 'local-candidate' || r.type === 'remote-candidate') {
              candidates.push(`${r.type}:${r.candidateType ?? '?'}`);
            }
          });
          const { signalingState, iceGatheringState, iceConnectionState } = pc;
          return { signalingState, iceGatheringState, iceConnectionState, candidates };
        }),
      ),
    );
    const said = await page.getByTestId('call-error').allTextContents();
    console.log(`call diagnostics: ${JSON.stringify({ details, said })}`);
    throw failure;
  }
}

/** Every stats report of every peer connection of the page. */
function allStats(page: Page): Promise<Stats[]> {
  return page.evaluate(async () =>
    Promise.all(
      (window.__codeviewCall?.peerConnections() ?? []).map(async (pc) => {
        const reports: Record<string, unknown>[] = [];
        (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.push({ ...report }));
        return reports;
      }),
    ),
  );
}

/** Per connection: the video frames decoded from the peer. */
async function framesDecoded(page: Page): Promise<number[]> {
  return (await allStats(page)).map((reports) =>
    reports
      .filter((r) => r['type'] === 'inbound-rtp' && r['kind'] === 'video')
      .reduce((sum, r) => sum + Number(r['framesDecoded'] ?? 0), 0),
  );
}

async function expectFrames(page: Page, peers: number): Promise<void> {
  await expect
    .poll(async () => (await framesDecoded(page)).filter((frames) => frames > 0).length, { timeout: 30_000 })
    .toBe(peers);
}

test('host and candidate join the call, connect, and decode each other’s video', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const { host, candidate } = call;
  await joinCall(host);
  // Before joining, the candidate sees who is in the call.
  await expect(candidate.getByTestId('call-join')).toContainText('1 in call');
  await joinCall(candidate);
  await expectConnected(host, 1);
  await expectConnected(candidate, 1);
  await expectFrames(host, 1);
  await expectFrames(candidate, 1);
  // Both tiles on each side; the remote one plays.
  await expect(candidate.getByTestId('call-tile')).toHaveCount(2);
  await expect
    .poll(() => candidate.locator('video[data-remote="true"]').evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0);
  await expect(host.locator('[data-testid=call-tile][data-self=true] video')).toHaveJSProperty('muted', true);

  await candidate.getByTestId('call-leave').click();
  await expect(host.getByTestId('call-tile')).toHaveCount(1);
  await expect.poll(() => connectionStates(host)).toEqual([]);
  await closeCall(call);
});

test('three people connect pairwise', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const interviewer = await addPerson(browser, baseURL!, call, 'interviewer', 'Ivy');
  for (const page of [call.host, call.candidate, interviewer]) await joinCall(page);
  for (const page of [call.host, call.candidate, interviewer]) {
    await expectConnected(page, 2);
    await expectFrames(page, 2);
  }
  await closeCall(call);
});

test('mute stops the microphone reaching the peer', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const { host, candidate } = call;
  await joinCall(host);
  await joinCall(candidate);
  await expectConnected(host, 1);
  await candidate.getByTestId('call-mute').click();
  await expect(candidate.getByTestId('call-mute')).toHaveText('Unmute');
  const audioSenders = () =>
    candidate.evaluate(() =>
      (window.__codeviewCall?.peerConnections() ?? []).flatMap((pc) =>
        pc
          .getSenders()
          .filter((s) => s.track?.kind === 'audio')
          .map((s) => s.track?.enabled),
      ),
    );
  await expect.poll(audioSenders).toEqual([false]);
  const inboundAudio = async () =>
    Math.max(
      0,
      ...(await allStats(host))
        .flat()
        .filter((r) => r['type'] === 'inbound-rtp' && r['kind'] === 'audio')
        .map((r) => Number(r['audioLevel'] ?? 0)),
    );
  await expect.poll(inboundAudio, { timeout: 15_000 }).toBeLessThan(0.01);
  // The host sees the muted mark on the candidate's tile.
  await expect(
    host.locator('[data-testid=call-tile]:not([data-self])').getByRole('img', { name: 'Microphone off' }),
  ).toBeVisible();
  await closeCall(call);
});

test('a screen share adds a tile the peer renders, and goes away when stopped', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const { host, candidate } = call;
  await joinCall(host);
  await joinCall(candidate);
  await expectConnected(candidate, 1);
  await host.getByTestId('call-screen').click();
  await expect(host.getByTestId('call-screen')).toHaveText('Stop sharing');
  const screenTile = candidate.locator('[data-testid=call-tile][data-kind=screen]');
  await expect(screenTile).toHaveCount(1, { timeout: 20_000 });
  await expect
    .poll(() => screenTile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
  // The camera stays on beside it.
  await expect(candidate.locator('[data-testid=call-tile][data-kind=camera]')).toHaveCount(2);
  await host.getByTestId('call-screen').click();
  await expect(screenTile).toHaveCount(0);
  await closeCall(call);
});

test('a reload joins the call again and media flows again', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const { host, candidate } = call;
  await joinCall(host);
  await joinCall(candidate);
  await expectConnected(host, 1);
  const before = await candidate.getByTestId('call-tile').first().getAttribute('data-peer-id');
  await candidate.reload();
  await expect(candidate.getByTestId('call-strip')).toHaveAttribute('data-phase', 'joined', { timeout: 20_000 });
  await expect
    .poll(() => candidate.locator('[data-testid=call-tile][data-self=true]').getAttribute('data-peer-id'))
    .not.toBe(before);
  await expectConnected(host, 1);
  await expectConnected(candidate, 1);
  await expectFrames(candidate, 1);
  await expect.poll(async () => (await framesDecoded(host))[0] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  await closeCall(call);
});

test('an observer receives video but sends nothing', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const observer = await addPerson(browser, baseURL!, call, 'observer', 'Olive');
  await joinCall(call.host);
  await joinCall(observer);
  await expectConnected(observer, 1);
  await expectFrames(observer, 1);
  await expect(observer.getByTestId('call-mute')).toHaveCount(0);
  await expect(observer.getByTestId('call-camera')).toHaveCount(0);
  const sending = await observer.evaluate(async () =>
    Promise.all(
      (window.__codeviewCall?.peerConnections() ?? []).map(async (pc) => {
        let outbound = 0;
        (await pc.getStats()).forEach((r: { type: string }) => {
          if (r.type === 'outbound-rtp') outbound += 1;
        });
        return { outbound, tracks: pc.getSenders().filter((s) => s.track).length };
      }),
    ),
  );
  expect(sending).toEqual([{ outbound: 0, tracks: 0 }]);
  // The host sees the observer's tile, with "Allow to speak".
  await expect(call.host.getByRole('button', { name: 'Allow to speak' })).toBeVisible();
  await closeCall(call);
});

test('the server refuses an observer’s real offer that would send media', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!);
  const observer = await addPerson(browser, baseURL!, call, 'observer', 'Oscar');
  await joinCall(call.host);
  // The observer's page speaks the protocol itself: joins, then offers the host a camera and a
  // microphone from a real RTCPeerConnection (Chromium's SDP, not a hand-written one).
  const answer = await observer.evaluate(async (interviewId) => {
    const socket = new WebSocket(`ws://${location.host}/ws/rooms/${interviewId}`);
    const events: Record<string, unknown>[] = [];
    socket.onmessage = (message) => events.push(JSON.parse(String(message.data)) as Record<string, unknown>);
    const next = async (type: string) => {
      for (let i = 0; i < 200; i += 1) {
        const found = events.find((e) => e['type'] === type);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no ${type}`);
    };
    await new Promise((resolve) => (socket.onopen = resolve));
    await next('hello');
    const send = (message: object) => socket.send(JSON.stringify({ v: 1, ...message }));
    send({ type: 'call_join', media: { audio: false, video: false, screen_stream: null } });
    const welcome = await next('call_welcome');
    const state = await next('call_state');
    const host = (state['peers'] as { peer_id: string; role: string }[]).find((p) => p.role === 'host');
    const pc = new RTCPeerConnection();
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    media.getTracks().forEach((track) => pc.addTrack(track, media));
    const offer = await pc.createOffer();
    send({ type: 'call_signal', to: host?.peer_id, description: { type: 'offer', sdp: offer.sdp } });
    const error = await next('call_error');
    socket.close();
    pc.close();
    return { mayAudio: (welcome['may_send'] as { audio: boolean }).audio, code: error['code'], sdp: offer.sdp ?? '' };
  }, call.interview.id);
  expect(answer.sdp).toContain('a=sendrecv');
  expect(answer.mayAudio).toBe(false);
  expect(answer.code).toBe('send_not_allowed');
  await closeCall(call);
});

test('a forced relay (?ice=relay) connects through the embedded TURN relay', async ({ browser, baseURL }) => {
  const call = await openCall(browser, baseURL!, '?ice=relay');
  await joinCall(call.host);
  await joinCall(call.candidate);
  await expectConnected(call.host, 1);
  await expectFrames(call.candidate, 1);
  const localCandidateType = async () => {
    const [reports = []] = await allStats(call.host);
    const pair = reports.find((r) => r['type'] === 'candidate-pair' && r['nominated'] && r['state'] === 'succeeded');
    return reports.find((r) => r['id'] === pair?.['localCandidateId'])?.['candidateType'];
  };
  await expect.poll(localCandidateType).toBe('relay');
  await closeCall(call);
});

const ownWebDir = process.env['CODEVIEW_WEB_DIR'] ?? fileURLToPath(new URL('../dist', import.meta.url));

/** A TCP port nobody listens on now (asked of the system, then let go). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A server of this test's own (the suite's must not restart): the e2e binary on `port`. */
async function startOwnServer(port: number, database: string): Promise<ChildProcess> {
  const bin = process.env['CODEVIEW_BIN'];
  if (!bin) throw new Error('CODEVIEW_BIN is not set (make e2e sets it)');
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(
    bin,
    ['serve', '--addr', `127.0.0.1:${port}`, '--database-url', `sqlite://${database}`, '--public-url', url],
    // No runs here: a second server running code would share the suite server's sandbox uids.
    {
      env: { ...process.env, CODEVIEW_RUN_WORKERS: '0', CODEVIEW_WEB_DIR: ownWebDir, RUST_LOG: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let said = '';
  server.stderr?.on('data', (chunk: Buffer) => (said = (said + chunk.toString()).slice(-4000)));
  await expect
    .poll(
      async () => {
        if (server.exitCode !== null) throw new Error(`the test's server exited (${server.exitCode}): ${said}`);
        return fetch(`${url}/api/health`)
          .then((r) => r.status)
          .catch(() => 0);
      },
      { timeout: 30_000, message: `the test's server answers on ${url}` },
    )
    .toBe(200);
  return server;
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
}

/** The peer ids of the page's remote tiles. */
function remotePeerIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid="call-tile"][data-peer-id]'))
      .filter((tile) => tile.querySelector('video[data-remote="true"]'))
      .map((tile) => tile.getAttribute('data-peer-id') ?? ''),
  );
}

test('after a server restart the call rebuilds itself, with no click', async ({ browser }) => {
  const port = await freePort();
  const database = join(mkdtempSync(join(tmpdir(), 'codeview-restart-')), 'codeview.db');
  let server = await startOwnServer(port, database);
  const call = await openCall(browser, `http://127.0.0.1:${port}`);
  try {
    await joinCall(call.host);
    await joinCall(call.candidate);
    await expectConnected(call.host, 1);
    await expectFrames(call.candidate, 1);
    const [before] = await remotePeerIds(call.host);
    expect(before).toBeTruthy();
    await call.host.evaluate(() => {
      window.__callBeforeRestart = window.__codeviewCall?.peerConnections()[0];
    });

    await stopServer(server);
    server = await startOwnServer(port, database);
    // Both sockets come back (backoff ≤ 10 s), join again with new peer ids, and connect anew:
    // one remote tile of a new peer, on a new connection, the old one closed.
    await expect
      .poll(async () => (await remotePeerIds(call.host)).map((id) => id === before), { timeout: 40_000 })
      .toEqual([false]);
    const replaced = await call.host.evaluate(() => {
      const old = window.__callBeforeRestart;
      const now = window.__codeviewCall?.peerConnections() ?? [];
      return { oldState: old?.connectionState, reused: now.some((pc) => pc === old), count: now.length };
    });
    expect(replaced).toEqual({ oldState: 'closed', reused: false, count: 1 });
    await expectConnected(call.host, 1);
    await expectConnected(call.candidate, 1);
    await expectFrames(call.host, 1);
    await expectFrames(call.candidate, 1);
  } finally {
    await closeCall(call);
    await stopServer(server);
  }
});
