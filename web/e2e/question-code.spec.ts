// Per-question code in the real room: an interview of two questions starts with each
// question's starter code in its own text; the host switches the question and the candidate's
// prompt and editor follow (the candidate sees which question is active but has no tabs);
// each question keeps its code when switching back; changing the language asks before
// replacing edited code.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
  createInterviewViaApi,
  editorText,
  expectNoSeriousAxeViolations,
  joinViaApi,
  registerViaApi,
  uniqueAccount,
} from './helpers';

const CODE = 'code-editor';
const FIRST = { title: 'Reverse words', starter: 'def reverse_words(s):\n    pass' };
const SECOND = { title: 'Count vowels', starter: 'def count_vowels(s):\n    pass' };

test.describe.configure({ timeout: 120_000 });

async function createQuestion(context: BrowserContext, baseURL: string, title: string, starter: string) {
  const created = await context.request.post('/api/questions', {
    headers: { Origin: baseURL },
    data: {
      title: `${title} ${Date.now()}`,
      prompt: `Solve **${title}**.`,
      difficulty: 'easy',
      category: 'Strings',
      starter_code: { python: starter, javascript: `// ${title}\n` },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { question: { id: string; title: string } }).question;
}

/** Replaces the editor's text with one `insertText`. */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByTestId(CODE).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}

test('the host switches the question; the candidate follows and each question keeps its code', async ({
  browser,
  baseURL,
}) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const first = await createQuestion(hostContext, baseURL!, FIRST.title, FIRST.starter);
  const second = await createQuestion(hostContext, baseURL!, SECOND.title, SECOND.starter);
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'Two questions',
    language: 'python',
    candidate_name: 'Casey Candidate',
    question_ids: [first.id, second.id],
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
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });

  // The start seeded the first question's starter code; the candidate has no tabs.
  await expect.poll(() => editorText(candidate, CODE)).toBe(FIRST.starter);
  await expect(candidate.getByRole('tablist', { name: /^Questions/ })).toHaveCount(0);
  await expect(host.getByRole('tablist', { name: /^Questions/ })).toBeVisible();
  await expect(candidate.getByTestId('question-position')).toHaveText('Question 1 of 2');
  await expect(candidate.getByRole('heading', { name: first.title })).toBeVisible();
  await typeCode(candidate, 'first = "mine"');
  await expect.poll(() => editorText(host, CODE)).toBe('first = "mine"');

  // The host switches: everyone's prompt and editor follow, to the second question's own code.
  await host.getByRole('tab', { name: `2. ${second.title}` }).click();
  await expect(candidate.getByTestId('question-position')).toHaveText('Question 2 of 2');
  await expect(candidate.getByRole('heading', { name: second.title })).toBeVisible();
  await expect.poll(() => editorText(candidate, CODE)).toBe(SECOND.starter);
  await expect.poll(() => editorText(host, CODE)).toBe(SECOND.starter);
  await expectNoSeriousAxeViolations(candidate, 'the candidate room on the second question');
  await typeCode(candidate, 'second = "also mine"');
  await expect.poll(() => editorText(host, CODE)).toBe('second = "also mine"');

  // Back to the first question: its code is as it was left.
  await host.getByRole('tab', { name: `1. ${first.title}` }).click();
  await expect.poll(() => editorText(candidate, CODE)).toBe('first = "mine"');
  await expect(candidate.getByRole('heading', { name: first.title })).toBeVisible();

  // A reload keeps the room on the active question.
  await candidate.reload();
  await expect(candidate.getByTestId('question-position')).toHaveText('Question 1 of 2');
  await expect.poll(() => editorText(candidate, CODE)).toBe('first = "mine"');

  // Changing the language with edited code asks first; keeping the code keeps it.
  await host.getByTestId('language-select').selectOption('javascript');
  const ask = host.getByRole('dialog', { name: 'Replace your code with the JavaScript starter code?' });
  await expect(ask).toBeVisible();
  await expectNoSeriousAxeViolations(host, 'the language question');
  await ask.getByRole('button', { name: 'Keep my code' }).click();
  await expect(candidate.getByTestId('language-select')).toHaveValue('javascript');
  await expect.poll(() => editorText(candidate, CODE)).toBe('first = "mine"');

  await candidateContext.close();
  await hostContext.close();
});
