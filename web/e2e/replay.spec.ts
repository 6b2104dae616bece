// The replay against the real server (issue 19): a candidate types a program in two phases
// with a run in between, while the host watches the replay follow the live interview (opened
// from the room in a new tab); after the end the host opens the replay from the review page,
// drags the playhead to between the two phases and sees the code as it was then (not the final
// code), plays at 8× and the playhead advances to the final code, and clicks the run's marker
// to see that run's output. Axe-clean and no sideways scrolling at 360 px.
import { expect, test, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  editorText,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  joinViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

test.describe.configure({ timeout: 180_000 });

const PHASE_ONE = 'print("phase one")';
const PHASE_TWO = 'print("phase two")';
const FINAL = `${PHASE_ONE}\n${PHASE_TWO}`;
/** Quiet time between the phases (around the run): the middle of it is what the test seeks to. */
const PAUSE_MS = 4_000;

/** Types into the room's editor with the browser's text input (no bracket auto-closing). */
async function typeCode(page: Page, text: string, { replace }: { replace: boolean }): Promise<void> {
  await page.getByTestId('code-editor').locator('.view-lines').click();
  await page.keyboard.press(replace ? 'ControlOrMeta+A' : 'ControlOrMeta+End');
  await page.keyboard.insertText(text);
}

const replayText = (page: Page) => editorText(page, 'replay-editor');

test('an interviewer replays a finished interview: scrub, play at 8×, open a run', async ({ browser, baseURL }) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'Replay me',
    language: 'python',
    candidate_name: 'Casey Candidate',
    question_ids: [],
  });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL!, interview, 'Casey Candidate');

  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  await Promise.all([
    host.goto(`/interviews/${interview.id}/room`),
    candidate.goto(`/interviews/${interview.id}/room`),
  ]);
  for (const page of [host, candidate])
    await expect(page.getByTestId('code-editor').locator('.view-lines')).toBeVisible({ timeout: 20_000 });
  // Interviewers get the replay in a new tab; the candidate does not.
  const roomLink = host.getByTestId('room-replay-link');
  await expect(roomLink).toHaveAttribute('target', '_blank');
  await expect(candidate.getByTestId('room-replay-link')).toHaveCount(0);

  // Phase one, seen by the host through the server.
  await typeCode(candidate, PHASE_ONE, { replace: true });
  await expect(host.getByTestId('code-editor').locator('.view-lines')).toContainText(PHASE_ONE, { timeout: 15_000 });
  const afterPhaseOne = Date.now();

  // The replay of the live interview, from the room's link: it follows the interview.
  const [live] = await Promise.all([hostContext.waitForEvent('page'), roomLink.click()]);
  await expect(live.getByTestId('replay-live')).toHaveAttribute('aria-pressed', 'true', { timeout: 20_000 });
  await expect.poll(() => replayText(live), { timeout: 20_000 }).toBe(PHASE_ONE);

  // The run, then a quiet moment, then phase two.
  await candidate.waitForTimeout(PAUSE_MS / 2);
  await candidate.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(candidate.getByTestId('run-status')).toHaveText('Finished', { timeout: 30_000 });
  await candidate.waitForTimeout(PAUSE_MS / 2);
  const beforePhaseTwo = Date.now();
  await typeCode(candidate, `\n${PHASE_TWO}`, { replace: false });
  await expect(host.getByTestId('code-editor').locator('.view-lines')).toContainText(PHASE_TWO, { timeout: 15_000 });
  // The live replay catches up by itself (it refreshes every 5 s).
  await expect.poll(() => replayText(live), { timeout: 20_000 }).toBe(FINAL);
  await live.close();

  const ended = await hostContext.request.post(`/api/interviews/${interview.id}/end`, {
    headers: { Origin: baseURL! },
  });
  expect(ended.status()).toBe(200);
  const { interview: done } = (await (await hostContext.request.get(`/api/interviews/${interview.id}`)).json()) as {
    interview: { started_at: string; ended_at: string };
  };
  const startMs = Date.parse(done.started_at);
  const endMs = Date.parse(done.ended_at);

  // From the review page to the replay of the finished interview.
  await host.goto(`/interviews/${interview.id}/review`);
  await host.getByTestId('review-replay-link').click();
  await expect(host).toHaveURL(new RegExp(`/interviews/${interview.id}/replay$`));
  await expect(host.getByRole('heading', { name: /Replay: Replay me/ })).toBeVisible();
  await expect(host.getByTestId('replay-editor').locator('.view-lines')).toBeVisible({ timeout: 20_000 });
  await expect(host.getByTestId('replay-live')).toHaveCount(0);

  // Drag the playhead to the middle of the quiet stretch between the phases: phase one only.
  const slider = host.getByTestId('replay-slider');
  const box = (await slider.boundingBox())!;
  const middle = (afterPhaseOne + beforePhaseTwo) / 2;
  const x = box.x + ((middle - startMs) / (endMs - startMs)) * box.width;
  const y = box.y + 28; // on the rail, clear of the marker lanes
  await host.mouse.move(box.x + box.width * 0.95, y);
  await host.mouse.down();
  await host.mouse.move((x + box.x + box.width * 0.95) / 2, y, { steps: 4 });
  await host.mouse.move(x, y, { steps: 4 });
  await host.mouse.up();
  await expect.poll(() => replayText(host)).toBe(PHASE_ONE);
  await expect(slider).toHaveAttribute('aria-valuetext', /second|minute/);
  await expectNoSeriousAxeViolations(host, 'replay page');

  // Play at 8×: the playhead moves on, to the final code.
  await host.getByTestId('replay-speed').selectOption('8');
  const before = Number(await slider.getAttribute('data-position-ms'));
  await host.getByTestId('replay-play').click();
  await expect(host.getByTestId('replay-play')).toContainText('Pause');
  await expect.poll(async () => Number(await slider.getAttribute('data-position-ms'))).toBeGreaterThan(before + 2_000);
  await expect.poll(() => replayText(host), { timeout: 30_000 }).toBe(FINAL);

  // The run's marker: the playhead goes to the run (phase one again) and its output shows.
  await host.getByTestId('replay-marker-run').first().click();
  const run = host.getByTestId('replay-run');
  await expect(run.getByRole('heading', { name: /Run #1/ })).toBeVisible();
  await expect(run.getByLabel('Stdout')).toContainText('phase one', { timeout: 15_000 });
  await expect.poll(() => replayText(host)).toBe(PHASE_ONE);
  await expect(host.getByTestId('replay-events')).toContainText('Casey Candidate ran the code (Python)');
  await expectNoSeriousAxeViolations(host, 'replay page with a run open');

  // Narrow screens: everything stacks, nothing scrolls sideways.
  await host.setViewportSize({ width: 360, height: 740 });
  await host.reload();
  await expect(host.getByTestId('replay-editor').locator('.view-lines')).toBeVisible({ timeout: 20_000 });
  await expectNoHorizontalOverflow(host, 'replay page at 360 px');

  await candidateContext.close();
  await hostContext.close();
});
