// Component tests for the interviewers' "Autocomplete for candidate" switch: it sends the
// change to the server and reports the stored controls; a refusal leaves the switch as it was
// and says why.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../../test/fetchMock';
import { AutocompleteToggle } from './AutocompleteToggle';

afterEach(() => vi.unstubAllGlobals());

const CONTROLS = {
  candidate_autocomplete: true,
  active_question_id: null,
  editor_locked: false,
  runs_disabled: false,
  auto_end: false,
};

describe('AutocompleteToggle', () => {
  it('turns the candidate autocomplete off through the controls API', async () => {
    const calls = installFetch({
      'PATCH /api/interviews/iv1/controls': () => ({
        status: 200,
        body: { controls: { ...CONTROLS, candidate_autocomplete: false } },
      }),
    });
    const onChange = vi.fn();
    render(
      <AutocompleteToggle
        interviewId="iv1"
        controls={{ ...CONTROLS, candidate_autocomplete: true }}
        onChange={onChange}
      />,
    );
    const box = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Autocomplete for candidate' });
    expect(box.checked).toBe(true);
    await userEvent.click(box);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ ...CONTROLS, candidate_autocomplete: false }));
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['PATCH', '/api/interviews/iv1/controls', { candidate_autocomplete: false }],
    ]);
  });

  it('shows the error and keeps the value when the server refuses', async () => {
    installFetch({
      'PATCH /api/interviews/iv1/controls': () => ({
        status: 403,
        body: { error: { code: 'forbidden', message: "You are not allowed to change the interview's controls." } },
      }),
    });
    const onChange = vi.fn();
    render(
      <AutocompleteToggle
        interviewId="iv1"
        controls={{ ...CONTROLS, candidate_autocomplete: false }}
        onChange={onChange}
      />,
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Autocomplete for candidate' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not allowed');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Autocomplete for candidate' }).checked).toBe(false);
  });
});
