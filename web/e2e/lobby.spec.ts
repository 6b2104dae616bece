// Live lobby presence: the candidate opens the invite link and waits in the lobby; the host's
// interview page, already open, shows "… is waiting in the lobby" without a reload (a room
// event); the banner goes when the candidate leaves the lobby and returns when they come
// back; the room, opened by the host before the start, shows the same banner and lists the
// candidate online; Start in the banner takes the candidate into the room.
import { expect, test } from '@playwright/test';
import { createInterviewViaApi, registerViaApi, uniqueAccount } from './helpers';

test('the host sees the candidate waiting in the lobby live and starts from the banner', async ({
  browser,
  baseURL,
}) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL ?? '', uniqueAccount('Host'));
  const interview = await createInterviewViaApi(
    hostContext,
    baseURL ?? '',
    { title: 'Lobby presence', candidate_name: 'Casey Lobby' },
    { start: false },
  );
  const host = await hostContext.newPage();
  await host.goto(`/interviews/${interview.id}`);
  await expect(host.getByTestId('interview-status')).toHaveText('Scheduled');
  await expect(host.getByTestId('lobby-banner')).toHaveCount(0);
  // A mark on the page, gone if anything reloaded it.
  await host.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  // The candidate joins and waits; a first visit leaves before the second one stays.
  const candidateContext = await browser.newContext();
  const candidate = await candidateContext.newPage();
  await candidate.goto(interview.inviteUrl);
  await candidate.getByLabel('Your name').fill('Casey Lobby');
  await candidate.getByRole('button', { name: 'Join interview' }).click();
  await expect(candidate.getByTestId('lobby')).toBeVisible();

  const banner = host.getByTestId('lobby-banner');
  // Only the room socket's presence shows the banner; the page was not reloaded.
  await expect(banner).toHaveText(/Casey Lobby is waiting in the lobby/, { timeout: 3_000 });
  expect(await host.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // The candidate closes the tab: the banner goes; they come back: it returns.
  await candidate.close();
  await expect(banner).toHaveCount(0, { timeout: 3_000 });
  const back = await candidateContext.newPage();
  await back.goto(interview.inviteUrl);
  await expect(back.getByTestId('lobby')).toBeVisible();
  await expect(banner).toBeVisible({ timeout: 3_000 });

  // The host's room before the start: the same banner, and the candidate listed online.
  const room = await hostContext.newPage();
  await room.goto(`/interviews/${interview.id}/room`);
  await expect(room.getByTestId('lobby-banner')).toHaveText(/Casey Lobby is waiting in the lobby/);
  // The list comes with the editor's lazy chunk (Monaco), which a busy machine loads slowly.
  await expect(room.getByTestId('room-participant').filter({ hasText: 'Casey Lobby' })).toHaveAttribute(
    'data-online',
    'true',
    { timeout: 30_000 },
  );

  await banner.getByRole('button', { name: 'Start' }).click();
  await expect(host.getByTestId('interview-status')).toHaveText('Live');
  await expect(banner).toHaveCount(0);
  await expect(back.getByTestId('room')).toBeVisible({ timeout: 5_000 });
  await expect(back).toHaveURL(/\/interviews\/[^/]+\/room$/);
  // The room heard the start too: no banner there any more.
  await expect(room.getByTestId('lobby-banner')).toHaveCount(0);

  await candidateContext.close();
  await hostContext.close();
});
