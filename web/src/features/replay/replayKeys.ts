// The replay's keyboard shortcuts: one list (shown in the help line) and what a key press does.
// They act anywhere on the page except in form fields; in the read-only editor only Space and
// the speed keys act (the arrows, Home and End move its caret), and on a button or a link Space
// is the control's own.

export type KeyAction =
  | { type: 'toggle' }
  | { type: 'seekBy'; ms: number }
  | { type: 'speed'; direction: 1 | -1 }
  | { type: 'start' }
  | { type: 'end' };

export const SEEK_STEP_MS = 5_000;
export const SEEK_BIG_STEP_MS = 30_000;

/** The help line, in order. */
export const REPLAY_SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'Space', what: 'play / pause' },
  { keys: '← →', what: '5 s back / on' },
  { keys: 'Shift + ← →', what: '30 s' },
  { keys: '[ ]', what: 'slower / faster' },
  { keys: 'Home End', what: 'start / end' },
];

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** What `event` asks for, wherever it was pressed; null for other keys. */
export function keyAction(event: KeyInput): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case ' ':
      return { type: 'toggle' };
    case 'ArrowLeft':
      return { type: 'seekBy', ms: -(event.shiftKey ? SEEK_BIG_STEP_MS : SEEK_STEP_MS) };
    case 'ArrowRight':
      return { type: 'seekBy', ms: event.shiftKey ? SEEK_BIG_STEP_MS : SEEK_STEP_MS };
    case '[':
      return { type: 'speed', direction: -1 };
    case ']':
      return { type: 'speed', direction: 1 };
    case 'Home':
      return { type: 'start' };
    case 'End':
      return { type: 'end' };
    default:
      return null;
  }
}

/** Whether a key pressed with focus on `target` is the page's shortcut (else the element's own). */
export function shortcutApplies(target: EventTarget | null, action: KeyAction): boolean {
  if (!(target instanceof Element)) return true;
  if (target.closest('input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable="true"]')) {
    // Monaco's hidden text area: the editor is read only, so only its caret keys are its own.
    if (target.closest('.monaco-editor')) return action.type === 'toggle' || action.type === 'speed';
    return false;
  }
  if (action.type === 'toggle' && target.closest('button, a[href], summary, input')) return false;
  return true;
}
