// Component tests for the interviewers' Controls menu: it opens and closes, sends each switch
// to the server, shows what the server answered (not what was clicked), says why when the
// server refuses, and offers "End automatically" to the host only.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InterviewControls } from '../../../api/types';
import { installFetch } from '../../../test/fetchMock';
import { RoomControls } from './RoomControls';

afterEach(() => vi.unstubAllGlobals());

const CONTROLS: InterviewControls = {
  candidate_autocomplete: true,
  active_question_id: null,
  editor_locked: false,
  runs_disabled: false,
  auto_end: false,
};

/** The menu with its controls held like the room holds them. */
function Harness({ isHost = true, onChange }: { isHost?: boolean; onChange?: (c: InterviewControls) => void }) {
  const [controls, setControls] = useState(CONTROLS);
  return (
    <RoomControls
      interviewId="iv1"
      controls={controls}
      isHost={isHost}
      onChange={(next) => {
        setControls(next);
        onChange?.(next);
      }}
    />
  );
}

const box = (name: string) => screen.getByRole<HTMLInputElement>('checkbox', { name: new RegExp(name) });

describe('RoomControls', () => {
  it('opens, locks the editor through the controls API and shows the stored answer', async () => {
    const calls = installFetch({
      // The server's answer is what counts: here it also reports runs paused by someone else.
      'PATCH /api/interviews/iv1/controls': () => ({
        status: 200,
        body: { controls: { ...CONTROLS, editor_locked: true, runs_disabled: true } },
      }),
    });
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const button = screen.getByRole('button', { name: 'Controls' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    await userEvent.click(box("Lock the candidate's editor"));
    await waitFor(() => expect(box("Lock the candidate's editor").checked).toBe(true));
    expect(box('Pause running code').checked).toBe(true);
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['PATCH', '/api/interviews/iv1/controls', { editor_locked: true }],
    ]);
    expect(onChange).toHaveBeenCalledWith({ ...CONTROLS, editor_locked: true, runs_disabled: true });
    expect(screen.getByRole('button', { name: /Controls \(2 on\)/ })).toBeTruthy();
  });

  it('shows the error and keeps the switch as it was when the server refuses', async () => {
    installFetch({
      'PATCH /api/interviews/iv1/controls': () => ({
        status: 403,
        body: { error: { code: 'forbidden', message: "You are not allowed to change the interview's controls." } },
      }),
    });
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'Controls' }));
    await userEvent.click(box('Pause running code'));
    expect((await screen.findByRole('alert')).textContent).toContain('not allowed');
    expect(box('Pause running code').checked).toBe(false);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('offers the automatic end to the host only', async () => {
    const { unmount } = render(<Harness isHost={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'Controls' }));
    expect(screen.queryByRole('checkbox', { name: /End automatically/ })).toBeNull();
    unmount();
    const calls = installFetch({
      'PATCH /api/interviews/iv1/controls': () => ({
        status: 200,
        body: { controls: { ...CONTROLS, auto_end: true } },
      }),
    });
    render(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'Controls' }));
    await userEvent.click(box('End automatically'));
    await waitFor(() => expect(box('End automatically').checked).toBe(true));
    expect(calls[0]?.body).toEqual({ auto_end: true });
  });

  it('closes on Escape and gives the focus back to its button', async () => {
    render(<Harness />);
    const button = screen.getByRole('button', { name: 'Controls' });
    await userEvent.click(button);
    await userEvent.keyboard('{Escape}');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
    expect(screen.queryByRole('checkbox', { name: /Lock/ })).toBeNull();
  });
});
