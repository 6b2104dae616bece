// A stand-in for the room's Monaco editor in the integrity tests: a container with a focused
// "text area" element inside, a one-line-per-`\n` model, selections given as offsets, and a
// paste handler that behaves like Monaco's (inserts the clipboard's text on the DOM `paste`
// event, then fires `onDidPaste`). `contextMenuPaste` is Monaco's own paste with no DOM event.
import type { WatchedEditor, WatchedRange, WatchedSelection } from './editorClipboard';

export interface FakeEditor extends WatchedEditor {
  /** The element the browser's clipboard events target (Monaco's text area / edit context). */
  readonly input: HTMLElement;
  text: string;
  focused: boolean;
  readOnly: boolean;
  /** Selects [start, end) of the text (start = end: a caret). */
  select(start: number, end: number): void;
  /** The browser's paste of `text` (a DOM event carrying the clipboard), as on Ctrl+V. */
  paste(text: string): void;
  /** Monaco's context-menu Paste: the text goes in with no DOM event, then `onDidPaste`. */
  contextMenuPaste(text: string): void;
  /** A paste into the editor's find box (an input of its own inside the editor). */
  pasteIntoFind(text: string): void;
  /** The browser's copy (or cut) of the selection. */
  copy(kind?: 'copy' | 'cut'): void;
  remove(): void;
}

export function fakeEditor(initial = ''): FakeEditor {
  const container = document.createElement('div');
  const input = document.createElement('div');
  const findInput = document.createElement('input');
  container.append(input, findInput);
  document.body.append(container);
  const pasteListeners = new Set<(event: { range: WatchedRange }) => void>();
  let selection = { start: initial.length, end: initial.length };

  const position = (text: string, offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { lineNumber: before.length, column: (before[before.length - 1] ?? '').length + 1 };
  };
  const offset = (text: string, lineNumber: number, column: number) => {
    const lines = text.split('\n');
    let at = 0;
    for (let i = 0; i < lineNumber - 1; i++) at += (lines[i] ?? '').length + 1;
    return at + column - 1;
  };
  const range = (text: string, start: number, end: number): WatchedRange => {
    const from = position(text, start);
    const to = position(text, end);
    return {
      startLineNumber: from.lineNumber,
      startColumn: from.column,
      endLineNumber: to.lineNumber,
      endColumn: to.column,
    };
  };

  const insert = (pasted: string) => {
    const at = selection.start;
    editor.text = editor.text.slice(0, at) + pasted + editor.text.slice(selection.end);
    selection = { start: at + pasted.length, end: at + pasted.length };
    const inserted = range(editor.text, at, at + pasted.length);
    for (const listener of pasteListeners) listener({ range: inserted });
  };

  // Monaco's handler on its own element: insert what the clipboard holds.
  input.addEventListener('paste', (event) => {
    if (editor.readOnly) return;
    const data = (event as Event & { clipboardData?: DataTransferLike }).clipboardData;
    insert(data?.getData('text/plain') ?? '');
  });
  input.addEventListener('cut', () => {
    if (editor.readOnly) return;
    editor.text = editor.text.slice(0, selection.start) + editor.text.slice(selection.end);
    selection = { start: selection.start, end: selection.start };
  });

  const editor: FakeEditor = {
    input,
    text: initial,
    focused: true,
    readOnly: false,
    getContainerDomNode: () => container,
    hasTextFocus: () => editor.focused,
    getRawOptions: () => ({ readOnly: editor.readOnly }),
    getModel: () => ({
      getValueLength: () => editor.text.length,
      getValueInRange: (r) =>
        editor.text.slice(
          offset(editor.text, r.startLineNumber, r.startColumn),
          offset(editor.text, r.endLineNumber, r.endColumn),
        ),
      getLineContent: (lineNumber) => editor.text.split('\n')[lineNumber - 1] ?? '',
    }),
    getSelections: (): WatchedSelection[] => {
      const r = range(editor.text, selection.start, selection.end);
      return [{ ...r, positionLineNumber: r.endLineNumber, isEmpty: () => selection.start === selection.end }];
    },
    onDidPaste: (listener) => {
      pasteListeners.add(listener);
      return { dispose: () => pasteListeners.delete(listener) };
    },
    select(start, end) {
      selection = { start, end };
    },
    paste(text) {
      input.dispatchEvent(clipboardEvent('paste', text));
    },
    contextMenuPaste(text) {
      if (!editor.readOnly) insert(text);
    },
    pasteIntoFind(text) {
      editor.focused = false;
      findInput.dispatchEvent(clipboardEvent('paste', text));
    },
    copy(kind = 'copy') {
      input.dispatchEvent(clipboardEvent(kind, ''));
    },
    remove() {
      container.remove();
    },
  };
  return editor;
}

interface DataTransferLike {
  getData(format: string): string;
}

/** jsdom has no ClipboardEvent: an Event carrying a `clipboardData` with `text`. */
function clipboardEvent(type: 'paste' | 'copy' | 'cut', text: string): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const data: DataTransferLike = { getData: (format) => (format === 'text/plain' ? text : '') };
  Object.defineProperty(event, 'clipboardData', { value: data });
  return event;
}
