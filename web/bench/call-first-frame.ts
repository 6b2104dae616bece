// Benchmark: time from clicking "Join call" to the first decoded remote video frame, on
// loopback, in headless Chromium with fake devices (issue 18's target: ≤ 1.5 s p50). A host
// joins the call once; then, N times, a candidate opens the room, clicks Join call, and the
// page itself times the click until one of its connections reports `framesDecoded > 0`
// (polled every 10 ms), then leaves. The baseline, in the same browser and run: N times two
// RTCPeerConnections in one page, wired to each other directly (no server, no signalling, no
// ICE servers), from getUserMedia to the first decoded frame — the floor WebRTC itself sets on
// this machine. Prints every run and p50/p90 of both in milliseconds.
//
// Needs a running server that serves the built web UI (`npm run build`), e.g.
//   $CARGO_TARGET_DIR/debug/codeview serve --addr 127.0.0.1:8080 \
//     --database-url sqlite:///tmp/bench.db --public-url http://127.0.0.1:8080   (CODEVIEW_WEB_DIR=web/dist)
// then, in web/ (Node 22.6+ runs TypeScript itself; on Node 20 `npx tsx` does):
//   node --experimental-strip-types bench/call-first-frame.ts --base-url http://127.0.0.1:8080 --runs 20
//   npx --yes tsx bench/call-first-frame.ts --base-url http://127.0.0.1:8080 --runs 20
// It creates its own account and interview through the API. CHROMIUM_PATH picks the browser
// (default /usr/bin/chromium, as the e2e suite).
import { chromium, type BrowserContext } from '@playwright/test';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? (process.argv[index + 1] as string) : fallback;
}

const baseURL = option('base-url', 'http://127.0.0.1:8080');
const runs = Number(option('runs', '10'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function post(context: BrowserContext, path: string, data?: unknown): Promise<unknown> {
  const res = await context.request.post(path, { data, headers: { Origin: baseURL } });
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return res.json();
}

/**
 * Runs in the page: clicks Join call and polls the connections' stats every 10 ms until a video
 * frame is decoded; the milliseconds between, or NaN after 30 s. A string, so that no
 * TypeScript runner's helpers (tsx's `__name`) end up in the page.
 */
const MEASURE_IN_PAGE = `(async () => {
  const decoded = async () => {
    for (const pc of window.__codeviewCall?.peerConnections() ?? []) {
      let frames = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
      if (frames > 0) return true;
    }
    return false;
  };
  const start = performance.now();
  document.querySelector('[data-testid=call-join]')?.click();
  while (!(await decoded())) {
    if (performance.now() - start > 30000) return NaN;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - start;
})()`;

/**
 * Runs in the page: the baseline. A camera stream from getUserMedia sent from one local
 * RTCPeerConnection to another (offer, answer and candidates handed over directly) until the
 * receiver decodes a frame; the milliseconds from the getUserMedia call, or NaN after 30 s.
 */
const BASELINE_IN_PAGE = `(async () => {
  const start = performance.now();
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (e) => e.candidate && receiver.addIceCandidate(e.candidate);
  receiver.onicecandidate = (e) => e.candidate && sender.addIceCandidate(e.candidate);
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  media.getTracks().forEach((track) => sender.addTrack(track, media));
  await sender.setLocalDescription();
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription();
  await sender.setRemoteDescription(receiver.localDescription);
  let ms = NaN;
  while (performance.now() - start < 30000) {
    let frames = 0;
    (await receiver.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
    });
    if (frames > 0) {
      ms = performance.now() - start;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  media.getTracks().forEach((track) => track.stop());
  sender.close();
  receiver.close();
  return ms;
})()`;

function summary(what: string, times: number[]): string {
  const sorted = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  return `${what} over ${sorted.length}/${times.length} runs: p50 ${Math.round(percentile(sorted, 50))} ms, p90 ${Math.round(percentile(sorted, 90))} ms`;
}

async function main() {
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
  const id = Date.now().toString(36);
  const host = await browser.newContext({ baseURL });
  await post(host, '/api/auth/register', {
    name: 'Bench Host',
    email: `bench-${id}@example.com`,
    password: 'correct horse battery',
  });
  const created = (await post(host, '/api/interviews', {
    title: 'Call benchmark',
    language: 'python',
    candidate_name: 'Bench Candidate',
  })) as { interview: { id: string; room_code: string }; candidate_invite_url: string };
  const interviewId = created.interview.id;
  await post(host, `/api/interviews/${interviewId}/start`);
  const candidate = await browser.newContext({ baseURL });
  await post(candidate, `/api/interviews/room/${created.interview.room_code}/join`, {
    name: 'Bench Candidate',
    invite: new URL(created.candidate_invite_url).searchParams.get('invite') ?? '',
  });

  const hostPage = await host.newPage();
  await hostPage.goto(`/interviews/${interviewId}/room`);
  await hostPage.getByTestId('call-join').click();
  await hostPage.locator('[data-testid=call-strip][data-phase=joined]').waitFor();

  const times: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const page = await candidate.newPage();
    await page.goto(`/interviews/${interviewId}/room`);
    // The room socket is up once the Join button counts the host.
    await page.getByTestId('call-join').filter({ hasText: 'in call' }).waitFor();
    const ms = (await page.evaluate(MEASURE_IN_PAGE)) as number;
    times.push(ms);
    console.log(`run ${run}: ${Number.isNaN(ms) ? 'no frame within 30 s' : `${Math.round(ms)} ms`}`);
    await page.getByTestId('call-leave').click();
    await page.close();
  }

  const baseline: number[] = [];
  const floor = await candidate.newPage();
  await floor.goto('/');
  for (let run = 1; run <= runs; run++) {
    const ms = (await floor.evaluate(BASELINE_IN_PAGE)) as number;
    baseline.push(ms);
    console.log(`baseline run ${run}: ${Number.isNaN(ms) ? 'no frame within 30 s' : `${Math.round(ms)} ms`}`);
  }
  console.log(summary('join → first remote frame', times));
  console.log(summary('baseline: two local connections, getUserMedia → first frame', baseline));
  await browser.close();
}

await main();
