// A SQL question answered in the room against the real server and sandbox: the candidate sees
// the question's tables, tests a query that forgets the HAVING filter (a failing case shows
// the table diff), then the right query, which passes every case. Set-up goes through the API.
import { expect, test } from '@playwright/test';
import { createInterviewViaApi, joinViaApi, registerViaApi, uniqueAccount } from './helpers';

test.describe.configure({ timeout: 120_000 });

const EDITOR = 'code-editor';
const SELECT = 'SELECT department, COUNT(*) AS headcount, ROUND(AVG(salary), 1) AS avg_salary FROM employees';
const WRONG = `${SELECT} WHERE department IS NOT NULL GROUP BY department ORDER BY headcount DESC, department;`;
const RIGHT = `${SELECT} WHERE department IS NOT NULL GROUP BY department HAVING COUNT(*) >= 3 ORDER BY headcount DESC, department;`;

test('a SQL question: the schema is shown, a failing case shows the table diff, the right query passes', async ({
  browser,
  baseURL,
}) => {
  const hostContext = await browser.newContext();
  await registerViaApi(hostContext, baseURL!, uniqueAccount('Host'));
  const list = (await (await hostContext.request.get('/api/questions?category=sql')).json()) as {
    questions: { id: string; title: string; builtin: boolean }[];
  };
  const question = list.questions.find((q) => q.title === 'Departments With a Crowd' && q.builtin);
  expect(question, 'the starter library has the GROUP BY question').toBeTruthy();
  const interview = await createInterviewViaApi(hostContext, baseURL!, {
    title: 'SQL',
    language: 'sql',
    candidate_name: 'Casey Candidate',
    question_ids: [question!.id],
  });
  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL!, interview, 'Casey Candidate');
  const candidate = await candidateContext.newPage();
  await candidate.goto(`/interviews/${interview.id}/room`);
  await expect(candidate.getByTestId(EDITOR).locator('.view-lines')).toBeVisible({ timeout: 20_000 });
  await expect(candidate.getByTestId('run-language')).toContainText(/SQL/);
  await expect(candidate.getByTestId('sql-schema')).toContainText('CREATE TABLE employees');

  const typeQuery = async (query: string) => {
    await candidate.getByTestId(EDITOR).locator('.view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+A');
    await candidate.keyboard.insertText(query);
    await expect(candidate.getByTestId(EDITOR).locator('.view-lines')).toContainText('SELECT department');
  };

  await typeQuery(WRONG);
  await candidate.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(candidate.getByTestId('test-summary')).toHaveText('3/6 passed', { timeout: 30_000 });
  const first = candidate.getByTestId('test-case').first();
  await expect(first).toHaveAttribute('data-passed', 'false');
  await first.locator('summary').click();
  const diff = first.getByTestId('table-diff');
  await expect(diff).toContainText('Expected 2 rows, got 3 rows.');
  await expect(diff).toContainText("'ops', 2, 72.5");
  // Hidden cases tell the candidate pass or fail only: no diff.
  for (const hidden of await candidate.locator('[data-testid="test-case"][data-hidden="true"]').all()) {
    await expect(hidden.getByTestId('table-diff')).toHaveCount(0);
  }

  await typeQuery(RIGHT);
  await candidate.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(candidate.getByTestId('test-summary')).toHaveText('6/6 passed', { timeout: 30_000 });

  await candidateContext.close();
  await hostContext.close();
});
