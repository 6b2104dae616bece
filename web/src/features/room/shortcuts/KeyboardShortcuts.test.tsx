// Component tests for the shortcuts sheet: `?` outside text fields and the editor opens it, as
// does the button; it lists the run shortcuts and the way out of the editor; Esc closes it and
// focus goes back; `?` typed into a field or the editor stays text.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { isTypingTarget, roomShortcuts } from './roomShortcuts';

function Page() {
  return (
    <>
      <KeyboardShortcuts />
      <textarea aria-label="Notes" />
      <div className="monaco-editor">
        <textarea aria-label="Code" />
      </div>
      <button type="button">Run</button>
    </>
  );
}

describe('KeyboardShortcuts', () => {
  it('opens on ? outside text fields, lists the shortcuts, and closes on Esc with focus back', async () => {
    render(<Page />);
    screen.getByRole('button', { name: 'Run' }).focus();
    await userEvent.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Run the code');
    expect(dialog.textContent).toContain("Run the question's tests");
    expect(dialog.textContent).toContain('Leave the editor');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Run' }));
  });

  it('opens from its visible button and keeps Tab inside', async () => {
    render(<Page />);
    await userEvent.click(screen.getByRole('button', { name: /Shortcuts/ }));
    expect(screen.getByRole('dialog')).toBeTruthy();
    await userEvent.tab();
    await userEvent.tab();
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('leaves ? to text fields and the editor', async () => {
    render(<Page />);
    await userEvent.type(screen.getByLabelText('Notes'), '?');
    await userEvent.type(screen.getByLabelText('Code'), '?');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((screen.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('?');
  });
});

describe('roomShortcuts', () => {
  it('writes the modifier for the platform', () => {
    const keys = (apple: boolean) =>
      roomShortcuts(apple)
        .flatMap((g) => g.shortcuts)
        .find((s) => s.does.startsWith('Run the code'))?.combos[0];
    expect(keys(false)).toEqual(['Ctrl', 'Enter']);
    expect(keys(true)).toEqual(['⌘', 'Enter']);
  });

  it('knows a checkbox is not typing but a search box is', () => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    const search = document.createElement('input');
    search.type = 'search';
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(search)).toBe(true);
    expect(isTypingTarget(document.body)).toBe(false);
  });
});
