// Shared e2e helpers: unique test identities and the UI steps several specs repeat.
import { expect, type Page } from '@playwright/test';

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function uniqueAccount(prefix: string): Account {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${prefix} Tester`, email: `${prefix.toLowerCase()}-${id}@example.com`, password: 'correct horse battery' };
}

export async function registerViaUi(page: Page, account: Account): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(account.name);
  await page.getByLabel('Work email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('welcome')).toContainText(account.name.split(' ')[0] ?? account.name);
}

export async function signOutViaUi(page: Page): Promise<void> {
  await page.getByTestId('user-menu-name').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}
