// Component tests for the rubric editor on the interview page: the host renames, adds,
// reorders and removes criteria (in the list editor shared with a workspace's default rubric)
// and saves the whole rubric with the criteria's ids; blank and duplicate names are caught
// before sending and the server's field errors are shown; a locked rubric (or a
// co-interviewer's view) is read only and says why. The shared checks: criteria.test.ts.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Rubric } from '../../api/types';
import { installFetch } from '../../test/fetchMock';
import { RubricEditor } from './RubricEditor';
import { IV, rubric } from './testData';

afterEach(() => vi.unstubAllGlobals());

const path = `/api/interviews/${IV}/rubric`;
const editable: Rubric = { ...rubric, editable: true };

describe('RubricEditor', () => {
  it('saves the criteria as edited, in their new order', async () => {
    const calls = installFetch({
      [`GET ${path}`]: () => ({ status: 200, body: { rubric: editable } }),
      [`PUT ${path}`]: (call) => {
        const criteria = (call.body as { criteria: { id: string | null; name: string; description: string }[] })
          .criteria;
        return {
          status: 200,
          body: { rubric: { editable: true, criteria: criteria.map((c) => ({ ...c, id: c.id ?? 'debugging' })) } },
        };
      },
    });
    render(<RubricEditor interviewId={IV} role="host" />);
    const name = await screen.findByLabelText('Criterion 2 name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Clean code');
    await userEvent.click(screen.getByRole('button', { name: 'Remove criterion 3' }));
    await userEvent.click(screen.getByRole('button', { name: 'Move criterion 3 up' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add criterion' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Criterion 4 name'));
    await userEvent.type(screen.getByLabelText('Criterion 4 name'), 'Debugging');
    await userEvent.click(screen.getByRole('button', { name: 'Save rubric' }));
    expect(await screen.findByText('Rubric saved.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({
      criteria: [
        { id: 'problem_solving', name: 'Problem solving', description: 'Finds a working approach.' },
        { id: 'testing', name: 'Testing & edge cases', description: '' },
        { id: 'code_quality', name: 'Clean code', description: '' },
        { id: null, name: 'Debugging', description: '' },
      ],
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save rubric' })).toHaveProperty('disabled', true));
  });

  it('catches blank and duplicate names before sending, and shows the server’s field errors', async () => {
    const calls = installFetch({
      [`GET ${path}`]: () => ({ status: 200, body: { rubric: editable } }),
      [`PUT ${path}`]: () => ({
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Invalid criteria[0].description: must not contain control characters.',
            fields: { 'criteria[0].description': 'must not contain control characters' },
          },
        },
      }),
    });
    render(<RubricEditor interviewId={IV} role="host" />);
    await userEvent.clear(await screen.findByLabelText('Criterion 1 name'));
    await userEvent.clear(screen.getByLabelText('Criterion 2 name'));
    await userEvent.type(screen.getByLabelText('Criterion 2 name'), 'communication');
    await userEvent.click(screen.getByRole('button', { name: 'Save rubric' }));
    expect(screen.getByText('Name the criterion.')).toBeTruthy();
    expect(screen.getByText('Another criterion has this name.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    await userEvent.type(screen.getByLabelText('Criterion 1 name'), 'Design');
    await userEvent.clear(screen.getByLabelText('Criterion 2 name'));
    await userEvent.type(screen.getByLabelText('Criterion 2 name'), 'Quality');
    await userEvent.click(screen.getByRole('button', { name: 'Save rubric' }));
    expect(await screen.findByText('must not contain control characters')).toBeTruthy();
    expect(screen.getByLabelText('Description of criterion 1').getAttribute('aria-invalid')).toBe('true');
  });

  it('is read only once locked, and says why', async () => {
    installFetch({ [`GET ${path}`]: () => ({ status: 200, body: { rubric } }) });
    render(<RubricEditor interviewId={IV} role="host" />);
    expect((await screen.findByTestId('rubric-locked')).textContent).toContain('a scorecard has been submitted');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save rubric' })).toBeNull();
    expect(within(screen.getByRole('list')).getAllByRole('listitem')).toHaveLength(4);
  });

  it('tells a co-interviewer only the host edits it', async () => {
    installFetch({ [`GET ${path}`]: () => ({ status: 200, body: { rubric } }) });
    render(<RubricEditor interviewId={IV} role="interviewer" />);
    expect((await screen.findByTestId('rubric-locked')).textContent).toContain('Only the host can change them');
  });

  it('goes read only when the server says it was locked meanwhile', async () => {
    let locked = false;
    installFetch({
      [`GET ${path}`]: () => ({ status: 200, body: { rubric: locked ? rubric : editable } }),
      [`PUT ${path}`]: () => {
        locked = true;
        return { status: 409, body: { error: { code: 'rubric_locked', message: 'The rubric can no longer change.' } } };
      },
    });
    render(<RubricEditor interviewId={IV} role="host" />);
    await userEvent.type(await screen.findByLabelText('Criterion 1 name'), '!');
    await userEvent.click(screen.getByRole('button', { name: 'Save rubric' }));
    expect(await screen.findByTestId('rubric-locked')).toBeTruthy();
  });
});
