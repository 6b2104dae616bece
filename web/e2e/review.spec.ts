// The review of an ended interview and its summary export, against the real server and
// sandbox: the host types code and notes in the room, the candidate's test run and the host's
// run execute, the host ends the interview; the review page shows the final code, the runs
// (opened, and compared with the final code in Monaco's diff editor) and the notes, is axe
// clean and fits 360 px; the Markdown download works; the printable HTML summary renders in
// Chromium with no console error (its screenshot is attached to the test).
import { expect, test, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  joinViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

test.describe.configure({ timeout: 150_000 });

const CODE = 'print("false")';
const NOTE = 'Explained the stack idea clearly';

async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await expect(page.getByTestId(testId).locator('.view-lines')).toContainText(text);
}

/** With CODEVIEW_SCREENSHOTS=1, saves the page's look to web/screenshots/ (like the tour). */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env['CODEVIEW_SCREENSHOTS'] === '1')
    await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/** Console errors and uncaught exceptions of `page` from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('the review shows the ended interview and its summary exports', async ({ browser, baseURL }, testInfo) => {
  const hostContext = await browser.newContext({ acceptDownloads: true });
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const list = (await (await hostContext.request.get('/api/questions?q=Balanced%20Brackets')).json()) as {
    questions: { id: string; title: string; builtin: boolean }[];
  };
  const question = list.questions.find((q) => q.title === 'Balanced Brackets' && q.builtin);
  expect(question, 'the starter library has Balanced Brackets').toBeTruthy();
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'Review <b>me</b>',
    language: 'python',
    candidate_name: 'Casey Candidate',
    question_ids: [question!.id],
  });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL!, interview, 'Casey Candidate');

  // The host writes the code and a note; the candidate tests it; the host runs it once.
  const host = await hostContext.newPage();
  await host.goto(`/interviews/${interview.id}/room`);
  await expect(host.getByTestId('code-editor').locator('.view-lines')).toBeVisible({ timeout: 20_000 });
  await typeInto(host, 'code-editor', CODE);
  await typeInto(host, 'notes-editor', NOTE);
  const candidate = await candidateContext.newPage();
  await candidate.goto(`/interviews/${interview.id}/room`);
  await expect(candidate.getByTestId('code-editor').locator('.view-lines')).toContainText(CODE, { timeout: 20_000 });
  await candidate.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(candidate.getByTestId('test-summary')).toHaveText('4/8 passed', { timeout: 30_000 });
  await host.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(host.getByTestId('run-status')).toHaveText('Finished', { timeout: 30_000 });
  const ended = await hostContext.request.post(`/api/interviews/${interview.id}/end`, {
    headers: { Origin: baseURL! },
  });
  expect(ended.status()).toBe(200);
  // The room offers the review once the interview has ended.
  await expect(host.getByRole('link', { name: 'Review' })).toBeVisible({ timeout: 15_000 });
  await host.getByRole('link', { name: 'Review' }).click();

  // The review: final code, both runs (newest first), notes.
  const errors = collectErrors(host);
  await expect(host).toHaveURL(new RegExp(`/interviews/${interview.id}/review$`));
  await expect(host.getByRole('heading', { name: /Review: Review <b>me<\/b>/ })).toBeVisible();
  await expect(host.getByTestId('final-code')).toHaveText(CODE);
  const runs = host.getByTestId('review-run');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toContainText('Run #2');
  await expect(runs.nth(1)).toContainText('Casey Candidate');
  await expect(runs.nth(1).getByTestId('review-run-headline')).toHaveText('Some tests failed · 4/8');
  await expect(host.getByText(NOTE)).toBeVisible();
  await expectNoSeriousAxeViolations(host, 'review page');

  // A test run opens to its results, hidden cases open to the host; its code compares with the final code.
  await runs
    .nth(1)
    .getByRole('button', { name: /Test #1/ })
    .click();
  await expect(runs.nth(1).getByTestId('test-case')).toHaveCount(8);
  await expect(runs.nth(1).getByTestId('test-case').nth(7)).toContainText('Hidden test #8');
  await runs.nth(1).getByRole('button', { name: 'Compare with final code' }).click();
  await expect(host.getByTestId('code-diff').locator('.monaco-diff-editor')).toBeVisible({ timeout: 20_000 });
  await expectNoSeriousAxeViolations(host, 'review page with a run open');
  await shot(host, 'review-run-diff');

  // Markdown download.
  const [download] = await Promise.all([
    host.waitForEvent('download'),
    host.getByRole('link', { name: 'Download Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('review-b-me-b-summary.md');
  const markdown = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(markdown.map((chunk: Buffer) => chunk)).toString('utf8');
  expect(text).toContain('# Interview summary: Review \\<b\\>me\\</b\\>');
  expect(text).toContain(`\`\`\`python\n${CODE}\n\`\`\``);
  expect(text).toContain(NOTE);
  expect(errors, 'console errors on the review page').toEqual([]);

  // Narrow screens: no horizontal scroll.
  await host.setViewportSize({ width: 360, height: 800 });
  await host.reload();
  await expect(host.getByTestId('final-code')).toBeVisible();
  await expectNoHorizontalOverflow(host, 'review page at 360 px');
  await shot(host, 'review-narrow');

  // The printable summary renders in Chromium, with nothing refused by its CSP.
  const printable = await hostContext.newPage();
  const printErrors = collectErrors(printable);
  const response = await printable.goto(`/api/interviews/${interview.id}/summary?format=html`);
  expect(response?.headers()['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
  await expect(printable.getByRole('heading', { level: 1 })).toHaveText('Interview summary: Review <b>me</b>');
  await expect(printable.locator('#runs article')).toHaveCount(2);
  await expect(printable.locator('#notes')).toContainText(NOTE);
  await testInfo.attach('summary.png', {
    body: await printable.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
  await shot(printable, 'summary-html');
  await printable.emulateMedia({ media: 'print' });
  await expect(printable.locator('.screen-only')).toBeHidden();
  expect(printErrors, 'console errors on the printable summary').toEqual([]);

  await candidateContext.close();
  await hostContext.close();
});
