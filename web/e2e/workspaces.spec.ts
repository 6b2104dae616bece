// Workspaces (hiring teams) against the real server: an owner writes a question in their
// workspace and invites a colleague from the settings page (the link copied from the UI); the
// colleague registers through the link in another browser and both see the team's question,
// while an account registered on its own sees only the starter library, even with a link to
// the team's bank. Then the new pages are checked at 360×740 for sideways scrolling.
import { expect, test, type Page } from '@playwright/test';
import { expectNoHorizontalOverflow, registerViaUi, uniqueAccount } from './helpers';

const PHONE = { width: 360, height: 740 };

async function workspaceIdFromUrl(page: Page): Promise<string> {
  await expect(page).toHaveURL(/[?&]workspace=[0-9a-f-]+/);
  return new URL(page.url()).searchParams.get('workspace') ?? '';
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('workspace-switcher').click();
  await page.getByRole('menuitem', { name: 'Workspace settings' }).click();
  await expect(page.getByRole('heading', { name: 'Invite people' })).toBeVisible();
}

test('a colleague joins through an invite and shares the bank; an outsider sees none of it', async ({ browser }) => {
  const ownerContext = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const owner = await ownerContext.newPage();
  const ownerAccount = uniqueAccount('Owner');
  await registerViaUi(owner, ownerAccount);
  const teamName = (await owner.getByTestId('workspace-switcher').getAttribute('title')) ?? '';
  expect(teamName).not.toBe('');

  // A question in the owner's workspace.
  const title = `Team question ${Date.now()}`;
  await owner.getByRole('link', { name: 'Questions', exact: true }).click();
  const teamId = await workspaceIdFromUrl(owner);
  await owner.getByRole('link', { name: 'New question' }).click();
  await expect(owner.getByText(`In ${teamName}`)).toBeVisible();
  await owner.getByLabel('Title').fill(title);
  await owner.getByLabel('Category').fill('Teamwork');
  await owner.getByLabel(/^Prompt/).fill('Only for the team.');
  // A new question starts without test rows.
  await owner.getByRole('button', { name: '+ Add test case' }).click();
  await owner
    .getByTestId('test-case-row')
    .nth(0)
    .getByLabel(/^Input/)
    .fill('1');
  await owner
    .getByTestId('test-case-row')
    .nth(0)
    .getByLabel(/^Expected output/)
    .fill('1');
  await owner.getByRole('button', { name: 'Create question' }).click();
  await expect(owner.getByRole('heading', { name: title })).toBeVisible();

  // The invite, made in the settings and copied from the page.
  const colleagueAccount = uniqueAccount('Colleague');
  await openSettings(owner);
  await owner.getByLabel('Email', { exact: true }).fill(colleagueAccount.email);
  await owner.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(owner.getByTestId('invite-delivery')).toHaveText(
    /^(Email sent to .*|Email is not configured on this server: copy the link and send it yourself\.)$/,
  );
  await owner.getByRole('button', { name: 'Copy link' }).click();
  await expect(owner.getByRole('button', { name: 'Copied!' })).toBeVisible();
  const inviteUrl = await owner.evaluate(() => navigator.clipboard.readText());
  await expect(owner.getByTestId('workspace-invite-url')).toHaveValue(inviteUrl);
  expect(inviteUrl).toMatch(/\/invites\/[^/?#]+$/);
  await expect(owner.getByTestId('pending-invites')).toContainText(colleagueAccount.email);

  // The colleague, on a phone, opens the link signed out and creates their account.
  const colleagueContext = await browser.newContext({ viewport: PHONE });
  const colleague = await colleagueContext.newPage();
  await colleague.goto(inviteUrl);
  await expect(colleague.getByTestId('invite-summary')).toHaveText(
    `${ownerAccount.name} invited you to join ${teamName} as a member.`,
  );
  await expectNoHorizontalOverflow(colleague, 'invite page');
  await colleague.getByRole('link', { name: 'Create an account' }).click();
  const email = colleague.getByLabel('Work email');
  await expect(email).toHaveValue(colleagueAccount.email);
  await expect(email).not.toBeEditable();
  await expectNoHorizontalOverflow(colleague, 'register page with an invite');
  await colleague.getByLabel('Full name').fill(colleagueAccount.name);
  await colleague.getByLabel('Password').fill(colleagueAccount.password);
  await colleague.getByRole('button', { name: 'Create account' }).click();
  await expect(colleague.getByTestId('welcome')).toContainText('Colleague');
  // They joined the team's workspace and got no personal one.
  await expect(colleague.getByTestId('workspace-switcher')).toHaveAttribute('title', teamName);
  await colleague.getByTestId('workspace-switcher').click();
  await expect(colleague.getByRole('menuitemradio')).toHaveCount(1);
  await colleague.keyboard.press('Escape');
  await colleague.getByRole('link', { name: 'Questions', exact: true }).click();
  await expect(colleague.getByTestId('question-table')).toContainText(title);
  expect(await workspaceIdFromUrl(colleague)).toBe(teamId);

  // The owner sees them as a member, the invite gone, and the same question.
  await owner.reload();
  await expect(owner.getByTestId('members')).toContainText(colleagueAccount.email);
  await expect(owner.getByText('No pending invitations.')).toBeVisible();
  await owner.goto(`/questions?workspace=${teamId}`);
  await expect(owner.getByTestId('question-table')).toContainText(title);

  // The invite link works once.
  await colleague.goto(inviteUrl);
  await expect(colleague.getByRole('heading', { name: 'This invitation has already been used' })).toBeVisible();

  // Someone who registered on their own sees only the starter library, even with the team's link.
  const outsiderContext = await browser.newContext();
  const outsider = await outsiderContext.newPage();
  await registerViaUi(outsider, uniqueAccount('Outsider'));
  await outsider.getByRole('link', { name: 'Questions', exact: true }).click();
  const table = outsider.getByTestId('question-table');
  await expect(table).toBeVisible();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(table.getByTestId('starter-badge')).toHaveCount(await rows.count());
  await expect(table).not.toContainText(title);
  await outsider.goto(`/questions?workspace=${teamId}`);
  await expect(outsider.getByText(/The link named a workspace you are not a member of/)).toBeVisible();
  await expect(outsider.getByTestId('question-table')).not.toContainText(title);
  await outsider.goto(`/workspaces/${teamId}/settings`);
  await expect(outsider.getByText('This workspace does not exist, or you are not a member of it.')).toBeVisible();

  await Promise.all([ownerContext.close(), colleagueContext.close(), outsiderContext.close()]);
});

test('the workspace pages fit a 360 px screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await registerViaUi(page, uniqueAccount('Phone'));
  await expectNoHorizontalOverflow(page, 'dashboard');

  // A workspace with a very long name: created from the switcher, cut with an ellipsis.
  const longName = `Platform infrastructure and developer experience hiring team ${Date.now()}`;
  await page.getByTestId('workspace-switcher').click();
  await expectNoHorizontalOverflow(page, 'switcher menu');
  await page.getByRole('menuitem', { name: 'New workspace…' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill(longName);
  await expectNoHorizontalOverflow(page, 'new workspace dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByTestId('workspace-switcher')).toHaveAttribute('title', longName);
  await page.getByTestId('workspace-switcher').click();
  await expect(page.getByRole('menuitemradio', { name: new RegExp(longName) })).toBeVisible();
  await expectNoHorizontalOverflow(page, 'switcher menu with a long name');
  await page.keyboard.press('Escape');
  const cut = await page
    .getByTestId('workspace-switcher')
    .locator('.ws-switcher__name')
    .evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(cut).toBe(true);
  await expectNoHorizontalOverflow(page, 'dashboard of a long-named workspace');

  await openSettings(page);
  await page.getByLabel('Email', { exact: true }).fill('someone.with.a.rather.long.address@example.com');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByTestId('workspace-invite-url')).toBeVisible();
  await expectNoHorizontalOverflow(page, 'settings page');

  await page.getByRole('link', { name: 'Questions', exact: true }).click();
  await expect(page.getByTestId('question-table')).toBeVisible();
  await expectNoHorizontalOverflow(page, 'question bank');
  await page.getByTestId('question-table').getByRole('link').first().click();
  await expect(page.getByTestId('starter-note')).toBeVisible();
  await expectNoHorizontalOverflow(page, 'starter question');

  await page.goto('/interviews/new');
  await expect(page.getByTestId('question-bank')).toBeVisible();
  await expectNoHorizontalOverflow(page, 'new interview');
  await context.close();
});
