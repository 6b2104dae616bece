// Component tests for the question form: a message goes as soon as its field is fixed (the
// client's checks and the server's alike), a new question has no blank test row, and a blank
// row someone added is refused with a message on it instead of being dropped on save.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch, type Call } from '../../test/fetchMock';
import { inWorkspace, renderRoutes } from '../../test/render';
import { sampleWorkspace, signedInWith } from '../../test/workspaces';
import QuestionFormPage from './QuestionFormPage';
import { BLANK_TEST_CASE } from './questionDraft';

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

function renderForm(create: (call: Call) => { status: number; body?: unknown }): Call[] {
  const calls = installFetch({
    ...signedInWith([sampleWorkspace()]),
    'GET /api/questions/categories': () => ({ status: 200, body: { categories: [] } }),
    'POST /api/questions': create,
  });
  renderRoutes(
    { '/questions/new': inWorkspace(<QuestionFormPage />), '/questions/:id': <p>saved</p> },
    '/questions/new',
  );
  return calls;
}

const created = () => ({ status: 201, body: { question: { id: 'q9' } } });

async function fillDetails() {
  await userEvent.type(screen.getByLabelText('Title'), 'Two Sum');
  await userEvent.type(screen.getByLabelText('Category'), 'Arrays');
  await userEvent.type(screen.getByRole('textbox', { name: /Prompt/ }), 'Find two numbers.');
}

describe('QuestionFormPage', () => {
  it("drops a field's message once the field is fixed", async () => {
    renderForm(created);
    await userEvent.click(await screen.findByRole('button', { name: 'Create question' }));
    expect(screen.getByText('Give the question a title.')).toBeTruthy();
    expect(screen.getByText('Choose or type a category.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Title'), 'Two Sum');
    expect(screen.queryByText('Give the question a title.')).toBeNull();
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBeNull();
    // The others stay until they are fixed too.
    expect(screen.getByText('Choose or type a category.')).toBeTruthy();
  });

  it("drops the server's message for a field (and the summary above) when it changes", async () => {
    renderForm(() => ({
      status: 422,
      body: { error: { code: 'validation_failed', message: 'Check the title.', fields: { title: 'Already taken.' } } },
    }));
    await screen.findByLabelText('Title');
    await fillDetails();
    await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
    expect(await screen.findByText('Already taken.')).toBeTruthy();
    expect(screen.getByText('Check the title.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Title'), ' II');
    expect(screen.queryByText('Already taken.')).toBeNull();
    expect(screen.queryByText('Check the title.')).toBeNull();
  });

  it('starts without a blank test row, and refuses a blank one that was added instead of dropping it', async () => {
    const calls = renderForm(created);
    expect(await screen.findByText('No test cases yet.')).toBeTruthy();
    await fillDetails();
    await userEvent.click(screen.getByRole('button', { name: '+ Add test case' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
    const input = screen.getByLabelText('Input for test 1');
    expect(screen.getByText(BLANK_TEST_CASE)).toBeTruthy();
    expect(document.activeElement).toBe(input);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await userEvent.type(screen.getByLabelText('Expected output for test 1'), '3');
    expect(screen.queryByText(BLANK_TEST_CASE)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
    await screen.findByText('saved');
    await waitFor(() =>
      expect((calls.find((c) => c.method === 'POST')?.body as { test_cases: unknown }).test_cases).toEqual([
        { input: '', expected_output: '3', hidden: false, ordered: true },
      ]),
    );
  });
});
