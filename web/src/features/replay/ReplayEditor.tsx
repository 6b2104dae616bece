// The replay's read-only Monaco editor (a lazy chunk, with Monaco itself: the room's slice of
// it). It owns one editor and one model for its lifetime; a new text is applied as the one edit
// between the old and the new (common start and end kept), so the view does not jump and a
// 60 fps playback costs one small edit per frame. The language is set per moment. Each author's
// caret is a decoration (`replay-caret replay-caret-{slot}`, coloured by caretStyles.ts), and
// the latest author's caret is scrolled into view when it moves out of it. Tab leaves it.
import { useEffect, useRef } from 'react';
import { monaco } from '../room/collab/monaco';
import { monacoLanguageId } from '../room/collab/editorLanguage';
import { useMonacoTheme } from '../room/collab/monacoTheme';
import { smallestEdit } from './smallestEdit';

export interface ReplayCaret {
  /** Who (their colour class). */
  slot: number;
  /** UTF-16 offset in the text. */
  index: number;
  /** Changed recently at the playhead: the name label shows. */
  recent: boolean;
  /** The most recent caret of all: kept in view. */
  latest: boolean;
}

export interface ReplayEditorProps {
  text: string;
  language: string;
  carets: readonly ReplayCaret[];
  ariaLabel: string;
}

export default function ReplayEditor({ text, language, carets, ariaLabel }: ReplayEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorationsRef = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const initial = useRef({ ariaLabel });
  useMonacoTheme();

  useEffect(() => {
    const container = host.current;
    if (!container) return undefined;
    const model = monaco.editor.createModel('', 'plaintext');
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    const editor = monaco.editor.create(container, {
      model,
      readOnly: true,
      domReadOnly: true,
      readOnlyMessage: { value: 'This is a replay: the code is read only.' },
      ariaLabel: initial.current.ariaLabel,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      lineHeight: 21,
      scrollBeyondLastLine: false,
      padding: { top: 18, bottom: 12 },
      tabSize: 4,
      renderLineHighlight: 'none',
      occurrencesHighlight: 'off',
      selectionHighlight: false,
      quickSuggestions: false,
      wordBasedSuggestions: 'off',
      parameterHints: { enabled: false },
      contextmenu: false,
      glyphMargin: false,
      lineDecorationsWidth: 10,
      stickyScroll: { enabled: false },
      fixedOverflowWidgets: true,
      // Read only: Tab has nothing to indent, so it moves focus on (keyboard users never get stuck).
      tabFocusMode: true,
    });
    editorRef.current = editor;
    decorationsRef.current = editor.createDecorationsCollection();
    return () => {
      decorationsRef.current = null;
      editorRef.current = null;
      editor.dispose();
      model.dispose();
    };
  }, []);

  useEffect(() => {
    editorRef.current?.updateOptions({ ariaLabel });
  }, [ariaLabel]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    const id = monacoLanguageId(language);
    if (model && model.getLanguageId() !== id) monaco.editor.setModelLanguage(model, id);
  }, [language]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const before = model.getValue();
    if (before !== text) {
      const [start, end, insert] = smallestEdit(before, text);
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(end);
      model.applyEdits([
        { range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: insert },
      ]);
    }
    const decorations = carets.map((caret) => {
      const at = model.getPositionAt(caret.index);
      return {
        range: new monaco.Range(at.lineNumber, at.column, at.lineNumber, at.column),
        options: {
          description: 'replay-caret',
          beforeContentClassName: `replay-caret replay-caret-${caret.slot}${caret.recent ? ' replay-caret--recent' : ''}`,
          stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        },
      };
    });
    decorationsRef.current?.set(decorations);
    const latest = carets.find((caret) => caret.latest);
    if (latest) {
      const at = model.getPositionAt(latest.index);
      editor.revealPositionInCenterIfOutsideViewport(at, monaco.editor.ScrollType.Immediate);
    }
  }, [text, carets]);

  return <div ref={host} className="replay-editor" data-testid="replay-editor" data-language={language} />;
}
