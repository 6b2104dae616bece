// Component tests for the review page: its sections for an interviewer (overview, questions
// with the final code, runs, notes, the scorecards slot, exports), opening a run (code, stdin,
// output, test results with hidden cases), the diff against the final code (Monaco stubbed),
// the observer's read-only review, and an interview that is still going.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InterviewSummary } from '../../api/types';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { INTERVIEW_ID, runSummary, runView, testResult } from '../room/run/testFixtures';
import ReviewPage from './ReviewPage';

vi.mock('./CodeDiff', () => ({
  default: ({ original, modified }: { original: string; modified: string }) => (
    <div data-testid="code-diff">
      <span data-testid="diff-original">{original}</span>
      <span data-testid="diff-modified">{modified}</span>
    </div>
  ),
}));

const QUESTION_ID = 'q1';
const FINAL = 'a, b = map(int, input().split())\nprint(a + b)\n';

const interview = (status: string, my_role: string) => ({
  id: INTERVIEW_ID,
  workspace_id: 'w1',
  title: 'Backend pairing',
  status,
  room_code: 'abc-defg-hjk',
  language: 'python',
  scheduled_at: '2026-11-25T20:00:00Z',
  duration_minutes: 45,
  question_ids: [QUESTION_ID],
  candidate_name: 'Cara',
  candidate_email: null,
  created_by: sampleUser.id,
  created_at: '2026-11-20T10:00:00Z',
  started_at: '2026-11-25T20:00:00Z',
  ended_at: status === 'ended' ? '2026-11-25T20:40:00Z' : null,
  my_role,
});

const question = {
  id: QUESTION_ID,
  workspace_id: 'w1',
  title: 'Sum two numbers',
  prompt: 'Read two integers and print their **sum**.',
  difficulty: 'easy',
  category: 'math',
  tags: [],
  starter_code: {},
  test_cases: [],
  hidden_test_count: 1,
  builtin: false,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
};

const participants = [
  { id: 'p1', user_id: sampleUser.id, name: sampleUser.name, email: null, role: 'host' },
  { id: 'p2', user_id: null, name: 'Cara', email: null, role: 'candidate' },
];

const detail = (status: string, my_role: string) => ({
  status: 200,
  body: { interview: interview(status, my_role), participants, questions: [question], email_enabled: false },
});

const testRun = runView({
  id: 'run-2',
  mode: 'test',
  verdict: 'failed',
  question_id: QUESTION_ID,
  code: 'print(3)\n',
  created_at: '2026-11-25T20:30:00Z',
  tests: [
    testResult({ index: 0, input: '1 2\n', expected_output: '3\n', actual_output: '3\n' }),
    testResult({
      index: 1,
      hidden: true,
      passed: false,
      reason: 'wrong_answer',
      input: '-5 5\n',
      expected_output: '0\n',
      actual_output: '3\n',
    }),
  ],
});
const plainRun = runView({ id: 'run-1', code: 'print(input())\n', stdin: 'hello\n', stdout: 'hello\n' });

const summary = (): InterviewSummary => ({
  interview: {
    id: INTERVIEW_ID,
    title: 'Backend pairing',
    status: 'ended',
    language: 'python',
    scheduled_at: '2026-11-25T20:00:00Z',
    duration_minutes: 45,
    started_at: '2026-11-25T20:00:00Z',
    ended_at: '2026-11-25T20:40:00Z',
    actual_duration_seconds: 2400,
  },
  participants: participants.map(({ id, name, role }) => ({ id, name, role: role as 'host' | 'candidate' })),
  questions: [
    {
      id: QUESTION_ID,
      title: 'Sum two numbers',
      difficulty: 'easy',
      prompt: question.prompt,
      test_case_count: 2,
      hidden_test_count: 1,
      final_code: FINAL,
    },
  ],
  code_without_question: null,
  runs: [testRun, plainRun],
  older_runs_left_out: false,
  run_text_truncated: false,
  notes: 'Strong **fundamentals**.',
  scores: { rubric: [], scorecards: [], aggregate: { criteria: [], recommendations: [], submitted: 0 } },
  signals: [],
  generated_at: '2026-11-25T21:00:00Z',
});

afterEach(() => vi.unstubAllGlobals());

function renderReview() {
  return renderRoutes({ '/interviews/:id/review': <ReviewPage /> }, `/interviews/${INTERVIEW_ID}/review`);
}

describe('ReviewPage', () => {
  it('shows an interviewer every section and the exports', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('ended', 'host'),
      [`GET /api/interviews/${INTERVIEW_ID}/summary`]: () => ({ status: 200, body: summary() }),
    });
    renderReview();
    expect(await screen.findByRole('heading', { name: /Review: Backend pairing/ })).toBeTruthy();
    const people = screen.getByTestId('review-participants');
    expect(within(people).getByText('Cara')).toBeTruthy();
    expect(within(people).getByText('Candidate')).toBeTruthy();
    expect(screen.getByText('40 min')).toBeTruthy();
    expect(screen.getByTestId('final-code').textContent).toBe(FINAL);
    // The prompt is collapsed, rendered as Markdown.
    const prompt = screen.getByText('Prompt').closest('details');
    expect(prompt?.open).toBe(false);
    expect(prompt?.querySelector('strong')?.textContent).toBe('sum');
    expect(screen.getByText('fundamentals').tagName).toBe('STRONG');
    expect(screen.getByTestId('review-scorecards')).toBeTruthy();

    const headlines = screen.getAllByTestId('review-run-headline').map((h) => h.textContent);
    expect(headlines).toEqual(['Some tests failed · 1/2', 'Finished']);
    expect(screen.getByRole('button', { name: /Test #2/ }).className).toContain('review-run__head');

    const md = screen.getByRole('link', { name: 'Download Markdown' });
    expect(md.getAttribute('href')).toBe(`/api/interviews/${INTERVIEW_ID}/summary?format=md`);
    expect(md.hasAttribute('download')).toBe(true);
    const json = screen.getByRole('link', { name: 'Download JSON' });
    expect(json.getAttribute('href')).toBe(`/api/interviews/${INTERVIEW_ID}/summary?format=json`);
    expect(json.hasAttribute('download')).toBe(true);
    const print = screen.getByRole('link', { name: /Print \/ Save as PDF/ });
    expect(print.getAttribute('href')).toBe(`/api/interviews/${INTERVIEW_ID}/summary?format=html`);
    expect(print.getAttribute('target')).toBe('_blank');
  });

  it('opens a run to its code, stdin, output and tests, hidden ones included', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('ended', 'interviewer'),
      [`GET /api/interviews/${INTERVIEW_ID}/summary`]: () => ({ status: 200, body: summary() }),
    });
    renderReview();
    const plain = await screen.findByRole('button', { name: /Run #1/ });
    expect(plain.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(plain);
    expect(plain.getAttribute('aria-expanded')).toBe('true');
    const body = screen.getByRole('region', { name: 'Run #1 details' });
    expect(within(body).getByLabelText('Code').textContent).toBe('print(input())\n');
    expect(within(body).getByLabelText('Stdin').textContent).toBe('hello\n');
    expect(within(body).getByLabelText('Stdout').textContent).toBe('hello\n');

    await userEvent.click(screen.getByRole('button', { name: /Test #2/ }));
    const tests = screen.getAllByTestId('test-case');
    expect(tests.map((t) => t.dataset['hidden'])).toEqual(['false', 'true']);
    expect(tests[1]?.textContent).toContain('Hidden test #2');
    expect(tests[1]?.textContent).toContain('-5 5');
  });

  it('compares a run with the final code of its question', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('ended', 'host'),
      [`GET /api/interviews/${INTERVIEW_ID}/summary`]: () => ({ status: 200, body: summary() }),
    });
    renderReview();
    await userEvent.click(await screen.findByRole('button', { name: /Test #2/ }));
    const compare = screen.getByRole('button', { name: 'Compare with final code' });
    await userEvent.click(compare);
    expect((await screen.findByTestId('diff-original')).textContent).toBe('print(3)\n');
    expect(screen.getByTestId('diff-modified').textContent).toBe(FINAL);
    await userEvent.click(screen.getByRole('button', { name: 'Close comparison' }));
    expect(screen.queryByTestId('code-diff')).toBeNull();
  });

  it('gives an observer a read-only review without notes, final code or exports', async () => {
    const calls = installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('ended', 'observer'),
      [`GET /api/interviews/${INTERVIEW_ID}/runs`]: () => ({
        status: 200,
        body: { runs: [runSummary({ id: 'run-1' })], next: null },
      }),
      'GET /api/runs/run-1': () => ({ status: 200, body: { run: plainRun } }),
    });
    renderReview();
    expect(await screen.findByText(/Read only: notes, final code and exports are for the interviewers/)).toBeTruthy();
    expect(calls.some((c) => c.url.includes('/summary'))).toBe(false);
    expect(screen.queryByRole('link', { name: 'Download Markdown' })).toBeNull();
    expect(screen.queryByTestId('final-code')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Notes' })).toBeNull();
    expect(screen.getByRole('link', { name: 'room' }).getAttribute('href')).toBe(`/interviews/${INTERVIEW_ID}/room`);
    await userEvent.click(screen.getByRole('button', { name: /Run #1/ }));
    const body = await screen.findByRole('region', { name: 'Run #1 details' });
    await waitFor(() => expect(within(body).getByLabelText('Stdout').textContent).toBe('hello\n'));
    expect(within(body).queryByRole('button', { name: 'Compare with final code' })).toBeNull();
  });

  it('says a live interview is still going and links to its room', async () => {
    const calls = installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('live', 'host'),
    });
    renderReview();
    expect(await screen.findByText('The interview is still going')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the room' }).getAttribute('href')).toBe(
      `/interviews/${INTERVIEW_ID}/room`,
    );
    expect(calls.some((c) => c.url.includes('/summary'))).toBe(false);
  });

  it('shows a failed load with a retry', async () => {
    installFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
      [`GET /api/interviews/${INTERVIEW_ID}`]: () => detail('ended', 'host'),
      [`GET /api/interviews/${INTERVIEW_ID}/summary`]: () => ({
        status: 500,
        body: { error: { code: 'internal', message: 'Something went wrong.' } },
      }),
    });
    renderReview();
    expect(await screen.findByText('Could not load this')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
