// Accessibility of every page, in real Chromium against the real server: axe-core finds no
// serious or critical violation on the sign-in and registration pages, the dashboard, the
// question bank (list, a question, the form), the interview form and detail, the workspace
// settings, the candidate's join page and the room (as host and as candidate), in the light and
// the dark colour scheme; each page has
// exactly one <main> and one <h1>. Then the room by keyboard: the shortcuts sheet (button and
// `?`), Esc then Tab out of Monaco with its visible hint, and a candidate who reloads the room
// after the end sees the "ended" screen, not the staff sign-in.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  focusEditorEnd,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

// Many pages, two of them with Monaco, each checked twice, on a busy 2-core machine.
test.describe.configure({ timeout: 300_000 });

/**
 * Runs axe on the page as it is, in the light and in the dark colour scheme, and fails (softly,
 * so one run lists every page's problems) on any serious or critical violation.
 */
async function expectAccessible(page: Page, what: string): Promise<void> {
  await expect.soft(page.locator('main'), `${what}: one <main>`).toHaveCount(1);
  await expect.soft(page.locator('h1'), `${what}: one <h1>`).toHaveCount(1);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page, `${what} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: null });
}

async function createQuestionViaApi(context: BrowserContext, baseURL: string): Promise<string> {
  const res = await context.request.post('/api/questions', {
    headers: { Origin: baseURL },
    data: {
      title: `Two sum ${Date.now()}`,
      prompt: 'Return the indices of two numbers adding up to `target`.\n\n- one\n- two',
      difficulty: 'easy',
      category: 'Arrays',
      tags: ['hashing'],
      starter_code: { python: 'def two_sum(nums, target):\n    pass' },
      test_cases: [
        { input: '1 2', expected_output: '3', hidden: false },
        { input: '2 2', expected_output: '4', hidden: true },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { question: { id: string } }).question.id;
}

/** Joins through the invite link in the UI (so this browser remembers it) and waits for the room. */
async function joinAsCandidate(page: Page, interview: LiveInterview): Promise<void> {
  await page.goto(interview.inviteUrl);
  await page.getByLabel('Your name').fill('Casey Candidate');
  await page.getByRole('button', { name: 'Join interview' }).click();
  await expect(page).toHaveURL(new RegExp(`/interviews/${interview.id}/room$`), { timeout: 20_000 });
  await expect(page.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 });
}

test('every page passes axe with no serious or critical violation', async ({ browser, baseURL }) => {
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto('/login');
  await expect(visitor.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(visitor, 'sign-in');
  await visitor.goto('/register');
  await expect(visitor.getByLabel('Full name')).toBeVisible();
  await expectAccessible(visitor, 'registration');

  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Axe'));
  const questionId = await createQuestionViaApi(hostContext, baseURL!);
  const interview = await createInterviewViaApi(
    hostContext,
    baseURL!,
    { title: 'Accessible screen', language: 'python', candidate_name: 'Casey Candidate', question_ids: [questionId] },
    { start: false },
  );
  const workspaces = (await (await hostContext.request.get('/api/workspaces')).json()) as {
    workspaces: { id: string }[];
  };
  const host = await hostContext.newPage();

  await host.goto('/');
  await expect(host.getByTestId('interview-table')).toBeVisible();
  await expectAccessible(host, 'dashboard');
  await host.goto('/questions');
  await expect(host.getByText('Two sum').first()).toBeVisible();
  await expectAccessible(host, 'question bank');
  await host.goto(`/questions/${questionId}`);
  await expect(host.getByRole('heading', { level: 1 })).toContainText('Two sum');
  await expectAccessible(host, 'question');
  await host.goto('/questions/new');
  await expect(host.getByLabel('Title')).toBeVisible();
  await expectAccessible(host, 'new question');
  await host.goto(`/questions/${questionId}/edit`);
  await expect(host.getByLabel('Input for test 1')).toBeVisible();
  await expectAccessible(host, 'question form with test cases');
  await host.goto('/interviews/new');
  await expect(host.getByLabel('Title')).toBeVisible();
  await expectAccessible(host, 'new interview');
  await host.goto(`/interviews/${interview.id}`);
  await expect(host.getByRole('heading', { level: 1 })).toContainText('Accessible screen');
  await expectAccessible(host, 'interview detail');
  await host.goto(`/workspaces/${workspaces.workspaces[0]?.id}/settings`);
  await expect(host.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(host, 'workspace settings');

  // The candidate's join page (before the start), then the room on both sides once live.
  const candidateContext = await browser.newContext();
  const candidate = await candidateContext.newPage();
  await candidate.goto(interview.inviteUrl);
  await expect(candidate.getByLabel('Your name')).toBeVisible();
  await expectAccessible(candidate, 'join page');
  await candidate.getByRole('button', { name: 'Join interview' }).click();
  await expect(candidate.getByText('Waiting for the interviewer to start…')).toBeVisible();
  await expectAccessible(candidate, 'lobby');
  const started = await hostContext.request.post(`/api/interviews/${interview.id}/start`, {
    headers: { Origin: baseURL! },
  });
  expect(started.status(), await started.text()).toBe(200);
  await expect(candidate).toHaveURL(new RegExp(`/interviews/${interview.id}/room$`), { timeout: 20_000 });
  await expect(candidate.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 });
  await expectAccessible(candidate, 'room (candidate)');

  await host.goto(`/interviews/${interview.id}/room`);
  await expect(host.getByTestId('notes-editor')).toBeVisible({ timeout: 30_000 });
  await expect(host.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 });
  await expectAccessible(host, 'room (host)');

  const ended = await hostContext.request.post(`/api/interviews/${interview.id}/end`, {
    headers: { Origin: baseURL! },
  });
  expect(ended.status(), await ended.text()).toBe(200);
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });
  await expectAccessible(candidate, 'ended screen');

  await Promise.all([anonymous.close(), hostContext.close(), candidateContext.close()]);
});

test('the room by keyboard: shortcuts sheet, leaving the editor, and the ended screen after a reload', async ({
  browser,
  baseURL,
}) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Keys'));
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'Keyboard screen',
    language: 'python',
    candidate_name: 'Casey Candidate',
  });
  const candidateContext = await browser.newContext();
  const candidate = await candidateContext.newPage();
  await joinAsCandidate(candidate, interview);

  // On a phone the bar keeps its "?" button (named Shortcuts) without scrolling sideways.
  await candidate.setViewportSize({ width: 360, height: 740 });
  await expect(candidate.getByRole('button', { name: 'Shortcuts' })).toBeVisible();
  await expectNoHorizontalOverflow(candidate, 'room at 360 px');
  await candidate.setViewportSize({ width: 1280, height: 720 });

  // The sheet from its button, then from `?` pressed outside the editor.
  await expect(candidate.locator('main')).toHaveCount(1);
  await candidate.getByRole('button', { name: /Shortcuts/ }).click();
  const sheet = candidate.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toContainText('Run the code');
  await expect(sheet).toContainText('Leave the editor');
  await candidate.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(candidate.getByRole('button', { name: /Shortcuts/ })).toBeFocused();
  await candidate.keyboard.press('Shift+?');
  await expect(sheet).toBeVisible();
  await candidate.keyboard.press('Escape');

  // In the editor `?` is text; the hint shows; Esc then Tab leaves, to the run panel.
  await focusEditorEnd(candidate, 'code-editor');
  await expect(candidate.getByTestId('editor-exit-hint')).toBeVisible();
  await candidate.keyboard.type('x = 1 # ?');
  await expect(sheet).toHaveCount(0);
  await candidate.keyboard.press('Escape');
  await candidate.keyboard.press('Tab');
  const inEditor = () =>
    candidate.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="code-editor"]')));
  await expect.poll(inEditor).toBe(false);
  await expect(candidate.getByTestId('editor-exit-hint')).toHaveCount(0);
  // The next control may be a labelled one without text (the editor/run split handle).
  const left = await candidate.evaluate(
    () => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '',
  );
  expect(left.trim().length, 'focus is on a named control after the editor').toBeGreaterThan(0);
  // Tab alone inside the editor still indents (focus stays).
  await focusEditorEnd(candidate, 'code-editor');
  await candidate.keyboard.press('Tab');
  expect(await inEditor()).toBe(true);

  // The end signs the candidate out; a reload shows the ended screen, not the staff sign-in.
  const ended = await hostContext.request.post(`/api/interviews/${interview.id}/end`, {
    headers: { Origin: baseURL! },
  });
  expect(ended.status(), await ended.text()).toBe(200);
  await candidate.reload();
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });
  await expect(candidate.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  // And so does the room's address opened again later.
  await candidate.goto(`/interviews/${interview.id}/room`);
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });

  await Promise.all([hostContext.close(), candidateContext.close()]);
});
