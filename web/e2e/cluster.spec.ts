// One interview across three server instances (issue 21) in real Chromium: the host's page on
// A, the candidate's on B and the observer's on C, all on one PostgreSQL database and one
// Redis (started by the spec, see cluster-support.ts). Typing converges on every page, a run
// the candidate starts on B streams its output to the host on A, and ending the interview on
// A closes the candidate's sockets on B within the 1 s (asserted with a margin).
import { expect, test, type BrowserContext, type Page, type WebSocket } from '@playwright/test';
import { Cluster, missingService } from './cluster-support';
import {
  createInterviewViaApi,
  editorText,
  focusEditorEnd,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

const CODE = 'code-editor';
/** The bound for closing an ended interview's sockets on every instance, and the margin allowed here. */
const CLOSE_WITHIN_MS = 1000;
const CLOSE_MARGIN_MS = 500;

// Three servers, three Monaco pages and a sandboxed run on a shared 2-core machine.
test.describe.configure({ timeout: 180_000, mode: 'serial' });

const skipReason = missingService();
test.skip(skipReason !== null, skipReason ?? '');

let cluster: Cluster | null = null;
test.beforeAll(async () => {
  cluster = await Cluster.start(3);
});
test.afterEach(async () => {
  const testInfo = test.info();
  if (cluster && testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('server logs', { body: cluster.logs() });
    console.log(cluster.logs());
  }
});
test.afterAll(async () => {
  await cluster?.stop();
});

async function waitSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status').first()).toHaveAttribute('data-phase', 'synced', {
    timeout: 30_000,
  });
  await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
}

/** Replaces the editor's text by typing (see run.spec.ts for why one `insertText`). */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByTestId(CODE).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect(page.getByTestId(CODE).locator('.view-lines')).toContainText(code.split('\n')[0] ?? '');
}

test('host on A, candidate on B, observer on C: typing converges, a run from B streams to A, the end on A closes B', async ({
  browser,
}) => {
  if (!cluster) throw new Error('the cluster did not start');
  const [a, b, c] = cluster.instances;
  if (!a || !b || !c) throw new Error('three instances expected');
  // Set-up through A's API (cookies are per host, not per port: every instance accepts them).
  const contexts: BrowserContext[] = [];
  const context = async () => {
    const made = await browser.newContext({ baseURL: a.baseURL });
    contexts.push(made);
    return made;
  };
  const hostContext = await context();
  await registerViaApi(hostContext, a.baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, a.baseURL, {
    title: 'Across instances',
    language: 'python',
    candidate_name: 'Casey Candidate',
  });
  const observerContext = await context();
  const observerAccount = uniqueAccount('Observer');
  await registerViaApi(observerContext, a.baseURL, observerAccount);
  await joinWorkspaceViaApi(hostContext, observerContext, a.baseURL, observerAccount.email);
  const added = await hostContext.request.post(`/api/interviews/${interview.id}/participants`, {
    data: { email: observerAccount.email, role: 'observer' },
    headers: { Origin: a.baseURL },
  });
  expect(added.status(), await added.text()).toBe(201);
  const candidateContext = await context();
  await joinViaApi(candidateContext, a.baseURL, interview, 'Casey Candidate');

  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  const observer = await observerContext.newPage();
  const candidateSockets: { socket: WebSocket; closedAt: number | null }[] = [];
  candidate.on('websocket', (socket) => {
    const entry = { socket, closedAt: null as number | null };
    candidateSockets.push(entry);
    socket.on('close', () => {
      entry.closedAt = Date.now();
    });
  });
  const room = `/interviews/${interview.id}/room`;
  await Promise.all([
    host.goto(`${a.baseURL}${room}`),
    candidate.goto(`${b.baseURL}${room}`),
    observer.goto(`${c.baseURL}${room}`),
  ]);
  for (const page of [host, candidate, observer]) await waitSynced(page);

  try {
    // Typing on B reaches A and C; typing on A reaches B and C.
    await typeCode(candidate, 'answer = 42');
    await expect.poll(() => editorText(host, CODE), { timeout: 15_000 }).toBe('answer = 42');
    await expect.poll(() => editorText(observer, CODE), { timeout: 15_000 }).toBe('answer = 42');
    await focusEditorEnd(host, CODE);
    await host.keyboard.type('\n# reviewed on A');
    for (const page of [candidate, observer]) {
      await expect.poll(() => editorText(page, CODE), { timeout: 15_000 }).toBe('answer = 42\n# reviewed on A');
    }

    // A run started on B streams its output to A while it runs.
    await typeCode(candidate, 'import time\nfor i in range(4): print(f"tick {i}", flush=True); time.sleep(0.6)');
    await expect.poll(() => editorText(host, CODE), { timeout: 15_000 }).toContain('for i in range(4)');
    await candidate.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(host.getByTestId('run-output')).toContainText('tick 0', { timeout: 30_000 });
    await expect(host.getByTestId('run-status')).toHaveText('Finished', { timeout: 30_000 });
    await expect(host.getByTestId('run-output')).toContainText('tick 3');
    await expect(host.getByTestId('run-who')).toContainText('Casey Candidate');
    await expect(observer.getByTestId('run-output')).toContainText('tick 3', { timeout: 15_000 });

    // Ending on A closes the candidate's document and room sockets on B.
    const open = candidateSockets.filter(
      (entry) => entry.closedAt === null && /\/ws\/(yjs|rooms)\//.test(entry.socket.url()),
    );
    expect(
      open.length,
      `the candidate's open sockets: ${candidateSockets.map((e) => e.socket.url()).join(', ')}`,
    ).toBeGreaterThan(0);
    const ended = await hostContext.request.post(`/api/interviews/${interview.id}/end`, {
      headers: { Origin: a.baseURL },
    });
    expect(ended.status(), await ended.text()).toBe(200);
    const endedAt = Date.now();
    await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => open.every((entry) => entry.closedAt !== null), { timeout: 20_000 }).toBe(true);
    const slowest = Math.max(...open.map((entry) => (entry.closedAt ?? Infinity) - endedAt));
    console.log(
      `cluster e2e: the candidate's ${open.length} sockets on B closed at most ${slowest} ms after the end on A`,
    );
    expect(
      slowest,
      `the candidate's sockets on B must close within ${CLOSE_WITHIN_MS} ms of the end on A (+${CLOSE_MARGIN_MS} ms margin)`,
    ).toBeLessThan(CLOSE_WITHIN_MS + CLOSE_MARGIN_MS);
  } finally {
    await Promise.all(contexts.map((made) => made.close()));
  }
});
