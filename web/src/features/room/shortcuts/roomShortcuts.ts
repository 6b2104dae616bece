// Every keyboard shortcut the room has, in one list: the sheet shows it, and each entry names
// the code that implements it. Keys are written for the person's platform (⌘ on Apple, Ctrl
// elsewhere). `isTypingTarget` says when a plain key such as `?` belongs to a text field or the
// editor rather than to the room.

/** One way to press a shortcut: keys pressed together, e.g. ['Ctrl', 'Enter']. */
export type KeyCombo = readonly string[];

export interface Shortcut {
  /** Alternatives or a sequence, shown joined by `joiner`. */
  combos: readonly KeyCombo[];
  joiner?: 'or' | 'then';
  does: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: readonly Shortcut[];
}

export function isApplePlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

export function roomShortcuts(apple: boolean): ShortcutGroup[] {
  const mod = apple ? '⌘' : 'Ctrl';
  return [
    {
      title: 'Room',
      shortcuts: [
        // KeyboardShortcuts.tsx
        { combos: [['?']], does: 'Show these shortcuts (outside the editor and text fields)' },
        { combos: [['Esc']], does: 'Close this list or a dialog' },
        // lib/tablistKeys.ts: question tabs, Output/Tests/History, notes Write/Preview
        {
          combos: [['←'], ['→'], ['Home'], ['End']],
          joiner: 'or',
          does: 'Move between tabs (questions, output, notes)',
        },
      ],
    },
    {
      title: 'Running code',
      shortcuts: [
        // run/useRunShortcuts.ts
        { combos: [[mod, 'Enter']], does: 'Run the code (anywhere in the room)' },
        { combos: [[mod, 'Shift', 'Enter']], does: "Run the question's tests" },
        // terminal/useTerminalShortcut.ts
        { combos: [[mod, apple ? '⌥' : 'Alt', 'Enter']], does: 'Run the code interactively in the terminal' },
      ],
    },
    {
      title: 'Terminal',
      shortcuts: [
        // terminal/lineEditor.ts and terminal/terminalSession.ts (Ctrl, also on Apple)
        { combos: [['Enter']], does: 'Send the line to the program (line mode)' },
        { combos: [['Ctrl', 'C']], does: 'Interrupt the program (copies instead while text is selected)' },
        { combos: [['Ctrl', 'D']], does: 'End the input (what is typed is sent first)' },
        { combos: [['Ctrl', 'U']], does: 'Erase the line being typed (line mode)' },
        // terminal/TerminalView.tsx
        { combos: [['Tab']], does: 'Leave the terminal' },
      ],
    },
    {
      title: 'Video call',
      shortcuts: [
        // call/useCallShortcuts.ts (while in the call)
        { combos: [[mod, 'Shift', 'M']], does: 'Mute or unmute your microphone' },
        { combos: [[mod, 'Shift', 'E']], does: 'Turn your camera off or on' },
      ],
    },
    {
      title: 'Editor',
      shortcuts: [
        // collab/CollabEditor.tsx
        { combos: [['Esc'], ['Tab']], joiner: 'then', does: 'Leave the editor (Shift+Tab goes back)' },
        // Monaco's own (collab/monaco.ts lists the features we ship)
        {
          combos: [apple ? ['Ctrl', 'Shift', 'M'] : ['Ctrl', 'M']],
          does: 'Let Tab move focus instead of indenting (toggle)',
        },
        // collab/editorCompletions.ts (Enter always starts a new line)
        { combos: [['Tab']], does: 'Accept a suggestion' },
        { combos: [['Ctrl', 'Space']], does: 'Show suggestions' },
        { combos: [['F1']], does: 'All editor commands' },
        { combos: [[mod, 'F']], does: 'Find' },
        { combos: [apple ? ['⌥', '⌘', 'F'] : ['Ctrl', 'H']], does: 'Replace' },
        { combos: [['Ctrl', 'G']], does: 'Go to line' },
        { combos: [[mod, '/']], does: 'Comment or uncomment the line' },
      ],
    },
  ];
}

/** True when a key pressed on `target` is typing: text fields, selects and the editors. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('.monaco-editor')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}
