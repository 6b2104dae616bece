// Component test for the new-interview form inside a workspace: it starts from the workspace's
// default language and duration, picks from that workspace's questions (and the starter
// library), and always names the workspace when creating.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import InterviewFormPage from './InterviewFormPage';

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('InterviewFormPage (new)', () => {
  it("uses the current workspace's defaults, questions and id", async () => {
    const workspace = sampleWorkspace({
      id: 'w2',
      name: 'Data science',
      default_language: 'go',
      default_duration_minutes: 45,
    });
    window.localStorage.setItem(`codeview.workspace.${sampleUser.id}`, 'w2');
    const calls = installFetch({
      ...signedInWith([sampleWorkspace(), workspace]),
      'GET /api/questions': () => ({ status: 200, body: { questions: [] } }),
      'POST /api/interviews': () => ({
        status: 201,
        body: { interview: { id: 'iv9' }, candidate_invite_url: 'http://127.0.0.1/join/X?invite=y' },
      }),
    });
    renderRoutes(
      { '/interviews/new': inWorkspace(<InterviewFormPage />), '/interviews/:id': <p>created</p> },
      '/interviews/new',
    );
    expect(((await screen.findByLabelText('Language')) as HTMLSelectElement).value).toBe('go');
    expect((screen.getByLabelText('Duration (minutes)') as HTMLInputElement).value).toBe('45');
    expect(screen.getByText('Data science')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.url === '/api/questions?workspace=w2')).toBe(true));

    await userEvent.type(screen.getByLabelText('Title'), 'Screen');
    await userEvent.click(screen.getByRole('button', { name: 'Create interview' }));
    await screen.findByText('created');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      workspace_id: 'w2',
      title: 'Screen',
      language: 'go',
      duration_minutes: 45,
      question_ids: [],
    });
  });
});
