// The decision half of an interview, end to end in the real server and Chromium, as issue 17
// tells it: an interviewer starts scoring in the room's Scorecard tab while the interview is
// live; the host locks the candidate's editor and the candidate's typing is dropped; the host
// ends the interview from the room; afterwards both finish their notes and scorecards (the
// interviewer is blind to the host's until submitting); the host opens the review page with the
// aggregate of both and downloads the Markdown summary with the code, the notes and the scores.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  editorText,
  expectNoSeriousAxeViolations,
  focusEditorEnd,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

const CODE = 'code-editor';
const NOTES = 'notes-editor';
const CRITERIA = ['Problem solving', 'Code quality', 'Communication', 'Testing & edge cases'];
test.describe.configure({ timeout: 240_000 });

async function openRoom(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/interviews/${id}/room`);
  await expect(page.getByTestId('connection-status').first()).toHaveAttribute('data-phase', 'synced', {
    timeout: 30_000,
  });
  await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
  return page;
}

/** An interviewer with an account in the host's workspace, added to the interview. */
async function interviewer(browser: Browser, baseURL: string, host: BrowserContext, interviewId: string) {
  const context = await browser.newContext();
  const account = uniqueAccount('Ivan');
  await registerViaApi(context, baseURL, account);
  await joinWorkspaceViaApi(host, context, baseURL, account.email);
  const added = await host.request.post(`/api/interviews/${interviewId}/participants`, {
    data: { email: account.email, role: 'interviewer' },
    headers: { Origin: baseURL },
  });
  expect(added.status(), await added.text()).toBe(201);
  return { context, account };
}

/** Rates every criterion `score` ("3 Good", "4 Excellent"…) in the page's scorecard form. */
async function rateAll(page: Page, score: string): Promise<void> {
  const form = page.getByTestId('scorecard-form');
  for (const name of CRITERIA) await form.getByRole('group', { name }).getByRole('radio', { name: score }).check();
  await expect(form.getByTestId('save-status')).toHaveText('Saved');
}

async function submit(page: Page, recommendation: string): Promise<void> {
  const form = page.getByTestId('scorecard-form');
  const choices = form.getByRole('group', { name: 'Overall recommendation' });
  await choices.getByRole('radio', { name: recommendation, exact: true }).check();
  await form.getByRole('button', { name: 'Submit scorecard' }).click();
  await page.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('article', { name: 'Your scorecard' })).toContainText('Submitted');
}

test('score during the interview, end it from the room, finish afterwards, export the summary', async ({
  browser,
  baseURL,
}) => {
  const hostContext = await browser.newContext();
  const hostAccount = uniqueAccount('Hana');
  await registerViaApi(hostContext, baseURL!, hostAccount);
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'Decision day',
    language: 'python',
    duration_minutes: 45,
  });
  const colleague = await interviewer(browser, baseURL!, hostContext, interview.id);
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL!, interview, 'Casey Candidate');
  const host = await openRoom(hostContext, interview.id);
  const ivan = await openRoom(colleague.context, interview.id);
  const candidate = await openRoom(candidateContext, interview.id);

  // The candidate writes an answer; the interviewer starts scoring while it is live.
  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('answer = 42');
  await expect.poll(() => editorText(host, CODE)).toContain('answer = 42');
  await ivan.getByRole('tab', { name: 'Scorecard' }).click();
  await rateAll(ivan, '3 Good');
  await ivan.getByTestId('scorecard-form').getByLabel('Comment on communication').fill('Explained each step.');
  await expect(ivan.getByTestId('scorecard-form').getByTestId('save-status')).toHaveText('Saved');

  // The host locks the editor: the candidate's typing goes nowhere until the unlock.
  await host.getByTestId('room-controls-button').click();
  await host.getByTestId('control-editor-locked').click();
  await expect(host.getByTestId('control-editor-locked')).toBeChecked();
  await expect(candidate.getByTestId('editor-locked-badge')).toBeVisible();
  await expect(candidate.getByTestId('connection-status').first()).toHaveAttribute('data-phase', 'synced', {
    timeout: 20_000,
  });
  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('DROPPED');
  await host.waitForTimeout(500);
  expect(await editorText(host, CODE)).not.toContain('DROPPED');
  expect(await editorText(ivan, CODE)).not.toContain('DROPPED');
  await host.getByTestId('control-editor-locked').click();
  await expect(candidate.getByTestId('editor-locked-badge')).toHaveCount(0);
  await host.keyboard.press('Escape');

  // The host ends it from the room.
  await host.getByTestId('room-end-interview').click();
  await host.getByRole('dialog').getByRole('button', { name: 'End interview' }).click();
  await expect(host.getByText('This interview has ended.')).toBeVisible();
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });

  // Afterwards: the interviewer writes the notes and submits; blind to the host's until then.
  await ivan.getByRole('tab', { name: 'Notes' }).click();
  await focusEditorEnd(ivan, NOTES);
  await ivan.keyboard.type('Solid on hashing; ask about complexity next time.');
  await expect.poll(() => editorText(host, NOTES)).toContain('Solid on hashing');
  await ivan.getByRole('tab', { name: 'Scorecard' }).click();
  await submit(ivan, 'Yes');
  await expectNoSeriousAxeViolations(ivan, 'ended room (interviewer) with a submitted scorecard');

  // The host scores after the end too, and sees both side by side.
  await host.getByRole('tab', { name: 'Scorecard' }).click();
  await rateAll(host, '4 Excellent');
  await submit(host, 'Strong yes');
  const aggregate = host.getByRole('region', { name: 'Aggregate of the submitted scorecards' });
  await expect(aggregate).toContainText('Strong yes');
  await expect(aggregate).toContainText(colleague.account.name);

  // The review page shows the aggregate; the Markdown summary carries code, notes and scores.
  await host.goto(`/interviews/${interview.id}/review`);
  const scores = host.getByTestId('review-scorecards');
  await expect(scores).toContainText('Strong yes');
  await expect(scores).toContainText('Explained each step.');
  await expectNoSeriousAxeViolations(host, 'review page with two scorecards');
  const [download] = await Promise.all([
    host.waitForEvent('download'),
    host.getByRole('link', { name: 'Download Markdown' }).click(),
  ]);
  const chunks = await (await download.createReadStream()).toArray();
  const markdown = Buffer.concat(chunks.map((chunk: Buffer) => chunk)).toString('utf8');
  expect(markdown).toContain('answer = 42');
  expect(markdown).not.toContain('DROPPED');
  expect(markdown).toContain('Solid on hashing; ask about complexity next time.');
  expect(markdown).toContain(`### ${colleague.account.name}: Yes`);
  expect(markdown).toContain(`### ${hostAccount.name}: Strong yes`);
  expect(markdown).toContain('Explained each step.');

  await Promise.all([hostContext.close(), colleague.context.close(), candidateContext.close()]);
});
