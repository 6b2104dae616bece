// Component tests for a question's page: a starter question is marked, explains that its
// hidden tests are public and duplicates into the current workspace (opening the copy); a
// workspace's question duplicates into its own workspace.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import QuestionDetailPage from './QuestionDetailPage';

const base = {
  prompt: 'Check the brackets.',
  difficulty: 'easy',
  category: 'Strings',
  tags: [],
  starter_code: {},
  test_cases: [{ id: 't1', input: '()', expected_output: 'true', hidden: false }],
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:00Z',
};
const starter = {
  ...base,
  id: 'q1',
  workspace_id: null,
  title: 'Balanced Brackets',
  builtin: true,
  hidden_test_count: 3,
};
const own = { ...base, id: 'q2', workspace_id: 'w2', title: 'Rate limiter', builtin: false, hidden_test_count: 0 };
const copy = { ...starter, id: 'q9', workspace_id: 'w1', builtin: false };

const workspaces = [
  sampleWorkspace({ id: 'w1', name: 'Platform team' }),
  sampleWorkspace({ id: 'w2', name: 'Data science' }),
];

function renderQuestion(id: string, extra = {}) {
  const calls = installFetch({
    ...signedInWith(workspaces),
    'GET /api/questions/q1': () => ({ status: 200, body: { question: starter } }),
    'GET /api/questions/q2': () => ({ status: 200, body: { question: own } }),
    'GET /api/questions/q9': () => ({ status: 200, body: { question: copy } }),
    ...extra,
  });
  renderRoutes({ '/questions/:id': inWorkspace(<QuestionDetailPage />) }, `/questions/${id}`);
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('QuestionDetailPage', () => {
  it('marks a starter question, says its hidden tests are public and duplicates it into the current workspace', async () => {
    const calls = renderQuestion('q1', {
      'POST /api/questions/q1/duplicate': () => ({ status: 201, body: { question: copy } }),
    });
    const note = await screen.findByTestId('starter-note');
    expect(screen.getByTestId('starter-badge').textContent).toBe('Starter library');
    expect(note.textContent).toContain(
      'Hidden tests of starter questions are public: the starter library is open source. Duplicate it into your workspace to keep its tests private.',
    );
    expect(screen.getByTestId('hidden-not-shown').textContent).toMatch(/3 hidden test cases are not shown/);
    expect(screen.queryByRole('link', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();

    await userEvent.click(within(note).getByRole('button', { name: 'Duplicate to Platform team' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/questions/q9'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ workspace_id: 'w1' });
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeTruthy();
    expect(screen.queryByTestId('starter-note')).toBeNull();
  });

  it("duplicates a workspace's question into its own workspace", async () => {
    const calls = renderQuestion('q2', {
      'POST /api/questions/q2/duplicate': () => ({ status: 201, body: { question: { ...own, id: 'q3' } } }),
      'GET /api/questions/q3': () => ({ status: 200, body: { question: { ...own, id: 'q3' } } }),
    });
    expect(await screen.findByText('· Data science')).toBeTruthy();
    expect(screen.queryByTestId('starter-note')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Duplicate' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/questions/q3'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ workspace_id: 'w2' });
  });

  it("shows the server's reason when duplicating fails", async () => {
    renderQuestion('q1', {
      'POST /api/questions/q1/duplicate': () => ({
        status: 429,
        body: { error: { code: 'quota_exceeded', message: 'This workspace has 500 questions, the most allowed.' } },
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Duplicate to Platform team' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This workspace has 500 questions, the most allowed.');
  });

  it("shows a SQL question's schema and which cases accept rows in any order", async () => {
    const sql = {
      ...own,
      id: 'q5',
      sql_schema: 'CREATE TABLE people (id INTEGER, name TEXT);',
      test_cases: [
        {
          id: 't1',
          input: 'INSERT INTO people VALUES (1, null);',
          expected_output: "'name'\nNULL",
          hidden: false,
          ordered: false,
        },
      ],
    };
    renderQuestion('q5', { 'GET /api/questions/q5': () => ({ status: 200, body: { question: sql } }) });
    expect((await screen.findByTestId('question-sql-schema')).textContent).toBe(
      'CREATE TABLE people (id INTEGER, name TEXT);',
    );
    expect(screen.getByText('· rows in any order')).toBeTruthy();
  });

  it('shows no schema for a question without one', async () => {
    renderQuestion('q2');
    expect(await screen.findByText('· Data science')).toBeTruthy();
    expect(screen.queryByTestId('question-sql-schema')).toBeNull();
  });
});
