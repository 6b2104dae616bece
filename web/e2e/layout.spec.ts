// Layout against the real server in real Chromium: every page (signed out, signed in, the
// candidate's join page and lobby, the room as host, candidate and observer) fits a 360×740
// phone and a 1366×768 laptop without sideways scrolling; at 1366×768 the host's run pane is
// tall enough for a test run's summary; and the room's splits move by keyboard and by drag and
// are remembered across a reload. Set-up goes through the API (helpers.ts).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  expectNoHorizontalOverflow,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

const PHONE = { width: 360, height: 740 };
const LAPTOP = { width: 1366, height: 768 };
const EDITOR = 'code-editor';

// Sets up four accounts, three interviews and a sandboxed run, and loads Monaco a few times.
test.describe.configure({ timeout: 240_000 });

// Long names, as people really have them, so that a layout that only fits short ones fails.
const LONG_TITLE = 'Senior backend engineer — distributed systems and live coding round';
const LONG_CANDIDATE = 'Maximiliana Alexandrovna Featherstonehaugh-Montgomery';
const HOST_NAME = 'Bartholomew Wolfeschlegelsteinhausen';

/** With CODEVIEW_SCREENSHOTS=1, saves what the page looks like to web/screenshots/ (like the tour). */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env['CODEVIEW_SCREENSHOTS'] === '1')
    await page.screenshot({ path: `screenshots/${name.replace(/[^a-z0-9-]+/gi, '-')}.png`, fullPage: true });
}

interface Fixture {
  baseURL: string;
  workspaceId: string;
  questionId: string;
  scheduled: LiveInterview;
  live: LiveInterview;
  inviteToken: string;
  host: BrowserContext;
  candidate: BrowserContext;
  lobbyCandidate: BrowserContext;
  observer: BrowserContext;
  anonymous: BrowserContext;
}

async function postJson<T>(context: BrowserContext, baseURL: string, url: string, data: unknown): Promise<T> {
  const res = await context.request.post(url, { data, headers: { Origin: baseURL } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** A question of the host's workspace with three visible cases that `print(input())` passes. */
async function createEchoQuestion(host: BrowserContext, baseURL: string, workspaceId: string): Promise<string> {
  const created = await postJson<{ question: { id: string } }>(host, baseURL, '/api/questions', {
    workspace_id: workspaceId,
    title: 'Echo the input line back, exactly as it was given, for every case',
    prompt: 'Read one line and print it.\n\n```\nhello -> hello\n```',
    difficulty: 'easy',
    category: 'Warm-up',
    tags: ['strings', 'io'],
    test_cases: ['1', '22', '333'].map((line) => ({ input: `${line}\n`, expected_output: `${line}\n`, hidden: false })),
  });
  return created.question.id;
}

async function setUp(browser: Browser, baseURL: string): Promise<Fixture> {
  const host = await browser.newContext();
  await registerViaApi(host, baseURL, { ...uniqueAccount('Host'), name: HOST_NAME });
  const listed = (await (await host.request.get('/api/workspaces')).json()) as { workspaces: { id: string }[] };
  const workspaceId = listed.workspaces[0]?.id ?? '';
  const questionId = await createEchoQuestion(host, baseURL, workspaceId);
  const interview = {
    title: LONG_TITLE,
    language: 'python',
    candidate_name: LONG_CANDIDATE,
    candidate_email: 'maximiliana.featherstonehaugh-montgomery@example-recruiting-agency.com',
    question_ids: [questionId],
  };
  const scheduled = await createInterviewViaApi(host, baseURL, interview, { start: false });
  const live = await createInterviewViaApi(host, baseURL, interview);

  const candidate = await browser.newContext();
  await joinViaApi(candidate, baseURL, live, LONG_CANDIDATE);
  const lobbyCandidate = await browser.newContext();
  await joinViaApi(lobbyCandidate, baseURL, scheduled, LONG_CANDIDATE);

  const observer = await browser.newContext();
  const observerAccount = uniqueAccount('Observer');
  await registerViaApi(observer, baseURL, observerAccount);
  await joinWorkspaceViaApi(host, observer, baseURL, observerAccount.email);
  await postJson(host, baseURL, `/api/interviews/${live.id}/participants`, {
    email: observerAccount.email,
    role: 'observer',
  });

  const invited = await postJson<{ invite_url: string }>(host, baseURL, `/api/workspaces/${workspaceId}/invites`, {
    email: 'a.very.long.address.for.a.new.colleague@example-engineering-team.com',
    role: 'member',
  });
  const inviteToken = new URL(invited.invite_url).pathname.split('/').pop() ?? '';

  const anonymous = await browser.newContext();
  return {
    baseURL,
    workspaceId,
    questionId,
    scheduled,
    live,
    inviteToken,
    host,
    candidate,
    lobbyCandidate,
    observer,
    anonymous,
  };
}

async function tearDown(f: Fixture): Promise<void> {
  for (const context of [f.anonymous, f.observer, f.lobbyCandidate, f.candidate, f.host]) await context.close();
}

interface PageVisit {
  name: string;
  context: (f: Fixture) => BrowserContext;
  path: (f: Fixture) => string;
  /** The room: wait for the editor and the run panel, not just the heading. */
  room?: boolean;
}

const PAGES: PageVisit[] = [
  { name: 'login', context: (f) => f.anonymous, path: () => '/login' },
  { name: 'register', context: (f) => f.anonymous, path: () => '/register' },
  { name: 'workspace invite', context: (f) => f.anonymous, path: (f) => `/invites/${f.inviteToken}` },
  {
    name: 'join page',
    context: (f) => f.anonymous,
    path: (f) => new URL(f.scheduled.inviteUrl).pathname + new URL(f.scheduled.inviteUrl).search,
  },
  { name: 'lobby', context: (f) => f.lobbyCandidate, path: (f) => `/join/${f.scheduled.roomCode}` },
  { name: 'dashboard', context: (f) => f.host, path: () => '/' },
  { name: 'question bank', context: (f) => f.host, path: () => '/questions' },
  { name: 'question detail', context: (f) => f.host, path: (f) => `/questions/${f.questionId}` },
  { name: 'new question', context: (f) => f.host, path: () => '/questions/new' },
  { name: 'edit question', context: (f) => f.host, path: (f) => `/questions/${f.questionId}/edit` },
  { name: 'new interview', context: (f) => f.host, path: () => '/interviews/new' },
  { name: 'interview detail', context: (f) => f.host, path: (f) => `/interviews/${f.scheduled.id}` },
  { name: 'edit interview', context: (f) => f.host, path: (f) => `/interviews/${f.scheduled.id}/edit` },
  { name: 'workspace settings', context: (f) => f.host, path: (f) => `/workspaces/${f.workspaceId}/settings` },
  { name: 'room (host)', context: (f) => f.host, path: (f) => `/interviews/${f.live.id}/room`, room: true },
  { name: 'room (candidate)', context: (f) => f.candidate, path: (f) => `/interviews/${f.live.id}/room`, room: true },
  { name: 'room (observer)', context: (f) => f.observer, path: (f) => `/interviews/${f.live.id}/room`, room: true },
];

async function visit(page: Page, visitSpec: PageVisit, f: Fixture): Promise<void> {
  await page.goto(visitSpec.path(f));
  await expect(page.locator('h1').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.loading-block')).toHaveCount(0, { timeout: 20_000 });
  if (visitSpec.room) {
    await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('run-panel')).toBeVisible();
  }
}

test('every page fits 360 px and 1366 px without sideways scrolling', async ({ browser, baseURL }) => {
  const f = await setUp(browser, baseURL!);
  const pages = new Map<BrowserContext, Page>();
  for (const viewport of [PHONE, LAPTOP]) {
    for (const spec of PAGES) {
      const context = spec.context(f);
      const page = pages.get(context) ?? (await context.newPage());
      pages.set(context, page);
      await page.setViewportSize(viewport);
      await visit(page, spec, f);
      await shot(page, `layout-${viewport.width}-${spec.name}`);
      // Soft: one run reports every page that scrolls sideways.
      await expectNoHorizontalOverflow(page, `${spec.name} at ${viewport.width}×${viewport.height}`, { soft: true });
    }
  }
  // The phone's menus: the user menu opens inside the window.
  const host = pages.get(f.host)!;
  await host.setViewportSize(PHONE);
  await host.goto('/');
  // The avatar stands for the name on phones; the button is still named after the person.
  await host.getByRole('button', { name: HOST_NAME, exact: true }).click();
  const menu = host.getByRole('button', { name: 'Sign out' });
  await expect(menu).toBeVisible();
  const box = (await menu.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await expectNoHorizontalOverflow(host, 'dashboard with the user menu open at 360×740');
  await tearDown(f);
});

/** The box of `testId`'s element and whether it lies wholly inside the box of `within` and the window. */
async function fullyShown(page: Page, testId: string, within: string): Promise<boolean> {
  return page.evaluate(
    ([id, container]) => {
      const el = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      const box = document.querySelector(container)?.getBoundingClientRect();
      if (!el || !box || el.height === 0) return false;
      const inside = (r: DOMRect, b: { top: number; bottom: number; left: number; right: number }) =>
        r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5 && r.left >= b.left - 0.5 && r.right <= b.right + 0.5;
      return inside(el, box) && inside(el, { top: 0, left: 0, bottom: innerHeight, right: innerWidth });
    },
    [testId, within] as const,
  );
}

async function heightOf(page: Page, selector: string): Promise<number> {
  return (await page.locator(selector).boundingBox())?.height ?? 0;
}

async function valueOf(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('aria-valuenow'));
}

test('at 1366×768 the run pane shows a test summary, and the splits move and are remembered', async ({
  browser,
  baseURL,
}) => {
  const host = await browser.newContext({ viewport: LAPTOP });
  await registerViaApi(host, baseURL!, uniqueAccount('Host'));
  const me = (await (await host.request.get('/api/auth/me')).json()) as { user: { id: string } };
  const listed = (await (await host.request.get('/api/workspaces')).json()) as { workspaces: { id: string }[] };
  const questionId = await createEchoQuestion(host, baseURL!, listed.workspaces[0]?.id ?? '');
  const live = await createInterviewViaApi(host, baseURL!, {
    title: LONG_TITLE,
    language: 'python',
    candidate_name: LONG_CANDIDATE,
    question_ids: [questionId],
  });
  const page = await host.newPage();
  await page.goto(`/interviews/${live.id}/room`);
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('notes-panel')).toBeVisible();
  await expect(page.getByTestId('run-language')).toContainText(/Python \d/);

  // The default split gives the run pane over a third of the window.
  const runPane = '#room-run';
  expect(await heightOf(page, runPane)).toBeGreaterThanOrEqual(LAPTOP.height * 0.35);

  // A passing test run: its summary is wholly visible in the tests panel, without scrolling.
  await page.getByTestId(EDITOR).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('print(input())');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('test-summary')).toHaveText('3/3 passed', { timeout: 30_000 });
  expect(await fullyShown(page, 'test-summary', '#run-tabpanel-tests')).toBe(true);
  for (const row of await page.getByTestId('test-case').all()) await expect(row).toBeInViewport({ ratio: 1 });
  await shot(page, 'layout-1366-room-host-tests');

  // Keyboard: the run pane grows by two points per arrow key.
  const before = await valueOf(page, 'run-split');
  const runHeight = await heightOf(page, runPane);
  await page.getByTestId('run-split').focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowUp');
  expect(await valueOf(page, 'run-split')).toBe(before + 6);
  expect(await heightOf(page, runPane)).toBeGreaterThan(runHeight + 30);
  await page.getByTestId('notes-split').focus();
  await page.keyboard.press('Home');
  expect(await valueOf(page, 'notes-split')).toBe(18);

  // Drag: the question panel follows the pointer.
  const promptWidth = (await page.locator('#room-prompt').boundingBox())!.width;
  const handle = (await page.getByTestId('prompt-split').boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + 300);
  await page.mouse.down();
  await page.mouse.move(handle.x + 100, handle.y + 300, { steps: 5 });
  await page.mouse.up();
  const promptAfterDrag = (await page.locator('#room-prompt').boundingBox())!.width;
  expect(promptAfterDrag).toBeGreaterThan(promptWidth + 80);
  const dragged = await valueOf(page, 'prompt-split');

  // All of it is remembered for this account, across a reload.
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('codeview.layout.')));
  expect(keys.sort()).toEqual(
    ['room.notes', 'room.prompt', 'room.run'].map((split) => `codeview.layout.${me.user.id}.${split}`),
  );
  await page.reload();
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  expect(await valueOf(page, 'run-split')).toBe(before + 6);
  expect(await valueOf(page, 'notes-split')).toBe(18);
  expect(await valueOf(page, 'prompt-split')).toBe(dragged);
  expect(Math.abs((await page.locator('#room-prompt').boundingBox())!.width - promptAfterDrag)).toBeLessThan(2);
  await expectNoHorizontalOverflow(page, 'room (host) after resizing');
  await host.close();
});
