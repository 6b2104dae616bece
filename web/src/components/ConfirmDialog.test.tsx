// Component tests for the confirmation dialog's keyboard behaviour.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

describe('ConfirmDialog', () => {
  it('focuses Cancel, confirms on click and cancels on Escape', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        open
        title="End this interview?"
        confirmLabel="End interview"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        <p>Sure?</p>
      </ConfirmDialog>,
    );
    expect(screen.getByRole('dialog', { name: 'End this interview?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'End interview' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('renders nothing when closed', () => {
    render(
      <ConfirmDialog open={false} title="x" confirmLabel="y" onConfirm={() => undefined} onCancel={() => undefined} />,
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('focuses a field in its body, keeps Tab inside, and confirms with Enter only when allowed', async () => {
    const onConfirm = vi.fn();
    const { rerender } = render(
      <ConfirmDialog
        open
        title="Delete Acme?"
        confirmLabel="Delete"
        confirmDisabled
        onConfirm={onConfirm}
        onCancel={() => undefined}
      >
        <label htmlFor="typed">Type Acme</label>
        <input id="typed" />
      </ConfirmDialog>,
    );
    const field = screen.getByLabelText('Type Acme');
    expect(document.activeElement).toBe(field);
    await userEvent.keyboard('{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.tab();
    expect(document.activeElement).toBe(field);

    rerender(
      <ConfirmDialog open title="Delete Acme?" confirmLabel="Delete" onConfirm={onConfirm} onCancel={() => undefined}>
        <label htmlFor="typed">Type Acme</label>
        <input id="typed" />
      </ConfirmDialog>,
    );
    await userEvent.type(field, '{Enter}');
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
