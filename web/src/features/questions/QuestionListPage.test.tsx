// Component tests for the question bank list: the current workspace and the filters in the URL
// become API query parameters; starter questions are marked.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import QuestionListPage from './QuestionListPage';

afterEach(() => vi.unstubAllGlobals());

const question = {
  id: 'q1',
  workspace_id: null,
  title: 'Two Sum',
  prompt: 'p',
  difficulty: 'easy',
  category: 'Arrays',
  tags: ['hash-map'],
  starter_code: {},
  test_cases: [],
  builtin: true,
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:00Z',
};

describe('QuestionListPage', () => {
  it('lists questions and sends the filters to the server', async () => {
    const calls = installFetch({
      ...signedInWith([sampleWorkspace()]),
      'GET /api/questions': () => ({ status: 200, body: { questions: [question] } }),
      'GET /api/questions/categories': () => ({ status: 200, body: { categories: [{ name: 'Arrays', count: 1 }] } }),
    });
    renderRoutes({ '/questions': inWorkspace(<QuestionListPage />) }, '/questions?difficulty=hard');
    expect(await screen.findByRole('link', { name: 'Two Sum' })).toBeTruthy();
    expect(screen.getByTestId('starter-badge').textContent).toBe('Starter library');
    expect(calls.some((c) => c.url === '/api/questions?workspace=w1&difficulty=hard')).toBe(true);
    expect(calls.some((c) => c.url === '/api/questions/categories?workspace=w1')).toBe(true);
    // The current workspace is written into the URL, so the page can be shared.
    await waitFor(() => expect(screen.getByTestId('location').textContent).toContain('workspace=w1'));

    await userEvent.click(screen.getByRole('button', { name: 'hash-map' }));
    await waitFor(() =>
      expect(calls.some((c) => c.url === '/api/questions?workspace=w1&difficulty=hard&tag=hash-map')).toBe(true),
    );
    expect(screen.getByTestId('location').textContent).toContain('tag=hash-map');

    // The labelled filter controls show the URL's filters and change them.
    expect((screen.getByLabelText('Difficulty') as HTMLSelectElement).value).toBe('hard');
    expect((screen.getByLabelText('Tag') as HTMLInputElement).value).toBe('hash-map');
    await userEvent.selectOptions(await screen.findByLabelText('Category'), 'Arrays (1)');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toContain('category=Arrays'));
    await userEvent.selectOptions(screen.getByLabelText('Difficulty'), 'Any difficulty');
    await waitFor(() => expect(screen.getByTestId('location').textContent).not.toContain('difficulty='));
  });
});
