// Scorecards in the real server and Chromium, on a 360 px wide phone: the host sees the rubric
// editor on the interview page, scores in the room's Scorecard tab (autosaved), is told what
// is missing, submits after confirming, and sees the scorecard read only with the aggregate.
// Every step fits the width and has no serious axe violation.
import { expect, test } from '@playwright/test';
import {
  createInterviewViaApi,
  expectNoHorizontalOverflow,
  expectNoSeriousAxeViolations,
  registerViaApi,
  uniqueAccount,
} from './helpers';

test.describe.configure({ timeout: 180_000 });

test('the host scores and submits from the room on a phone', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  await registerViaApi(context, baseURL!, uniqueAccount('Host'));
  const interview = await createInterviewViaApi(context, baseURL!, { title: 'Scorecards', language: 'python' });
  const page = await context.newPage();

  await page.goto(`/interviews/${interview.id}`);
  const rubric = page.getByRole('region', { name: 'Scorecard rubric' });
  await expect(rubric.getByLabel('Criterion 1 name')).toHaveValue('Problem solving');
  await expectNoHorizontalOverflow(page, 'interview page with the rubric editor');
  await expectNoSeriousAxeViolations(page, 'interview page with the rubric editor');

  await page.goto(`/interviews/${interview.id}/room`);
  await page.getByRole('tab', { name: 'Scorecard' }).click();
  const form = page.getByTestId('scorecard-form');
  await form.getByRole('group', { name: 'Problem solving' }).getByText('Good').click();
  await form.getByLabel('Comment on problem solving').fill('Found the hash map approach quickly.');
  await expect(form.getByTestId('save-status')).toHaveText('Saved');
  await form.getByRole('button', { name: 'Submit scorecard' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not ready to submit' })).toContainText(
    'Choose a recommendation',
  );
  await expectNoHorizontalOverflow(page, 'room scorecard tab');
  await expectNoSeriousAxeViolations(page, 'room scorecard tab');

  for (const name of ['Code quality', 'Communication', 'Testing & edge cases']) {
    await form.getByRole('group', { name }).getByText('Excellent').click();
  }
  await form.getByRole('group', { name: 'Overall recommendation' }).getByText('Strong yes').click();
  await form.getByRole('button', { name: 'Submit scorecard' }).click();
  await page.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).click();
  const mine = page.getByRole('article', { name: 'Your scorecard' });
  await expect(mine).toContainText('Submitted');
  await expect(mine).toContainText('Found the hash map approach quickly.');
  await expect(page.getByRole('region', { name: 'Aggregate of the submitted scorecards' })).toContainText('Strong yes');
  await expectNoHorizontalOverflow(page, 'submitted scorecard');
  await expectNoSeriousAxeViolations(page, 'submitted scorecard');

  // The rubric is now locked, and the page says why.
  await page.goto(`/interviews/${interview.id}`);
  await expect(page.getByTestId('rubric-locked')).toContainText('a scorecard has been submitted');
  await context.close();
});
