// The interview flow across two browser contexts: an interviewer writes a question, creates
// an interview with it and copies the invite link; a candidate opens the link in a separate
// context, joins with a name, waits in the lobby and lands in the room when the interviewer
// presses Start; after End the candidate sees the "ended" screen.
import { expect, test } from '@playwright/test';
import { registerViaUi, uniqueAccount } from './helpers';

test('interviewer prepares an interview; candidate joins via the link and is let in on start', async ({ browser }) => {
  const interviewer = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await interviewer.newPage();
  await registerViaUi(page, uniqueAccount('Host'));

  // A question with a markdown prompt and two test cases.
  const questionTitle = `Reverse words ${Date.now()}`;
  await page.getByRole('link', { name: 'Questions', exact: true }).click();
  await page.getByRole('link', { name: 'New question' }).click();
  await page.getByLabel('Title').fill(questionTitle);
  await page.getByLabel('Difficulty').selectOption('medium');
  await page.getByLabel('Category').fill('Strings');
  await page.getByLabel('Tags').fill('strings, two-pointers');
  await page.getByLabel(/^Prompt/).fill('Reverse the **order** of words.\n\n<script>window.pwned = 1</script>');
  await page.getByRole('tab', { name: 'Preview' }).click();
  await expect(page.getByTestId('prompt-preview').locator('strong')).toHaveText('order');
  await expect(page.getByTestId('prompt-preview').locator('script')).toHaveCount(0);
  // A new question starts with no test row.
  await expect(page.getByTestId('test-case-row')).toHaveCount(0);
  await page.getByRole('button', { name: '+ Add test case' }).click();
  const rows = page.getByTestId('test-case-row');
  await rows
    .nth(0)
    .getByLabel(/^Input/)
    .fill('hello world');
  await rows
    .nth(0)
    .getByLabel(/^Expected output/)
    .fill('world hello');
  await page.getByRole('button', { name: '+ Add test case' }).click();
  await rows
    .nth(1)
    .getByLabel(/^Input/)
    .fill('a');
  await rows
    .nth(1)
    .getByLabel(/^Expected output/)
    .fill('a');
  await rows.nth(1).getByLabel('Hidden').check();
  await page.getByRole('button', { name: 'Create question' }).click();
  await expect(page.getByRole('heading', { name: questionTitle })).toBeVisible();
  await expect(page.getByText('Test cases (2)')).toBeVisible();

  // An interview using it.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('link', { name: 'New interview' }).first().click();
  await page.getByLabel('Title').fill('Platform engineer screen');
  await page.getByLabel('Name', { exact: true }).fill('Casey Candidate');
  await page.getByLabel('Search the bank').fill(questionTitle);
  await page.getByTestId('question-bank').getByLabel(new RegExp(questionTitle)).check();
  await expect(page.getByTestId('selected-questions')).toContainText(questionTitle);
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page.getByRole('heading', { name: /Platform engineer screen/ })).toBeVisible();
  await expect(page.getByTestId('interview-status')).toHaveText('Scheduled');

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied!' })).toBeVisible();
  const inviteUrl = await page.evaluate(() => navigator.clipboard.readText());
  await expect(page.getByTestId('invite-url')).toHaveValue(inviteUrl);
  expect(inviteUrl).toMatch(/\/join\/[^/?]+\?invite=.+/);

  // The candidate, in a context with no cookies of the interviewer.
  const candidateContext = await browser.newContext();
  const candidate = await candidateContext.newPage();
  await candidate.goto(inviteUrl);
  await expect(candidate.getByRole('heading', { name: 'Platform engineer screen' })).toBeVisible();
  await candidate.getByLabel('Your name').fill('Casey Candidate');
  await candidate.getByRole('button', { name: 'Join interview' }).click();
  await expect(candidate.getByTestId('lobby')).toBeVisible();
  await expect(candidate.getByText('Waiting for the interviewer to start')).toBeVisible();

  // The interviewer sees the candidate arrive, then starts.
  await expect(page.getByTestId('participants')).toContainText('Casey Candidate', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Start interview' }).click();
  await expect(page.getByTestId('interview-status')).toHaveText('Live');

  await expect(candidate.getByTestId('room')).toBeVisible({ timeout: 15_000 });
  await expect(candidate).toHaveURL(/\/interviews\/[^/]+\/room$/);
  await expect(candidate.getByRole('heading', { name: questionTitle })).toBeVisible();
  await expect(candidate.locator('.markdown strong')).toHaveText('order');

  // Ending (with confirmation) locks the candidate out.
  await page.getByRole('button', { name: 'End interview' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'End interview' }).click();
  await expect(page.getByTestId('interview-status')).toHaveText('Ended');
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 15_000 });

  await candidateContext.close();
  await interviewer.close();
});
