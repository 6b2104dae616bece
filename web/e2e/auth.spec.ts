// Account flow in a real browser: register → dashboard shows the name → sign out → the
// dashboard is guarded → sign in again. Plus the two error paths users hit most.
import { expect, test } from '@playwright/test';
import { registerViaUi, signOutViaUi, uniqueAccount } from './helpers';

test('register, see the dashboard, log out, log in again', async ({ page }) => {
  const account = uniqueAccount('Ada');
  await registerViaUi(page, account);
  await expect(page).toHaveURL(/\/\?workspace=[0-9a-f-]+$/);
  await expect(page.getByTestId('user-menu-name')).toHaveText(account.name);

  await signOutViaUi(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toContainText('Ada');
  await expect(page.getByTestId('user-menu-name')).toHaveText(account.name);
});

test('wrong password and duplicate email show clear errors', async ({ page }) => {
  const account = uniqueAccount('Grace');
  await registerViaUi(page, account);
  await signOutViaUi(page);

  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match');

  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Full name').fill('Someone Else');
  await page.getByLabel('Work email').fill(account.email);
  await page.getByLabel('Password').fill('another long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Work email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#email-error')).toBeVisible();
});

test('a signed-out visitor is sent to the login page and back after signing in', async ({ page }) => {
  const account = uniqueAccount('Linus');
  await registerViaUi(page, account);
  await signOutViaUi(page);
  await page.goto('/questions');
  await expect(page).toHaveURL(/\/login\?next=%2Fquestions/);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/questions\?workspace=[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { name: 'Question bank' })).toBeVisible();
});
