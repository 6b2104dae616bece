// Question bank and interview editing against the real server: filtering the starter
// library, built-in questions being read-only ("Duplicate to <workspace>" instead of Edit,
// which opens an editable copy), and editing a scheduled interview, including clearing a field.
import { expect, test } from '@playwright/test';
import { registerViaUi, uniqueAccount } from './helpers';

test('built-in questions are read-only and can be duplicated', async ({ page }) => {
  await registerViaUi(page, uniqueAccount('Bank'));
  await page.goto('/questions?difficulty=hard');
  const table = page.getByTestId('question-table');
  await expect(table).toBeVisible();
  await expect(table.locator('.badge--medium, .badge--easy')).toHaveCount(0);
  await expect(table.locator('.badge--hard').first()).toBeVisible();

  await table.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Prompt' })).toBeVisible();
  await expect(page.getByText('read-only')).toBeVisible();
  await expect(page.getByText('Hidden tests of starter questions are public')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  const title = (await page.locator('.page-header__title').textContent()) ?? '';
  const starterUrl = page.url();
  const workspace = (await page.getByTestId('workspace-switcher').getAttribute('title')) ?? '';

  await page.getByRole('button', { name: `Duplicate to ${workspace}` }).click();
  await expect(page).not.toHaveURL(starterUrl);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('starter-note')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Edit' })).toBeVisible();
});

test('a scheduled interview can be edited, and cleared fields stay cleared', async ({ page }) => {
  await registerViaUi(page, uniqueAccount('Editor'));
  await page.goto('/interviews/new');
  await page.getByLabel('Title').fill('Frontend screen');
  await page.getByLabel('Name', { exact: true }).fill('Robin Roe');
  await page.getByLabel('Email', { exact: true }).fill('robin@example.com');
  await page.getByLabel('Language').selectOption('typescript');
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page.getByText('Candidate: Robin Roe')).toBeVisible();

  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Robin Roe');
  await page.getByLabel('Title').fill('Frontend screen (round 2)');
  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByLabel('Email', { exact: true }).fill('');
  await page.getByLabel('Duration (minutes)').fill('45');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page.getByRole('heading', { name: /Frontend screen \(round 2\)/ })).toBeVisible();
  await expect(page.getByText('No candidate named yet')).toBeVisible();
  await expect(page.getByText('45 min')).toBeVisible();
  await expect(page.getByText('TypeScript')).toBeVisible();

  // The dashboard lists it under Upcoming and the text filter finds it.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByLabel('Search').fill('round 2');
  await expect(page.getByTestId('interview-table')).toContainText('Frontend screen (round 2)');
  await page.getByLabel('Search').fill('no such interview');
  await expect(page.getByText('No interviews match these filters.')).toBeVisible();
});
