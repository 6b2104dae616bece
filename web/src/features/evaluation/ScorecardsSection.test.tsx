// Component tests for the scorecard section (room tab and review page): autosave (debounced,
// "Saving…"/"Saved", an error with retry that loses nothing), the field limits, what Submit
// says is missing, submitting after confirmation, the blind state, the others' scorecards
// with the aggregate, the host's reopening, and nothing for observers.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Scorecard, ScorecardList } from '../../api/types';
import { installFetch } from '../../test/fetchMock';
import { ScorecardsSection } from './ScorecardsSection';
import { IV, blindList, complete, rubric, scorecard } from './testData';

afterEach(() => vi.unstubAllGlobals());

const base = `/api/interviews/${IV}`;

function serve(mine: Scorecard, list: ScorecardList | (() => ScorecardList), extra = {}) {
  return installFetch({
    [`GET ${base}/rubric`]: () => ({ status: 200, body: { rubric } }),
    [`GET ${base}/scorecards/me`]: () => ({ status: 200, body: { scorecard: mine } }),
    [`GET ${base}/scorecards`]: () => ({ status: 200, body: typeof list === 'function' ? list() : list }),
    ...extra,
  });
}

const group = (name: string) => screen.getByRole('group', { name });

describe('ScorecardsSection', () => {
  it('autosaves the draft after a pause and says Saved', async () => {
    const calls = serve(scorecard(), blindList(), {
      [`PUT ${base}/scorecards/me`]: () => ({ status: 200, body: { scorecard: scorecard({ id: 'sc1' }) } }),
    });
    render(<ScorecardsSection interviewId={IV} role="interviewer" autosaveDelayMs={20} />);
    await userEvent.click(
      await within(await waitFor(() => group('Problem solving'))).findByRole('radio', { name: '3 Good' }),
    );
    await userEvent.type(screen.getByLabelText('Comment on problem solving'), 'Clear plan');
    await waitFor(() => expect(screen.getByTestId('save-status').textContent).toBe('Saved'));
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts.length).toBeGreaterThanOrEqual(1);
    expect(puts.at(-1)?.body).toMatchObject({
      ratings: expect.arrayContaining([{ criterion_id: 'problem_solving', score: 3, comment: 'Clear plan' }]),
      recommendation: null,
      summary: '',
    });
  });

  it('keeps everything typed when a save fails, and retries', async () => {
    let fail = true;
    const calls = serve(scorecard(), blindList(), {
      [`PUT ${base}/scorecards/me`]: () =>
        fail
          ? { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } }
          : { status: 200, body: { scorecard: scorecard({ id: 'sc1' }) } },
    });
    render(<ScorecardsSection interviewId={IV} role="interviewer" autosaveDelayMs={10} />);
    const summary = await screen.findByLabelText('Summary');
    await userEvent.type(summary, 'Strong');
    const alert = await screen.findByText(/Not saved: Something went wrong/);
    expect(summary).toHaveProperty('value', 'Strong');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByTestId('save-status').textContent).toBe('Saved'));
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toMatchObject({ summary: 'Strong' });
    expect(screen.getByLabelText('Summary')).toHaveProperty('value', 'Strong');
  });

  it('refuses a comment over the limit without sending it', async () => {
    const calls = serve(
      scorecard({
        ratings: rubric.criteria.map((c) => ({ criterion_id: c.id, score: null, comment: 'x'.repeat(4000) })),
      }),
      blindList(),
      {
        [`PUT ${base}/scorecards/me`]: () => ({ status: 200, body: { scorecard: scorecard() } }),
      },
    );
    render(<ScorecardsSection interviewId={IV} role="interviewer" autosaveDelayMs={10} />);
    await userEvent.type(await screen.findByLabelText('Comment on testing & edge cases'), 'y');
    expect(await screen.findByText(/At most 4000 characters/)).toBeTruthy();
    expect(screen.getByTestId('save-status').textContent).toContain('fix the field');
    await new Promise((r) => setTimeout(r, 40));
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('names everything missing when Submit is pressed too early', async () => {
    const calls = serve(scorecard(), blindList());
    render(<ScorecardsSection interviewId={IV} role="interviewer" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Submit scorecard' }));
    const missing = screen.getByRole('alert');
    expect(missing.textContent).toContain('Not ready to submit');
    for (const text of [
      '“Problem solving” needs a score.',
      '“Testing & edge cases” needs a score.',
      'Choose a recommendation.',
    ]) {
      expect(within(missing).getByText(text)).toBeTruthy();
    }
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.some((c) => c.url.endsWith('/submit'))).toBe(false);
  });

  it('submits after confirmation, then shows the others’ scorecards and the aggregate', async () => {
    let submitted = false;
    const bea = complete(
      {
        id: 'sc-b',
        participant_id: 'p-b',
        author_name: 'Bea Second',
        status: 'submitted',
        recommendation: 'strong_yes',
        submitted_at: '2026-11-25T11:00:00Z',
      },
      4,
    );
    const mine = complete({ id: 'sc-me' });
    const calls = installFetch({
      [`GET ${base}/rubric`]: () => ({ status: 200, body: { rubric } }),
      [`GET ${base}/scorecards/me`]: () => ({
        status: 200,
        body: { scorecard: submitted ? { ...mine, status: 'submitted' } : mine },
      }),
      [`GET ${base}/scorecards`]: () => ({
        status: 200,
        body: submitted
          ? {
              scorecards: [{ ...mine, status: 'submitted' }, bea],
              blind: false,
              aggregate: {
                submitted: 2,
                criteria: rubric.criteria.map((c) => ({
                  criterion_id: c.id,
                  name: c.name,
                  average: 3.5,
                  scores: [3, 4],
                })),
                recommendations: [
                  { participant_id: 'p-me', author_name: 'Cole Co', recommendation: 'yes' },
                  { participant_id: 'p-b', author_name: 'Bea Second', recommendation: 'strong_yes' },
                ],
              },
            }
          : blindList([mine]),
      }),
      [`POST ${base}/scorecards/me/submit`]: () => {
        submitted = true;
        return { status: 200, body: { scorecard: { ...mine, status: 'submitted' } } };
      },
    });
    render(<ScorecardsSection interviewId={IV} role="interviewer" />);
    expect(await screen.findByText('Submit yours to see the others’')).toBeTruthy();
    expect(screen.queryByText('Bea Second')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Submit scorecard' }));
    const dialog = screen.getByRole('dialog', { name: 'Submit your scorecard?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('article', { name: 'Scorecard of Bea Second' })).toBeTruthy();
    expect(screen.getByRole('article', { name: 'Your scorecard' }).textContent).toContain('Submitted');
    const aggregate = screen.getByRole('region', { name: 'Aggregate of the submitted scorecards' });
    expect(within(aggregate).getAllByText('3.5')).toHaveLength(4);
    expect(within(aggregate).getByText('Strong yes')).toBeTruthy();
    expect(screen.queryByText('Submit yours to see the others’')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reopen' })).toBeNull();
    expect(calls.filter((c) => c.url.endsWith('/submit'))).toHaveLength(1);
  });

  it('lets the host reopen a submitted scorecard after confirming', async () => {
    const bea = complete({ id: 'sc-b', participant_id: 'p-b', author_name: 'Bea Second', status: 'submitted' });
    const calls = serve(
      scorecard({ participant_id: 'p-host', author_name: 'Hana Host' }),
      {
        scorecards: [bea],
        blind: false,
        aggregate: { submitted: 1, criteria: [], recommendations: [] },
      },
      {
        [`POST ${base}/scorecards/sc-b/reopen`]: () => ({
          status: 200,
          body: { scorecard: { ...bea, status: 'draft' } },
        }),
      },
    );
    render(<ScorecardsSection interviewId={IV} role="host" />);
    const card = await screen.findByRole('article', { name: 'Scorecard of Bea Second' });
    await userEvent.click(within(card).getByRole('button', { name: 'Reopen' }));
    const dialog = screen.getByRole('dialog', { name: 'Reopen this scorecard?' });
    expect(dialog.textContent).toContain('Bea Second');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reopen' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/sc-b/reopen'))).toBe(true));
    await waitFor(() => expect(calls.filter((c) => c.url === `${base}/scorecards`).length).toBe(2));
  });

  it('shows observers nothing and asks nothing of the server', () => {
    const calls = serve(scorecard(), blindList());
    render(<ScorecardsSection interviewId={IV} role="observer" />);
    expect(screen.getByText('Scorecards are private to the interviewers.')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('moves between scores with the arrow keys', async () => {
    // jsdom has no CSS.escape, which user-event's radio walking needs (browsers have it).
    vi.stubGlobal('CSS', { escape: (value: string) => value.replace(/[^\w-]/g, (c) => `\\${c}`) });
    serve(scorecard(), blindList(), {
      [`PUT ${base}/scorecards/me`]: () => ({ status: 200, body: { scorecard: scorecard() } }),
    });
    render(<ScorecardsSection interviewId={IV} role="interviewer" autosaveDelayMs={5000} />);
    const ps = await waitFor(() => group('Problem solving'));
    await userEvent.click(within(ps).getByRole('radio', { name: '1 Poor' }));
    await userEvent.keyboard('{ArrowRight}');
    expect(within(ps).getByRole<HTMLInputElement>('radio', { name: '2 Fair' }).checked).toBe(true);
  });
});
