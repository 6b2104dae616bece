// A whole interview walked through by four people as new users would, at 1366×768 and again at
// 360×740: the host (set up through the API) makes a Python interview with a starter-library
// question that has test cases, adds an interviewer and an observer; the candidate (no account)
// opens the invite link and waits in the lobby; the host sees the lobby banner live and starts
// from it; the candidate runs a wrong solution (a red "No tests passed" for them and the host),
// then a right one ("All tests passed"); the interviewer writes a note the host sees, the
// candidate has no notes panel, the observer's editor is read only and their selection reaches
// nobody; the host ends the interview and the candidate sees the "ended" screen, also after a
// reload. Every page of every person fits the window at every step (no sideways scrolling), and
// axe finds no serious or critical violation in the four rooms and on the ended screen.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  awarenessStates,
  createInterviewViaApi,
  editorText,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  focusEditorEnd,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
  type Account,
} from './helpers';

// Four Monaco pages, two sandboxed test runs and axe on five pages, on a busy 2-core machine.
test.describe.configure({ timeout: 300_000 });

const EDITOR = 'code-editor';
const NOTES = 'notes-editor';
const CANDIDATE = 'Casey Walkthrough';
const QUESTION = 'The Unpaired Sock';
// Wrong for every case of the question (no unpaired label is 1), then its XOR answer.
const WRONG = 'print(1)';
const RIGHT =
  'import sys, functools, operator; print(functools.reduce(operator.xor, map(int, sys.stdin.read().split()[1:])))';
const NOTE = 'Clear reasoning about XOR';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 360, height: 740 },
];

/** A staff member with an account in the host's workspace, signed in in their own context. */
async function colleague(
  browser: Browser,
  baseURL: string,
  hostContext: BrowserContext,
  viewport: { width: number; height: number },
  prefix: string,
): Promise<{ context: BrowserContext; account: Account }> {
  const context = await browser.newContext({ viewport });
  const account = uniqueAccount(prefix);
  await registerViaApi(context, baseURL, account);
  await joinWorkspaceViaApi(hostContext, context, baseURL, account.email);
  return { context, account };
}

/** The id of the starter library's question titled `QUESTION`. */
async function starterQuestionId(context: BrowserContext): Promise<string> {
  const res = await context.request.get(`/api/questions?q=${encodeURIComponent(QUESTION)}`);
  expect(res.status(), await res.text()).toBe(200);
  const list = (await res.json()) as { questions: { id: string; title: string; builtin: boolean }[] };
  const question = list.questions.find((q) => q.title === QUESTION && q.builtin);
  expect(question, `the starter library has ${QUESTION}`).toBeTruthy();
  return question!.id;
}

/** The room has loaded for this person: the shared editor and the run panel with its languages. */
async function roomReady(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run-panel')).toBeVisible();
  await expect(page.getByTestId('run-language')).toContainText(/Python \d/, { timeout: 20_000 });
}

/** Replaces the editor's text in one `insertText` (no bracket auto-closing), as run.spec does. */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByTestId(EDITOR).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toContainText(code.slice(0, 20));
}

/** Fails (softly, so one run lists every page) when any of `pages` scrolls sideways. */
async function allFit(pages: Record<string, Page>, step: string, size: string): Promise<void> {
  for (const [who, page] of Object.entries(pages))
    await expectNoHorizontalOverflow(page, `${step}, ${who}'s page at ${size}`, { soft: true });
}

for (const viewport of SIZES) {
  const size = `${viewport.width}×${viewport.height}`;
  test.describe(`at ${size}`, () => {
    test.use({ viewport });

    test('four people walk through a whole interview', async ({ browser, baseURL }) => {
      // 1. The host's set-up (through the API; the forms are covered by interview-flow.spec).
      const hostContext = await browser.newContext({ viewport });
      await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
      const questionId = await starterQuestionId(hostContext);
      const interview = await createInterviewViaApi(
        hostContext,
        baseURL!,
        { title: 'Walkthrough screen', language: 'python', candidate_name: CANDIDATE, question_ids: [questionId] },
        { start: false },
      );
      const interviewer = await colleague(browser, baseURL!, hostContext, viewport, 'Interviewer');
      const observer = await colleague(browser, baseURL!, hostContext, viewport, 'Observer');
      for (const [account, role] of [
        [interviewer.account, 'interviewer'],
        [observer.account, 'observer'],
      ] as const) {
        const added = await hostContext.request.post(`/api/interviews/${interview.id}/participants`, {
          data: { email: account.email, role },
          headers: { Origin: baseURL! },
        });
        expect(added.status(), await added.text()).toBe(201);
      }

      // 2. The host has the interview's page open; the candidate arrives through the invite link.
      const host = await hostContext.newPage();
      await host.goto(`/interviews/${interview.id}`);
      await expect(host.getByTestId('interview-status')).toHaveText('Scheduled', { timeout: 20_000 });
      await expect(host.getByTestId('lobby-banner')).toHaveCount(0);

      const candidateContext = await browser.newContext({ viewport });
      const candidate = await candidateContext.newPage();
      await candidate.goto(interview.inviteUrl);
      await expect(candidate.getByRole('heading', { name: 'Walkthrough screen' })).toBeVisible({ timeout: 20_000 });
      await allFit({ host, candidate }, 'join page', size);
      await candidate.getByLabel('Your name').fill(CANDIDATE);
      await candidate.getByRole('button', { name: 'Join interview' }).click();
      await expect(candidate.getByTestId('lobby')).toBeVisible();

      // The banner arrives live (a room event), and the host starts from it.
      const banner = host.getByTestId('lobby-banner');
      await expect(banner).toHaveText(new RegExp(`${CANDIDATE} is waiting in the lobby`), { timeout: 15_000 });
      await allFit({ host, candidate }, 'candidate in the lobby', size);
      await banner.getByRole('button', { name: 'Start' }).click();
      await expect(host.getByTestId('interview-status')).toHaveText('Live');
      await expect(banner).toHaveCount(0);
      await expect(candidate.getByTestId('room')).toBeVisible({ timeout: 20_000 });
      await expect(candidate).toHaveURL(new RegExp(`/interviews/${interview.id}/room$`));

      // Everyone opens the room.
      const interviewerPage = await interviewer.context.newPage();
      const observerPage = await observer.context.newPage();
      // The observer's own awareness states, as its browser sends them (as in room.spec).
      const observerStates: Record<string, unknown>[] = [];
      observerPage.on('websocket', (ws) =>
        ws.on('framesent', ({ payload }) => {
          if (typeof payload === 'string') return;
          for (const state of awarenessStates(payload) as { user?: { role?: string } }[])
            if (state?.user?.role === 'observer') observerStates.push(state);
        }),
      );
      await Promise.all([
        host.goto(`/interviews/${interview.id}/room`),
        interviewerPage.goto(`/interviews/${interview.id}/room`),
        observerPage.goto(`/interviews/${interview.id}/room`),
      ]);
      const everyone = { host, interviewer: interviewerPage, observer: observerPage, candidate };
      for (const page of Object.values(everyone)) await roomReady(page);
      await expect(candidate.getByRole('heading', { name: QUESTION })).toBeVisible();
      await allFit(everyone, 'room open', size);

      // 3. A wrong solution: a red verdict, for the candidate and the host alike.
      await typeCode(candidate, WRONG);
      await candidate.getByRole('button', { name: 'Test', exact: true }).click();
      for (const page of [candidate, host]) {
        await expect(page.getByTestId('run-status')).toHaveText(/^No tests passed · 0\/7$/, { timeout: 30_000 });
        await expect(page.getByTestId('run-status')).toHaveClass(/run-tone--danger/);
      }
      await allFit(everyone, 'failed test run', size);

      // Then the right one.
      await typeCode(candidate, RIGHT);
      await expect(host.getByTestId(EDITOR).locator('.view-lines')).toContainText('functools.reduce');
      await candidate.getByRole('button', { name: 'Test', exact: true }).click();
      for (const page of [candidate, host]) {
        await expect(page.getByTestId('run-status')).toHaveText('All tests passed · 7/7', { timeout: 30_000 });
        await expect(page.getByTestId('run-status')).toHaveClass(/run-tone--success/);
      }
      await expect(candidate.getByTestId('test-summary')).toHaveText('7/7 passed');
      await allFit(everyone, 'passing test run', size);

      // 4. The interviewer's note reaches the host; the candidate and the observer have no notes.
      await expect(interviewerPage.getByTestId('connection-notes')).toHaveAttribute('data-phase', 'synced', {
        timeout: 20_000,
      });
      await focusEditorEnd(interviewerPage, NOTES);
      await interviewerPage.keyboard.type(NOTE);
      await expect.poll(() => editorText(host, NOTES), { timeout: 15_000 }).toBe(NOTE);
      await expect(candidate.getByTestId('notes-panel')).toHaveCount(0);
      await expect(observerPage.getByTestId('notes-panel')).toHaveCount(0);

      // The observer watches read only: typing changes nothing, selecting reaches nobody.
      await expect(observerPage.getByTestId('read-only-badge')).toBeVisible();
      await expect(observerPage.getByTestId('language-select')).toBeDisabled();
      await expect(observerPage.getByTestId(EDITOR).locator('.view-lines')).toContainText('functools.reduce');
      await focusEditorEnd(observerPage, EDITOR);
      await observerPage.keyboard.type('nope');
      await observerPage.keyboard.press('Control+A');
      await expect(observerPage.getByTestId(EDITOR).locator('.selected-text').first()).toBeAttached();
      // The host adds a line after the observer's selection: it reaches everyone, the observer's
      // keys did not.
      await focusEditorEnd(host, EDITOR);
      await host.keyboard.press('Enter');
      await host.keyboard.type('# reviewed');
      for (const page of Object.values(everyone))
        await expect(page.getByTestId(EDITOR).locator('.view-lines')).toContainText('# reviewed', { timeout: 15_000 });
      for (const page of Object.values(everyone))
        await expect(page.getByTestId(EDITOR).locator('.view-lines')).not.toContainText('nope');
      // The candidate sees the observer online, but no caret or highlight of theirs.
      await expect(
        candidate.getByTestId('room-participant').filter({ hasText: observer.account.name }),
      ).toHaveAttribute('data-online', 'true');
      const candidateEditor = candidate.getByTestId(EDITOR);
      const labels = await candidateEditor
        .locator('.yRemoteSelectionHead')
        .evaluateAll((els) => els.map((el) => getComputedStyle(el, '::after').content));
      expect(labels).not.toContain(`"${observer.account.name}"`);
      const highlighted = await candidateEditor
        .locator('.yRemoteSelection')
        .evaluateAll((els) => els.reduce((sum, el) => sum + el.getBoundingClientRect().width, 0));
      expect(highlighted).toBe(0);
      expect(observerStates.length).toBeGreaterThan(0);
      expect(observerStates.filter((state) => 'selection' in state)).toEqual([]);
      await allFit(everyone, 'notes and observer', size);

      // axe in the four rooms, as they are at the end of the interview.
      for (const [who, page] of Object.entries(everyone))
        await expectNoSeriousAxeViolations(page, `room (${who}) at ${size}`);

      // 5. The host ends the interview from its page; the candidate sees the ended screen.
      await host.goto(`/interviews/${interview.id}`);
      await host.getByRole('button', { name: 'End interview' }).click();
      await host.getByRole('dialog').getByRole('button', { name: 'End interview' }).click();
      await expect(host.getByTestId('interview-status')).toHaveText('Ended');
      await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });
      await allFit(everyone, 'interview ended', size);
      await candidate.reload();
      await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });
      await expectNoHorizontalOverflow(candidate, `ended screen after a reload at ${size}`, { soft: true });
      await expectNoSeriousAxeViolations(candidate, `ended screen at ${size}`);

      await Promise.all([
        hostContext.close(),
        candidateContext.close(),
        interviewer.context.close(),
        observer.context.close(),
      ]);
    });
  });
}
