// Component test for the question bank list: filters in the URL become API query parameters.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import QuestionListPage from './QuestionListPage';

afterEach(() => vi.unstubAllGlobals());

const question = {
  id: 'q1',
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
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      'GET /api/questions': () => ({ status: 200, body: { questions: [question] } }),
      'GET /api/questions/categories': () => ({ status: 200, body: { categories: [{ name: 'Arrays', count: 1 }] } }),
    });
    renderRoutes({ '/questions': <QuestionListPage /> }, '/questions?difficulty=hard');
    expect(await screen.findByRole('link', { name: 'Two Sum' })).toBeTruthy();
    expect(calls.some((c) => c.url === '/api/questions?difficulty=hard')).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'hash-map' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/questions?difficulty=hard&tag=hash-map')).toBe(true));
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
