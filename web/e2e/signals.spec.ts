// Integrity signals end to end, against the real server in real Chromium: the candidate's join
// page says what is recorded before they join; in the room the candidate pastes text from outside
// into the editor (the browser's own paste event, carrying the text, on Monaco's focused input)
// and leaves the tab (the page's visibility is switched to hidden and back, as a tab switch does:
// headless Chromium never hides a page by itself); the interviewer's quiet badge counts them
// live and lists them in words; and the interviewer's timeline holds the `signal` events —
// a paste from outside with its length, the tab hidden, then visible with how long.
// Set-up goes through the API (the UI flow is covered by interview-flow.spec.ts).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  editorText,
  focusEditorEnd,
  joinViaApi,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

const CODE = 'code-editor';
/** Under the server's large-insert size, so the paste is the only signal it makes. */
const PASTED = 'print(sum(int(x) for x in input().split()))';

// Two pages load the Monaco chunk; on a busy 2-core machine that takes a while.
test.describe.configure({ timeout: 120_000 });

interface Room {
  interview: LiveInterview;
  contexts: BrowserContext[];
  host: Page;
  candidate: Page;
}

async function openRoom(browser: Browser, baseURL: string): Promise<Room> {
  const hostContext = await browser.newContext({ baseURL });
  await registerViaApi(hostContext, baseURL, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL, {
    title: 'Signals room',
    language: 'python',
    candidate_name: 'Casey Candidate',
  });
  const candidateContext = await browser.newContext({ baseURL });
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');
  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  await Promise.all([
    host.goto(`/interviews/${interview.id}/room`),
    candidate.goto(`/interviews/${interview.id}/room`),
  ]);
  for (const page of [host, candidate]) {
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
    await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
  }
  return { interview, contexts: [hostContext, candidateContext], host, candidate };
}

/** The browser's paste of `text` into the focused element (what Ctrl+V does with that clipboard). */
async function pasteFromOutside(page: Page, text: string): Promise<void> {
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Hides the page (or shows it again) as switching to another tab and back does. */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // The own properties go; the document's real (visible) ones show through again.
      Reflect.deleteProperty(document, 'visibilityState');
      Reflect.deleteProperty(document, 'hidden');
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

interface TimelineEvent {
  at: string;
  kind: string;
  participant_id: string | null;
  data: Record<string, unknown>;
}

test('the candidate is told what is recorded before joining', async ({ browser, baseURL }) => {
  const hostContext = await browser.newContext({ baseURL: baseURL! });
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(
    hostContext,
    baseURL!,
    { title: 'Notice room', language: 'python', candidate_name: 'Casey Candidate' },
    { start: false },
  );
  const candidateContext = await browser.newContext({ baseURL: baseURL! });
  const page = await candidateContext.newPage();
  await page.goto(interview.inviteUrl);
  const notice = page.getByRole('region', { name: 'What this interview records' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('replay the session');
  await expect(notice).toContainText(
    'Pasting into the editor, copying most of the code, and leaving this tab or window',
  );
  await expect(notice).toContainText('Never your camera or microphone');
  await expect(page.getByRole('button', { name: 'Join interview' })).toBeVisible();
  await candidateContext.close();
  await hostContext.close();
});

test('a paste from outside and a tab switch reach the interviewer live and the timeline', async ({
  browser,
  baseURL,
}) => {
  const { interview, contexts, host, candidate } = await openRoom(browser, baseURL!);
  const badge = host.getByTestId('signals-badge');
  await expect(badge).toHaveText('No signals');
  // Only interviewers have the badge.
  await expect(candidate.getByTestId('signals-badge')).toHaveCount(0);

  // A paste of text that was never copied in the editor.
  await focusEditorEnd(candidate, CODE);
  await pasteFromOutside(candidate, PASTED);
  await expect.poll(() => editorText(candidate, CODE)).toContain(PASTED);
  await expect(badge).toHaveText('1 signal');

  // The candidate switches to another tab for a while, then comes back.
  await setTabHidden(candidate, true);
  await expect(badge).toHaveText('2 signals');
  await badge.click();
  const list = host.getByRole('region', { name: 'Integrity signals' });
  await expect(list).toContainText('Evidence, not a verdict');
  await expect(list.getByRole('listitem')).toHaveText([
    /Left the tab — not back yet/,
    new RegExp(`Pasted ${PASTED.length} characters from outside the editor`),
  ]);
  await candidate.waitForTimeout(1500);
  await setTabHidden(candidate, false);
  await expect(list.getByRole('listitem').first()).toHaveText(/Left the tab for \d+ s/);
  await expect(badge).toHaveText('2 signals');
  await host.keyboard.press('Escape');
  await expect(list).toBeHidden();

  // The interviewer's timeline has them, from the server's clock.
  const timelineSignals = async (): Promise<TimelineEvent[]> => {
    const res = await host.request.get(`/api/interviews/${interview.id}/timeline`);
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as TimelineEvent[]).filter((event) => event.kind === 'signal');
  };
  await expect
    .poll(async () => (await timelineSignals()).map((event) => event.data['kind']))
    .toEqual(['paste', 'tab_hidden', 'tab_visible']);
  const [paste, hidden, visible] = await timelineSignals();
  expect(paste?.data).toMatchObject({ kind: 'paste', external: true, length: PASTED.length });
  expect(hidden?.participant_id).toBe(paste?.participant_id);
  expect(Number(visible?.data['duration_ms'])).toBeGreaterThanOrEqual(1400);
  expect(Date.parse(visible?.at ?? '') - Date.parse(hidden?.at ?? '')).toBeGreaterThanOrEqual(1000);

  // The candidate cannot read the timeline.
  const refused = await candidate.request.get(`/api/interviews/${interview.id}/timeline`);
  expect([403, 404]).toContain(refused.status());

  for (const context of contexts) await context.close();
});
