// A Monaco editor bound to a shared Y.Text with y-monaco: local edits go into the CRDT,
// remote edits and remote selections come back as model changes and decorations. One effect
// owns editor + model + binding for the lifetime of (text, awareness); language, read-only,
// completions and theme are updated in place so that a language switch never recreates the
// editor. JavaScript and TypeScript are set on the model only once their language service has
// loaded (until then the model keeps its previous language), so the service starts for it.
// Monaco keeps Tab for indenting, so Esc then Tab (or Shift+Tab) moves focus to the next (or
// previous) control of the page; a visible hint says so while the editor has focus.
import { useEffect, useRef, useState } from 'react';
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import './collabEditor.css';
import { editorAwareness } from './cursorAwareness';
import { completionOptions } from './editorCompletions';
import { monacoLanguageId } from './editorLanguage';
import { focusOutside } from './focusOutside';
import { hasLanguageService, loadLanguageService, monaco } from './monaco';
import { useMonacoTheme } from './monacoTheme';

export interface CollabEditorProps {
  text: Y.Text;
  /** Remote cursors are drawn from, and ours published to, this awareness. */
  awareness: Awareness | null;
  language: string;
  readOnly: boolean;
  /** False for observers: their cursor and selection are never published (nor drawn). */
  shareCursor?: boolean;
  /** Suggestions, snippets and parameter hints (code variant only); off when the interviewers
   * turned the candidate's autocomplete off. */
  completions?: boolean;
  /** Accessible name of the editing area. */
  ariaLabel: string;
  /** `prose` for the notes: wrapped lines, no line numbers. */
  variant?: 'code' | 'prose';
  testId?: string;
  /** Called with each editor made (again when it is re-made); returns what stops using it.
   * Must keep its identity across renders (the candidate's integrity reporting). */
  onEditor?: ((editor: monaco.editor.IStandaloneCodeEditor) => () => void) | undefined;
}

export function CollabEditor({
  text,
  awareness,
  language,
  readOnly,
  shareCursor = true,
  completions = true,
  ariaLabel,
  variant = 'code',
  testId,
  onEditor,
}: CollabEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // Read by the creating effect without making it depend on them.
  const initial = useRef({ language, readOnly, ariaLabel, variant, completions });
  const [focused, setFocused] = useState(false);
  useMonacoTheme();

  // Esc then Tab leaves the editor. The listener runs in the capture phase on the container, so
  // it sees the Tab before Monaco (whose handlers sit on the text area and the container).
  useEffect(() => {
    const container = host.current;
    if (!container) return undefined;
    let escaped = false;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        escaped = true;
        return;
      }
      if (event.key === 'Tab' && escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
        escaped = false;
        if (focusOutside(container, event.shiftKey ? -1 : 1)) {
          event.preventDefault();
          event.stopPropagation();
        }
        return;
      }
      if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) escaped = false;
    };
    container.addEventListener('keydown', onKeyDown, { capture: true });
    return () => container.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);

  useEffect(() => {
    const container = host.current;
    if (!container) return undefined;
    const { language: lang, readOnly: ro, ariaLabel: label, variant: kind, completions: suggest } = initial.current;
    const prose = kind === 'prose';
    const model = monaco.editor.createModel('', hasLanguageService(lang) ? 'plaintext' : monacoLanguageId(lang));
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    const editor = monaco.editor.create(container, {
      model,
      automaticLayout: true,
      readOnly: ro,
      readOnlyMessage: { value: 'This editor is read only.' },
      ariaLabel: label,
      minimap: { enabled: false },
      fontSize: 14,
      lineHeight: 21,
      scrollBeyondLastLine: false,
      padding: { top: 18, bottom: 12 },
      tabSize: 4,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      wordWrap: prose ? 'on' : 'off',
      lineNumbers: prose ? 'off' : 'on',
      folding: !prose,
      glyphMargin: false,
      lineDecorationsWidth: prose ? 8 : 10,
      occurrencesHighlight: prose ? 'off' : 'singleFile',
      ...(prose ? { quickSuggestions: false, wordBasedSuggestions: 'off' } : completionOptions(suggest)),
      stickyScroll: { enabled: false },
    });
    const binding = new MonacoBinding(
      text,
      model,
      new Set([editor]),
      awareness && editorAwareness(awareness, shareCursor),
    );
    editorRef.current = editor;
    const focus = editor.onDidFocusEditorText(() => setFocused(true));
    const blur = editor.onDidBlurEditorText(() => setFocused(false));
    return () => {
      focus.dispose();
      blur.dispose();
      editorRef.current = null;
      binding.destroy();
      editor.dispose();
      model.dispose();
    };
  }, [text, awareness, shareCursor]);

  useEffect(() => {
    const editor = editorRef.current;
    return editor && onEditor ? onEditor(editor) : undefined;
  }, [onEditor, text, awareness, shareCursor]);

  useEffect(() => {
    let current = true;
    void loadLanguageService(language).then(() => {
      const model = editorRef.current?.getModel();
      const id = monacoLanguageId(language);
      if (current && model && model.getLanguageId() !== id) monaco.editor.setModelLanguage(model, id);
    });
    return () => {
      current = false;
    };
  }, [language, text, awareness]);

  useEffect(() => {
    if (variant === 'code') editorRef.current?.updateOptions(completionOptions(completions));
  }, [completions, variant, text, awareness]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly, text, awareness]);

  return (
    <>
      <div
        ref={host}
        className={`collab-editor collab-editor--${variant}`}
        data-testid={testId}
        data-language={language}
        data-completions={completions ? 'on' : 'off'}
      />
      {focused && (
        // The editor's accessible name says the same; this is for sighted keyboard users.
        <p className="collab-editor__hint" aria-hidden="true" data-testid="editor-exit-hint">
          <kbd>Esc</kbd> then <kbd>Tab</kbd> to leave the editor
        </p>
      )}
    </>
  );
}
