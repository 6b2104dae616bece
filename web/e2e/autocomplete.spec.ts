// Autocomplete in the live room, real server and real Chromium: keyword snippets in Python,
// the TypeScript service fetched only once the language becomes TypeScript (its worker
// started, array members completed), and the interviewers' switch turning the candidate's completions off
// live, while the host keeps theirs.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createInterviewViaApi, focusEditorEnd, joinViaApi, registerViaApi, uniqueAccount } from './helpers';

const CODE = 'code-editor';
test.describe.configure({ timeout: 120_000 });

async function openAs(context: BrowserContext, id: string, requests: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`/interviews/${id}/room`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
  await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
  return page;
}

function suggestions(page: Page) {
  return page.locator('.suggest-widget .monaco-list-row');
}

test('python snippets, and the TypeScript service only once TypeScript is chosen', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  await registerViaApi(context, baseURL!, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(context, baseURL!, { title: 'Autocomplete', language: 'python' });
  const requests: string[] = [];
  const host = await openAs(context, interview.id, requests);

  await focusEditorEnd(host, CODE);
  await host.keyboard.type('ifma');
  await host.keyboard.press('Control+Space');
  await expect(suggestions(host).filter({ hasText: 'ifmain' })).toBeVisible();
  // Enter always starts a new line: a suggestion is never taken by a candidate typing fast.
  await host.keyboard.press('Enter');
  await expect(host.locator('.suggest-widget .monaco-list-row')).toHaveCount(0);
  await expect(host.getByTestId(CODE)).not.toContainText('__main__');
  await host.keyboard.type('ifma');
  await host.keyboard.press('Control+Space');
  await expect(suggestions(host).filter({ hasText: 'ifmain' })).toBeVisible();
  await host.keyboard.press('Tab');
  await expect(host.getByTestId(CODE)).toContainText("if __name__ == '__main__':");
  expect(requests.filter((url) => /typescriptService|tsMode|ts\.worker/.test(url))).toEqual([]);

  await host.getByTestId('language-select').selectOption('typescript');
  await expect.poll(() => requests.some((url) => url.includes('typescriptService'))).toBe(true);
  await focusEditorEnd(host, CODE);
  await host.keyboard.press('Control+A');
  await host.keyboard.press('Delete');
  await host.keyboard.type('const words = ["a", "b"];\nwords.');
  // The service starts its worker for the TypeScript model, then completes the array's members.
  await expect.poll(() => requests.some((url) => url.includes('ts.worker')), { timeout: 30_000 }).toBe(true);
  await host.keyboard.type('inde');
  await host.keyboard.press('Control+Space');
  await expect(suggestions(host).filter({ hasText: 'indexOf' }).first()).toBeVisible({ timeout: 30_000 });
  await context.close();
});

test('the interviewers turn the candidate autocomplete off, live', async ({ browser, baseURL }) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL!, { title: 'No hints', language: 'python' });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL!, interview, 'Casey Candidate');
  const host = await openAs(hostContext, interview.id, []);
  const candidate = await openAs(candidateContext, interview.id, []);

  await expect(candidate.getByTestId('candidate-autocomplete')).toHaveCount(0);
  await expect(candidate.getByTestId(CODE)).toHaveAttribute('data-completions', 'on');
  // Checked state follows the server's answer, so click rather than uncheck().
  await host.getByTestId('candidate-autocomplete').click();
  await expect(host.getByTestId('candidate-autocomplete')).not.toBeChecked();
  await expect(candidate.getByTestId(CODE)).toHaveAttribute('data-completions', 'off');
  await expect(host.getByTestId(CODE)).toHaveAttribute('data-completions', 'on');

  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('pri');
  await candidate.keyboard.press('Control+Space');
  await expect(candidate.locator('.suggest-widget')).toContainText('No suggestions');
  await expect(suggestions(candidate)).toHaveCount(0);

  // A reload keeps it off: it is stored by the server.
  await candidate.reload();
  await expect(candidate.getByTestId(CODE)).toHaveAttribute('data-completions', 'off', { timeout: 20_000 });
  await hostContext.close();
  await candidateContext.close();
});
