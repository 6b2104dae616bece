// Opt-in visual tour (CODEVIEW_SCREENSHOTS=1): walks every page with some data and saves
// full-page PNGs to web/screenshots/ for a human to review. Skipped in normal runs.
import { expect, test, type Page } from '@playwright/test';
import { focusEditorEnd, registerViaUi, uniqueAccount } from './helpers';

test.skip(process.env['CODEVIEW_SCREENSHOTS'] !== '1', 'set CODEVIEW_SCREENSHOTS=1 to take screenshots');

const shot = (page: Page, name: string) => page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });

test('screenshot tour', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: (process.env['SCHEME'] as 'dark' | 'light' | undefined) ?? 'light',
  });
  const page = await context.newPage();
  await page.goto('/login');
  await shot(page, 'login');
  await page.goto('/register');
  await page.getByRole('button', { name: 'Create account' }).click();
  await shot(page, 'register-errors');
  await registerViaUi(page, uniqueAccount('Morgan'));
  await shot(page, 'dashboard-empty');
  await page.getByTestId('user-menu-name').click();
  await shot(page, 'user-menu');
  await page.keyboard.press('Escape');

  await page.goto('/questions');
  await expect(page.getByTestId('question-table').or(page.getByText('Your question bank is empty.'))).toBeVisible();
  await shot(page, 'questions');
  await page.goto('/questions/new');
  await page.getByLabel('Title').fill('Merge intervals');
  await page.getByLabel('Category').fill('Arrays');
  await page.getByLabel('Tags').fill('sorting, intervals');
  await page
    .getByRole('textbox', { name: /Prompt/ })
    .fill(
      'Given a list of intervals, **merge** all overlapping ones.\n\n```\n[[1,3],[2,6]] -> [[1,6]]\n```\n\n- Sort first\n- Then sweep',
    );
  await page.getByRole('button', { name: '+ Add test case' }).click();
  const rows = page.getByTestId('test-case-row');
  await rows
    .nth(0)
    .getByLabel(/^Input/)
    .fill('1 3\n2 6');
  await rows
    .nth(0)
    .getByLabel(/^Expected output/)
    .fill('1 6');
  await page.getByRole('button', { name: '+ Add test case' }).click();
  await rows
    .nth(1)
    .getByLabel(/^Input/)
    .fill('1 4\n4 5');
  await rows
    .nth(1)
    .getByLabel(/^Expected output/)
    .fill('1 5');
  await rows.nth(1).getByLabel('Hidden').check();
  await page.getByRole('textbox', { name: /starter code/ }).fill('def merge(intervals):\n    pass\n');
  await shot(page, 'question-form');
  await page.getByRole('tab', { name: 'Preview' }).click();
  await shot(page, 'question-form-preview');
  await page.getByRole('button', { name: 'Create question' }).click();
  await expect(page.getByRole('heading', { name: 'Merge intervals' })).toBeVisible();
  await shot(page, 'question-detail');

  await page.goto('/interviews/new');
  await page.getByLabel('Title').fill('Senior backend engineer — live coding');
  await page.getByLabel('Date and time').fill('2026-12-01T14:30');
  await page.getByLabel('Name', { exact: true }).fill('Jordan Lee');
  await page.getByLabel('Email', { exact: true }).fill('jordan@example.com');
  await page.getByTestId('question-bank').getByRole('checkbox').first().check();
  await shot(page, 'interview-form');
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page.getByTestId('interview-status')).toBeVisible();
  await shot(page, 'interview-detail');
  const invite = await page.getByTestId('invite-url').inputValue();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('interview-table')).toBeVisible();
  await shot(page, 'dashboard');

  const candidateContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const candidate = await candidateContext.newPage();
  await candidate.goto(invite);
  await expect(candidate.getByTestId('join-form')).toBeVisible();
  await shot(candidate, 'join');
  await candidate.getByLabel('Your name').fill('Jordan Lee');
  await candidate.getByRole('button', { name: 'Join interview' }).click();
  await expect(candidate.getByTestId('lobby')).toBeVisible();
  await shot(candidate, 'lobby');

  await page.goBack();
  await page.getByRole('button', { name: 'Start interview' }).click();
  await expect(candidate.getByTestId('room')).toBeVisible({ timeout: 15_000 });
  // The editor, once Monaco has loaded and the document synced, with a line typed.
  await expect(candidate.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  await expect(candidate.getByTestId('code-editor').locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  await focusEditorEnd(candidate, 'code-editor');
  await candidate.keyboard.type('\n# a stack of the open brackets');
  await shot(candidate, 'room');
  // The interviewer's view of the same room: the candidate's cursor, and the notes panel.
  const host = await context.newPage();
  await host.goto(`${new URL(page.url()).pathname}/room`);
  await expect(host.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 30_000 });
  await expect(host.getByTestId('code-editor').locator('.view-lines')).toContainText('open brackets', {
    timeout: 30_000,
  });
  await focusEditorEnd(host, 'notes-editor');
  await host.keyboard.type('## Jordan\n- asked about empty input first');
  await expect(host.getByTestId('notes-editor').locator('.view-lines')).toContainText('empty input');
  await shot(host, 'room-interviewer');
  await host.close();
  await page.getByRole('button', { name: 'End interview' }).click();
  await shot(page, 'end-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'End interview' }).click();
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 15_000 });
  await shot(candidate, 'ended');
  await candidateContext.close();
  await context.close();
});
