// Moves keyboard focus out of an element to the next (or previous) control of the page, in
// document order: how the room lets Esc then Tab leave Monaco, which otherwise keeps Tab for
// indenting. Hidden, inert and disabled controls, and those inside the element, are skipped.
const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]',
  '[contenteditable="true"]',
].join(', ');

function isTabbable(el: HTMLElement): boolean {
  return el.tabIndex >= 0 && !el.closest('[hidden], [inert], [aria-hidden="true"]');
}

/** Focuses the first control after `from` (`direction` 1) or the last before it (-1); true if one was found. */
export function focusOutside(from: HTMLElement, direction: 1 | -1): boolean {
  const all = Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) => !from.contains(el) && isTabbable(el),
  );
  const after = (el: HTMLElement) => Boolean(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const target = direction === 1 ? all.find(after) : all.filter((el) => !after(el)).pop();
  target?.focus();
  return target !== undefined;
}
