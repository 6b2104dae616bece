// The interactive terminal against the real server and the real sandbox, in three browser
// contexts (candidate, host, observer) in a live Python interview: the candidate runs an
// `input()` loop interactively and types lines into xterm.js; the host sees the prompts, the
// candidate's lines and the program's answers live, types a line of their own, and a reload
// (a late join) shows the same screen; the observer sees everything but cannot start or type,
// and the server refuses the observer's own terminal message. Then raw mode: each key reaches
// the program as typed, and Ctrl+C interrupts it. The room with the terminal open passes axe
// and fits 360 px. Set-up goes through the API (interview-flow.spec.ts covers the UI flow).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

// Three Monaco page loads and sandboxed programs per test on a shared 2-core box.
test.describe.configure({ timeout: 180_000 });

const EDITOR = 'code-editor';

interface Room {
  interview: LiveInterview;
  contexts: BrowserContext[];
  host: Page;
  candidate: Page;
  observer: Page;
}

async function openRoom(browser: Browser, baseURL: string): Promise<Room> {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL, {
    title: 'Interactive terminal',
    language: 'python',
    candidate_name: 'Casey Candidate',
  });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');

  const observerContext = await browser.newContext();
  const observerAccount = uniqueAccount('Observer');
  await registerViaApi(observerContext, baseURL, observerAccount);
  await joinWorkspaceViaApi(hostContext, observerContext, baseURL, observerAccount.email);
  const added = await hostContext.request.post(`/api/interviews/${interview.id}/participants`, {
    data: { email: observerAccount.email, role: 'observer' },
    headers: { Origin: baseURL },
  });
  expect(added.status(), await added.text()).toBe(201);

  const [host, candidate, observer] = await Promise.all(
    [hostContext, candidateContext, observerContext].map((context) => context.newPage()),
  );
  for (const page of [host!, candidate!, observer!]) {
    await page.goto(`/interviews/${interview.id}/room`);
    await expect(page.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('run-panel')).toBeVisible();
  }
  return {
    interview,
    contexts: [hostContext, candidateContext, observerContext],
    host: host!,
    candidate: candidate!,
    observer: observer!,
  };
}

/** Replaces the editor's text (one `insertText`, so no auto-closing or auto-indent). */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByTestId(EDITOR).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect(page.getByTestId(EDITOR).locator('.view-lines')).toContainText(code.split('\n')[0] ?? '');
}

/** The terminal's visible rows (xterm's DOM renderer). */
const screenOf = (page: Page) => page.getByTestId('terminal-screen').locator('.xterm-rows');

async function openTerminal(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Terminal/ }).click();
  await expect(page.getByTestId('terminal-screen')).toBeVisible({ timeout: 20_000 });
}

/** Types into the terminal: focus it, then real key presses. */
async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.getByTestId('terminal-screen').click();
  await page.keyboard.type(text);
}

const PROGRAM = [
  "name = input('Name? ')",
  "print(f'Hello {name}!')",
  "while (line := input('> ')) != 'quit': print('echo:', line.upper())",
  "print('bye')",
].join('\n');

test('a Python input() loop, typed by the candidate, seen live by the interviewer; observers only watch', async ({
  browser,
  baseURL,
}) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate, observer } = room;
  await typeCode(candidate, PROGRAM);
  await expect(host.getByTestId(EDITOR).locator('.view-lines')).toContainText("print('bye')", { timeout: 15_000 });

  await openTerminal(candidate);
  await expect(candidate.getByTestId('terminal-mode')).toHaveValue('line');
  await candidate.getByTestId('terminal-start').click();
  await expect(candidate.getByTestId('terminal-status')).toContainText('Running', { timeout: 30_000 });
  await expect(screenOf(candidate)).toContainText('Name?', { timeout: 30_000 });
  // Everyone's Terminal tab opens when a session starts.
  await expect(screenOf(host)).toContainText('Name?', { timeout: 20_000 });
  await expect(screenOf(observer)).toContainText('Name?', { timeout: 20_000 });

  // Line mode: the candidate edits locally (a typo fixed with Backspace), then Enter sends.
  await typeInTerminal(candidate, 'Adx');
  await candidate.keyboard.press('Backspace');
  await candidate.keyboard.type('a');
  await candidate.keyboard.press('Enter');
  await expect(screenOf(candidate)).toContainText('Hello Ada!', { timeout: 20_000 });
  await expect(screenOf(host)).toContainText('Name? Ada');
  await expect(screenOf(host)).toContainText('Hello Ada!');

  await typeInTerminal(candidate, 'first line');
  await candidate.keyboard.press('Enter');
  await expect(screenOf(host)).toContainText('> first line', { timeout: 20_000 });
  await expect(screenOf(host)).toContainText('echo: FIRST LINE');
  // Our own line is echoed once, not again when the server's echo comes back.
  await expect(screenOf(candidate)).toContainText('echo: FIRST LINE');
  expect((await screenOf(candidate).innerText()).split('> first line').length).toBe(2);

  // The interviewer types too; the candidate sees their line and the answer.
  await typeInTerminal(host, 'from the host');
  await host.keyboard.press('Enter');
  await expect(screenOf(candidate)).toContainText('> from the host', { timeout: 20_000 });
  await expect(screenOf(candidate)).toContainText('echo: FROM THE HOST');

  // The observer sees it all but cannot start or type: the hint says so, keys do nothing.
  await expect(screenOf(observer)).toContainText('echo: FROM THE HOST');
  await expect(observer.getByTestId('terminal-hint')).toContainText('Observers');
  await expect(observer.getByTestId('terminal-start')).toBeDisabled();
  await expect(observer.getByTestId('terminal-stop')).toBeDisabled();
  await typeInTerminal(observer, 'observer was here');
  await observer.keyboard.press('Enter');
  // And the server refuses the observer's own message on the socket.
  const refusal = await observer.evaluate(async (interviewId) => {
    const socket = new WebSocket(`ws://${location.host}/ws/rooms/${interviewId}`);
    const events: Record<string, unknown>[] = [];
    socket.onmessage = (message) => events.push(JSON.parse(String(message.data)) as Record<string, unknown>);
    const next = async (type: string) => {
      for (let i = 0; i < 400; i += 1) {
        const found = events.find((e) => e['type'] === type);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no ${type} among ${events.map((e) => String(e['type'])).join(', ')}`);
    };
    await new Promise((resolve) => (socket.onopen = resolve));
    const state = await next('terminal_state');
    socket.send(
      JSON.stringify({ type: 'terminal_input', v: 1, session_id: state['session_id'], data: 'observer was here\n' }),
    );
    const error = await next('terminal_error');
    socket.close();
    return { code: error['code'], transcript: String(state['transcript']) };
  }, room.interview.id);
  expect(refusal.code).toBe('not_allowed');
  expect(refusal.transcript).toContain('Hello Ada!');

  // A late join (the host reloads) shows the same screen, from the session's transcript.
  // (The rows on screen only: earlier lines are in the terminal's scrollback.)
  await host.reload();
  await expect(screenOf(host)).toContainText('echo: FROM THE HOST', { timeout: 30_000 });
  await expect(screenOf(host)).toContainText('> first line');

  // The room with the terminal open is accessible and fits a phone.
  await expectNoSeriousAxeViolations(candidate, 'room with the terminal (candidate)');
  await expectNoSeriousAxeViolations(observer, 'room with the terminal (observer)');
  await observer.setViewportSize({ width: 360, height: 740 });
  await expectNoHorizontalOverflow(observer, 'room with the terminal at 360 px');

  await typeInTerminal(candidate, 'quit');
  await candidate.keyboard.press('Enter');
  await expect(screenOf(host)).toContainText('bye', { timeout: 20_000 });
  await expect(candidate.getByTestId('terminal-status')).toContainText('Ended', { timeout: 20_000 });
  await expect(candidate.getByTestId('terminal-start')).toBeEnabled();
  // Nothing the observer typed ever reached anyone.
  for (const page of [candidate, host, observer]) await expect(screenOf(page)).not.toContainText('observer was here');

  for (const context of room.contexts) await context.close();
});

test('raw mode sends each key as typed, and Ctrl+C interrupts the program', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;
  await typeCode(
    candidate,
    ['import sys', "while (c := sys.stdin.read(1)): print('got', repr(c), flush=True)", "print('eof')"].join('\n'),
  );
  await expect(host.getByTestId(EDITOR).locator('.view-lines')).toContainText("print('eof')", { timeout: 15_000 });
  await openTerminal(candidate);
  await candidate.getByTestId('terminal-mode').selectOption('raw');
  // The shortcut starts it from anywhere (here: the editor).
  await candidate.getByTestId(EDITOR).locator('.view-lines').click();
  await candidate.keyboard.press('ControlOrMeta+Alt+Enter');
  await expect(candidate.getByTestId('terminal-status')).toContainText('raw mode', { timeout: 30_000 });
  await expect(host.getByTestId('terminal-status')).toContainText('raw mode', { timeout: 20_000 });

  await typeInTerminal(candidate, 'xy');
  await expect(screenOf(host)).toContainText("got 'x'", { timeout: 20_000 });
  await expect(screenOf(host)).toContainText("got 'y'");
  // Nothing was echoed locally: the only "xy" on screen is the program's.
  expect(await screenOf(candidate).innerText()).not.toContain('xy');

  await candidate.keyboard.press('Control+C');
  await expect(candidate.getByTestId('terminal-status')).toContainText('Ended', { timeout: 20_000 });
  await expect(host.getByTestId('terminal-status')).toContainText('Ended', { timeout: 20_000 });
  await expect(candidate.getByTestId('terminal-start')).toBeEnabled();

  for (const context of room.contexts) await context.close();
});
