// Watches the room's Monaco editor for what the clipboard does to it: text pasted into the
// editor, and text copied or cut from it (with the share of the document that was). Pastes are
// seen on the DOM `paste` event in the capture phase, i.e. before Monaco inserts the text, so the
// report leaves before the edit it explains (the server flags a large insert that arrives without
// a paste just before it); a paste Monaco makes itself (its context menu's Paste, which reads the
// clipboard without a DOM event) is seen afterwards on `onDidPaste`. Copies and cuts are read
// from the editor's selections in the capture phase too, before a cut removes them. Only the
// editor's own text area counts (not its find box), and not while it is read only. Handlers
// never throw into the editor.
/** The part of a Monaco range the watcher reads. */
export interface WatchedRange {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export interface WatchedSelection extends WatchedRange {
  /** Where the caret is (Monaco copies this line when the selection is empty). */
  positionLineNumber: number;
  isEmpty(): boolean;
}

export interface WatchedModel {
  getValueLength(): number;
  getValueInRange(range: WatchedRange): string;
  getLineContent(lineNumber: number): string;
}

/**
 * The part of Monaco's `IStandaloneCodeEditor` the watcher uses, written out so that the
 * integrity code never imports Monaco (it stays out of the room's first chunk) and tests can
 * hand it a stand-in.
 */
export interface WatchedEditor {
  getContainerDomNode(): HTMLElement;
  /** True while the editor's text area (not one of its widgets) has focus. */
  hasTextFocus(): boolean;
  getModel(): WatchedModel | null;
  getSelections(): WatchedSelection[] | null;
  getRawOptions(): { readOnly?: boolean | undefined; emptySelectionClipboard?: boolean | undefined };
  onDidPaste(listener: (event: { range: WatchedRange }) => void): { dispose(): void };
}

export interface ClipboardHandlers {
  /** Text pasted into the editor. */
  onPaste: (text: string) => void;
  /** Text copied or cut from the editor, and its share (0..1) of the document as it was. */
  onCopy: (text: string, share: number) => void;
}

/** Starts watching; returns what stops it. */
export function watchEditorClipboard(editor: WatchedEditor, handlers: ClipboardHandlers): () => void {
  const container = editor.getContainerDomNode();
  const window = container.ownerDocument.defaultView;
  /** A DOM paste was reported and Monaco's `onDidPaste` for it is still to come. */
  let pasteSeen = false;

  const editable = () => editor.hasTextFocus() && editor.getRawOptions().readOnly !== true;

  const onDomPaste = safely((event: Event) => {
    if (!editable()) return;
    const text = clipboardText(event);
    if (!text) return;
    pasteSeen = true;
    // Monaco handles the event synchronously; a timer runs after the whole dispatch.
    window?.setTimeout(() => (pasteSeen = false), 0);
    handlers.onPaste(text);
  });

  const onDidPaste = editor.onDidPaste(
    safely(({ range }: { range: WatchedRange }) => {
      if (pasteSeen) {
        pasteSeen = false;
        return;
      }
      if (editor.getRawOptions().readOnly === true) return;
      const text = editor.getModel()?.getValueInRange(range) ?? '';
      if (text) handlers.onPaste(text);
    }),
  );

  const onDomCopy = safely(() => {
    if (!editor.hasTextFocus()) return;
    const copied = copiedText(editor);
    if (copied) handlers.onCopy(copied.text, copied.share);
  });

  container.addEventListener('paste', onDomPaste, { capture: true });
  container.addEventListener('copy', onDomCopy, { capture: true });
  container.addEventListener('cut', onDomCopy, { capture: true });
  return () => {
    container.removeEventListener('paste', onDomPaste, { capture: true });
    container.removeEventListener('copy', onDomCopy, { capture: true });
    container.removeEventListener('cut', onDomCopy, { capture: true });
    onDidPaste.dispose();
  };
}

function clipboardText(event: Event): string {
  const data = (event as ClipboardEvent).clipboardData;
  return data ? data.getData('text/plain') : '';
}

/**
 * What Monaco puts on the clipboard for the current selections: each selection's text, or the
 * caret's whole line for an empty one (`emptySelectionClipboard`, on by default), joined by
 * newlines; and its share of the document.
 */
export function copiedText(editor: WatchedEditor): { text: string; share: number } | null {
  const model = editor.getModel();
  const selections = editor.getSelections();
  if (!model || !selections || selections.length === 0) return null;
  const wholeLines = editor.getRawOptions().emptySelectionClipboard !== false;
  const parts: string[] = [];
  for (const selection of selections) {
    if (!selection.isEmpty()) parts.push(model.getValueInRange(selection));
    else if (wholeLines) parts.push(`${model.getLineContent(selection.positionLineNumber)}\n`);
  }
  const text = parts.join('\n');
  const documentLength = model.getValueLength();
  if (!text || documentLength === 0) return null;
  return { text, share: Math.min(1, text.length / documentLength) };
}

function safely<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      handler(...args);
    } catch {
      // The editor must keep working whatever happens here.
    }
  };
}
