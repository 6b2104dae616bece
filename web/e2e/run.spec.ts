// The run panel against the real server and the real sandbox, in two browser contexts (host
// and candidate) in a live interview: the candidate types a program into the Monaco editor and
// runs it, the host watches its output stream in live; a test run against a starter-library
// question shows per-case results with hidden cases labelled; Cancel stops a running program.
// Set-up goes through the API (the UI flow is covered by interview-flow.spec.ts).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createInterviewViaApi, joinViaApi, registerViaApi, uniqueAccount } from './helpers';

// Several Monaco page loads and sandboxed runs per test on a shared 2-core box.
test.describe.configure({ timeout: 120_000 });

const EDITOR = 'code-editor';

/** With CODEVIEW_SCREENSHOTS=1, saves the run panel's look to web/screenshots/ (like the tour). */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env['CODEVIEW_SCREENSHOTS'] === '1')
    await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

interface Room {
  interviewId: string;
  hostContext: BrowserContext;
  host: Page;
  candidateContext: BrowserContext;
  candidate: Page;
}

/** Host registers, creates and starts a Python interview (with `questionIds`); the candidate joins. */
async function openRoom(browser: Browser, baseURL: string, questionIds: string[] = []): Promise<Room> {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL, {
    title: 'Run panel',
    language: 'python',
    candidate_name: 'Casey Candidate',
    question_ids: questionIds,
  });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');

  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  await Promise.all([
    host.goto(`/interviews/${interview.id}/room`),
    candidate.goto(`/interviews/${interview.id}/room`),
  ]);
  for (const page of [host, candidate]) {
    await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('run-panel')).toBeVisible();
    // The languages list has loaded (the version shows next to the buttons).
    await expect(page.getByTestId('run-language')).toContainText(/Python \d/);
  }
  return { interviewId: interview.id, hostContext, host, candidateContext, candidate };
}

async function closeRoom(room: Room): Promise<void> {
  await room.candidateContext.close();
  await room.hostContext.close();
}

/**
 * Replaces the editor's text by typing into Monaco: focus, select all, then the browser's
 * text input (one `insertText`: no bracket auto-closing). Monaco still auto-indents after a
 * line ending in `:`, so the programs here keep their loop bodies on one line.
 */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByTestId(EDITOR).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toContainText(code.split('\n')[0] ?? '');
}

/** The console's text and the run's status, read in one go so the two are consistent. */
function snapshot(page: Page): Promise<{ output: string; status: string }> {
  return page.getByTestId('run-panel').evaluate((panel) => ({
    output: panel.querySelector('[data-testid="run-output"]')?.textContent ?? '',
    status: panel.querySelector('[data-testid="run-status"]')?.textContent ?? '',
  }));
}

test('a run streams its output live to everyone in the room', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;

  await typeCode(
    candidate,
    [
      'import sys, time',
      'for i in range(4): print(f"tick {i}", flush=True); time.sleep(0.6)',
      'print("oops", file=sys.stderr)',
    ].join('\n'),
  );
  await candidate.getByRole('button', { name: 'Run', exact: true }).click();

  // The host sees the first line while the program is still running (it sleeps between lines).
  let seen = { output: '', status: '' };
  await expect
    .poll(async () => {
      seen = await snapshot(host);
      return seen.output.includes('tick 0');
    })
    .toBe(true);
  expect(seen.status).toBe('Running…');
  expect(seen.output).not.toContain('tick 3');
  await expect(host.getByTestId('run-who')).toContainText('Casey Candidate');

  // Then the whole output, stdout and stderr told apart, and the final status.
  await expect(host.getByTestId('run-status')).toHaveText('Finished', { timeout: 15_000 });
  const hostConsole = host.getByTestId('run-output');
  await expect(hostConsole).toContainText('tick 3');
  await expect(hostConsole.locator('[data-stream="stderr"]')).toHaveText('oops\n');
  await expect(host.getByTestId('run-footer')).toContainText('Process exited with code 0');
  await expect(candidate.getByTestId('run-status')).toHaveText('Finished');
  await expect(candidate.getByTestId('run-output')).toContainText('tick 3');
  await shot(host, 'run-finished-host');

  // Both have it in the history, with who ran it.
  for (const page of [host, candidate]) {
    await page.getByRole('tab', { name: /History/ }).click();
    await expect(page.getByTestId('run-history-item').first()).toContainText('Casey Candidate');
    await expect(page.getByTestId('run-history-item').first()).toContainText('Finished');
  }

  // Ctrl+Enter with the focus in the editor runs again (Monaco does not get the key); stdin works.
  await candidate.getByRole('button', { name: /stdin/ }).click();
  await candidate.getByPlaceholder(/Input passed to the program/).fill('from stdin');
  await typeCode(candidate, 'print(input().upper())');
  await candidate.keyboard.press('Control+Enter');
  await expect(host.getByTestId('run-output')).toContainText('FROM STDIN', { timeout: 15_000 });
  await expect(host.getByTestId('run-status')).toHaveText('Finished');
  await expect(candidate.getByTestId(EDITOR).locator('.view-lines')).toHaveText('print(input().upper())');
  await expect(host.getByTestId('run-history-item')).toHaveCount(2);

  // The history lists summaries; opening the older run fetches its stored output.
  await host.getByRole('tab', { name: /History/ }).click();
  await host.getByTestId('run-history-item').nth(1).click();
  await expect(host.getByTestId('run-output')).toContainText('tick 3');
  await expect(host.getByTestId('run-footer')).toContainText('Process exited with code 0');

  await closeRoom(room);
});

test('a test run shows per-case results, hidden cases labelled hidden for the candidate', async ({
  browser,
  baseURL,
}) => {
  // A starter-library question: Balanced Brackets has 5 visible and 3 hidden cases.
  const lookup = await browser.newContext();
  await registerViaApi(lookup, baseURL!, uniqueAccount('Lookup'));
  const list = (await (await lookup.request.get('/api/questions?q=Balanced%20Brackets')).json()) as {
    questions: { id: string; title: string; builtin: boolean }[];
  };
  const question = list.questions.find((q) => q.title === 'Balanced Brackets' && q.builtin);
  expect(question, 'the starter library has Balanced Brackets').toBeTruthy();
  await lookup.close();

  const room = await openRoom(browser, baseURL!, [question!.id]);
  const { host, candidate } = room;

  // Always "false": right for the four unbalanced cases, wrong for the four balanced ones.
  await typeCode(candidate, 'print("false")');
  await candidate.getByRole('button', { name: 'Test', exact: true }).click();

  await expect(candidate.getByTestId('test-summary')).toHaveText('4/8 passed', { timeout: 20_000 });
  // The verdict is the headline, coloured by it: the program ran fine, but half the tests failed.
  for (const page of [candidate, host]) {
    await expect(page.getByTestId('run-status')).toHaveText('Some tests failed · 4/8');
    await expect(page.getByTestId('run-status')).toHaveClass(/run-tone--warning/);
    await expect(page.getByTestId('run-footer')).toHaveText('4 of 8 tests passed');
  }
  const rows = candidate.getByTestId('test-case');
  await expect(rows).toHaveCount(8);
  await expect(rows.nth(0)).toContainText('Test #1');
  await expect(rows.nth(0)).toHaveAttribute('data-passed', 'false');
  await expect(rows.nth(0)).toContainText('Wrong answer');
  await expect(rows.nth(2)).toHaveAttribute('data-passed', 'true');
  await expect(rows.nth(2)).toContainText('Passed');
  for (const i of [5, 6, 7]) {
    await expect(rows.nth(i)).toContainText(`Hidden test #${i + 1}`);
    await expect(rows.nth(i)).toHaveAttribute('data-hidden', 'true');
    // Only pass/fail for the candidate: nothing to expand.
    await expect(rows.nth(i).locator('details')).toHaveCount(0);
  }
  await expect(rows.nth(5)).toHaveAttribute('data-passed', 'false');
  await expect(rows.nth(7)).toHaveAttribute('data-passed', 'true');

  // A visible case expands to input / expected / actual.
  await rows.nth(0).getByText('Test #1').click();
  await expect(rows.nth(0).locator('.run-case__pre').first()).toHaveText('{[()()]}\n');
  await expect(rows.nth(0)).toContainText('Expected');
  await expect(rows.nth(0).locator('.run-diff--bad')).toHaveText('false\n');
  await shot(candidate, 'run-tests-candidate');

  // The host sees the same results, hidden cases labelled but open to them.
  await expect(host.getByTestId('test-summary')).toHaveText('4/8 passed');
  const hostRows = host.getByTestId('test-case');
  await expect(hostRows.nth(5)).toContainText('Hidden test #6');
  await hostRows.nth(5).getByText('Hidden test #6').click();
  await expect(hostRows.nth(5)).toContainText('Expected');
  await shot(host, 'run-tests-host');
  await host.getByRole('tab', { name: /History/ }).click();
  await expect(host.getByTestId('run-history-item').first()).toContainText('Some tests failed · 4/8');

  await closeRoom(room);
});

test('Cancel stops a running program for everyone; a busy loop hits the time limit', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;

  await typeCode(candidate, ['import time', 'print("started", flush=True)', 'while True: time.sleep(0.05)'].join('\n'));
  await candidate.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(candidate.getByTestId('run-output')).toContainText('started', { timeout: 15_000 });
  await expect(candidate.getByTestId('run-status')).toHaveText('Running…');
  await expect(candidate.getByTestId('run-elapsed')).toHaveText(/^\d+\.\d s$/);
  await shot(candidate, 'run-running-candidate');

  await candidate.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(candidate.getByTestId('run-status')).toHaveText('Cancelled');
  await expect(host.getByTestId('run-status')).toHaveText('Cancelled');
  await expect(host.getByTestId('run-footer')).toContainText('Cancelled by Casey Candidate');
  await expect(host.getByTestId('run-output')).toContainText('started');
  await expect(candidate.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);

  // A busy loop is stopped by a time limit, named in words ("2 s CPU"; "5 s wall clock" on a starved machine).
  await typeCode(candidate, 'while True: pass');
  await candidate.getByRole('button', { name: 'Run', exact: true }).click();
  for (const page of [candidate, host]) {
    await expect(page.getByTestId('run-status')).toHaveText('Time limit exceeded', { timeout: 30_000 });
    await expect(page.getByTestId('run-footer')).toHaveText(/^Time limit exceeded \(\d+(\.\d+)? s (CPU|wall clock)\)$/);
  }

  await closeRoom(room);
});

test('a flood of output is capped in the page and ends with "Output limit exceeded"', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;

  // ~2 MB of output: the sandbox stops it at its 1 MB per-stream limit.
  await typeCode(candidate, 'for i in range(40000): print(f"line {i:05d} " + "y" * 40)');
  await candidate.getByRole('button', { name: 'Run', exact: true }).click();

  for (const page of [host, candidate]) {
    await expect(page.getByTestId('run-status')).toHaveText('Output limit exceeded', { timeout: 30_000 });
    const console = page.getByTestId('run-output');
    await expect(console).toContainText(/output truncated — \d+ KB hidden/);
    // The page keeps the last 200 K characters, in 8 K blocks, not the whole megabyte.
    const kept = await console
      .locator('.run-console__text')
      .evaluate((el) => ({ chars: el.textContent?.length ?? 0, nodes: el.childElementCount }));
    expect(kept.chars).toBeLessThanOrEqual(200 * 1024);
    expect(kept.chars).toBeGreaterThan(100 * 1024);
    expect(kept.nodes).toBeLessThanOrEqual(30);
  }
  await shot(host, 'run-output-limit-host');

  await closeRoom(room);
});
