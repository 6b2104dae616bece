// The interviewers' controls in the live room, real server and real Chromium: the host locks
// the candidate's editor (everyone sees it, the candidate's typing goes nowhere: not in the
// host's editor, not in the candidate's after a reload), unlocks it and the candidate types
// again; the timer is shown to everyone; the host ends the interview from the room with the
// confirmation, the candidate gets the ended screen, and the host still writes the notes.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  editorText,
  expectNoSeriousAxeViolations,
  focusEditorEnd,
  joinViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

const CODE = 'code-editor';
test.describe.configure({ timeout: 120_000 });

async function openRoom(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/interviews/${id}/room`);
  await waitSynced(page);
  return page;
}

async function waitSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status').first()).toHaveAttribute('data-phase', 'synced', {
    timeout: 20_000,
  });
  await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
}

async function setup(browser: import('@playwright/test').Browser, baseURL: string, title: string) {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL, { title, language: 'python' });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');
  const host = await openRoom(hostContext, interview.id);
  const candidate = await openRoom(candidateContext, interview.id);
  return { hostContext, candidateContext, interview, host, candidate };
}

test("the host locks the candidate's editor: the candidate's typing is dropped until the unlock", async ({
  browser,
  baseURL,
}) => {
  const { hostContext, candidateContext, host, candidate } = await setup(browser, baseURL!, 'Locked editor');
  await expect(candidate.getByTestId('room-timer')).toBeVisible();
  await expect(candidate.getByTestId('room-controls-button')).toHaveCount(0);

  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('first = 1');
  await expect.poll(() => editorText(host, CODE)).toContain('first = 1');

  await host.getByTestId('room-controls-button').click();
  // Checked state follows the server's answer, so click rather than check().
  await host.getByTestId('control-editor-locked').click();
  await expect(host.getByTestId('control-editor-locked')).toBeChecked();
  await expectNoSeriousAxeViolations(host, 'room (host) with the controls open');
  await expect(host.getByTestId('editor-locked-badge')).toHaveText('Editor locked by the interviewer');
  await expect(candidate.getByTestId('editor-locked-badge')).toBeVisible();
  await waitSynced(candidate);
  await expectNoSeriousAxeViolations(candidate, 'room (candidate) with the editor locked');

  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('LOCKED');
  await host.waitForTimeout(500);
  expect(await editorText(candidate, CODE)).not.toContain('LOCKED');
  expect(await editorText(host, CODE)).not.toContain('LOCKED');
  await candidate.reload();
  await waitSynced(candidate);
  await expect(candidate.getByTestId('editor-locked-badge')).toBeVisible();
  expect(await editorText(candidate, CODE)).toContain('first = 1');
  expect(await editorText(candidate, CODE)).not.toContain('LOCKED');

  await host.getByTestId('control-editor-locked').click();
  await expect(host.getByTestId('control-editor-locked')).not.toBeChecked();
  await expect(candidate.getByTestId('editor-locked-badge')).toHaveCount(0);
  await waitSynced(candidate);
  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('\nsecond = 2');
  await expect.poll(() => editorText(host, CODE)).toContain('second = 2');
  expect(await editorText(host, CODE)).not.toContain('LOCKED');

  await Promise.all([hostContext.close(), candidateContext.close()]);
});

test('the host pauses running code for the candidate', async ({ browser, baseURL }) => {
  const { hostContext, candidateContext, host, candidate } = await setup(browser, baseURL!, 'Paused runs');
  await expect(candidate.getByRole('button', { name: 'Run' })).toBeEnabled();
  await host.getByTestId('room-controls-button').click();
  await host.getByTestId('control-runs-disabled').click();
  await expect(host.getByTestId('control-runs-disabled')).toBeChecked();
  await expect(candidate.getByTestId('run-disabled-reason')).toHaveText('The interviewer has paused running code.');
  await expect(candidate.getByRole('button', { name: 'Run' })).toBeDisabled();
  await expect(host.getByRole('button', { name: 'Run' })).toBeEnabled();
  await Promise.all([hostContext.close(), candidateContext.close()]);
});

test('the host ends the interview from the room and keeps writing the notes', async ({ browser, baseURL }) => {
  const { hostContext, candidateContext, interview, host, candidate } = await setup(browser, baseURL!, 'End here');
  await expect(host.getByTestId('room-timer')).toHaveAttribute('aria-label', /Interview time: .*elapsed of/);

  await host.getByTestId('room-end-interview').click();
  const dialog = host.getByRole('dialog');
  await expect(dialog).toContainText('End this interview?');
  await expectNoSeriousAxeViolations(host, 'room end confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(host.getByRole('dialog')).toHaveCount(0);
  await host.getByTestId('room-end-interview').click();
  await host.getByRole('dialog').getByRole('button', { name: 'End interview' }).click();

  await expect(host.getByText('This interview has ended.')).toBeVisible();
  await expect(host.getByTestId('room-end-interview')).toHaveCount(0);
  await expect(host.getByTestId('read-only-badge')).toBeVisible();
  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 20_000 });

  // The notes stay editable after the end, and keep what was written.
  await expect(host.getByTestId('notes-editor')).toBeVisible();
  await focusEditorEnd(host, 'notes-editor');
  await host.keyboard.type('Wrapped up after the end');
  await expect.poll(() => editorText(host, 'notes-editor')).toBe('Wrapped up after the end');
  await host.waitForTimeout(500);
  await host.reload();
  await expect.poll(() => editorText(host, 'notes-editor'), { timeout: 20_000 }).toBe('Wrapped up after the end');
  await expectNoSeriousAxeViolations(host, 'ended room (host)');

  await host.getByTestId('room-ended-interview-link').click();
  await expect(host).toHaveURL(new RegExp(`/interviews/${interview.id}$`));
  await Promise.all([hostContext.close(), candidateContext.close()]);
});
