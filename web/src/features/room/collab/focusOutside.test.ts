// Unit tests for leaving an element by keyboard: the next or previous control in document
// order, skipping what is inside, hidden, disabled or out of the tab order.
import { afterEach, describe, expect, it } from 'vitest';
import { focusOutside } from './focusOutside';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('focusOutside', () => {
  it('moves to the next or previous control outside the element', () => {
    document.body.innerHTML = `
      <button id="before">before</button>
      <button id="skipped" tabindex="-1">skipped</button>
      <div id="editor"><textarea id="inside"></textarea></div>
      <button id="disabled" disabled>disabled</button>
      <div hidden><button id="hidden">hidden</button></div>
      <select id="after"></select>`;
    const editor = document.getElementById('editor')!;
    document.getElementById('inside')!.focus();
    expect(focusOutside(editor, 1)).toBe(true);
    expect(document.activeElement?.id).toBe('after');
    document.getElementById('inside')!.focus();
    expect(focusOutside(editor, -1)).toBe(true);
    expect(document.activeElement?.id).toBe('before');
  });

  it('says so when there is nowhere to go', () => {
    document.body.innerHTML = '<div id="editor"><textarea></textarea></div>';
    expect(focusOutside(document.getElementById('editor')!, 1)).toBe(false);
  });
});
