// The account page in a real browser: changing the password (another browser is signed out,
// the old password no longer signs in, the new one does), and an API token's life — created
// with its secret shown once, working as a Bearer token, revoked behind a confirmation.
import { expect, test } from '@playwright/test';
import { expectNoHorizontalOverflow, registerViaApi, registerViaUi, signOutViaUi, uniqueAccount } from './helpers';

test('change the password: other browsers are signed out and the old password stops working', async ({
  page,
  browser,
  baseURL,
}) => {
  const account = uniqueAccount('Pass');
  await registerViaUi(page, account);
  // A second browser of the same account.
  const other = await browser.newContext({ baseURL });
  const signedIn = await other.request.post('/api/auth/login', {
    data: { email: account.email, password: account.password },
    headers: { Origin: baseURL ?? '' },
  });
  expect(signedIn.status()).toBe(200);

  await page.getByTestId('user-menu-name').click();
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('sessions').getByText(/This device/)).toBeVisible();
  // Both browsers are listed by the User-Agent they signed in with.
  await expect(page.getByTestId('sessions').getByText(/^Chrome on /)).toHaveCount(2);

  // The server's answer lands on the field.
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('Confirm new password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current_password-error')).toHaveText('is not your current password');

  await page.getByLabel('Current password').fill(account.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed: 1 other session signed out.')).toBeVisible();
  expect((await other.request.get('/api/auth/me')).status()).toBe(401);
  await other.close();

  await signOutViaUi(page);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match');
  await page.getByLabel('Password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu-name')).toHaveText(account.name);
});

test('create an API token, use it, and revoke it', async ({ page, context, baseURL }) => {
  const account = uniqueAccount('Token');
  await registerViaApi(context, baseURL ?? '', account);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('/account');
  await expect(page.getByText('No API tokens yet.')).toBeVisible();
  await expectNoHorizontalOverflow(page, 'account page at 360 px');

  await page.getByLabel('Token name').fill('CI pipeline');
  await page.getByLabel('Expires after').selectOption('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').textContent()) ?? '';
  expect(secret).toMatch(/^cvt_/);
  await expect(page.getByRole('button', { name: 'Copy token' })).toBeVisible();
  await expect(page.getByTestId('tokens').getByText('CI pipeline')).toBeVisible();

  const bearer = { Authorization: `Bearer ${secret}` };
  const me = await page.request.get('/api/auth/me', { headers: bearer });
  expect(me.status()).toBe(200);

  // A reload forgets the secret: it was shown once.
  await page.reload();
  await expect(page.getByTestId('tokens').getByText('CI pipeline')).toBeVisible();
  await expect(page.getByTestId('new-token')).toHaveCount(0);

  await page.getByRole('button', { name: 'Revoke CI pipeline' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('No API tokens yet.')).toBeVisible();
  expect((await page.request.get('/api/auth/me', { headers: bearer })).status()).toBe(401);
});
