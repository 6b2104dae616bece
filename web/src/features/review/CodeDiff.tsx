// A read-only Monaco diff editor: a run's code (left) against the final code (right). Loaded
// lazily (default export) with Monaco itself; side by side when there is room, inline on
// narrow screens. Owns its editor and both models for its lifetime.
import { useEffect, useRef } from 'react';
import { monacoLanguageId } from '../room/collab/editorLanguage';
import { useMonacoTheme } from '../room/collab/monacoTheme';
import { monaco } from './reviewMonaco';

export interface CodeDiffProps {
  original: string;
  modified: string;
  language: string;
  /** Read by screen readers: what is compared with what. */
  ariaLabel: string;
}

export default function CodeDiff({ original, modified, language, ariaLabel }: CodeDiffProps) {
  const host = useRef<HTMLDivElement>(null);
  useMonacoTheme();

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const editor = monaco.editor.createDiffEditor(element, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      // Inline below Monaco's breakpoint (900 px): phones and narrow windows.
      useInlineViewWhenSpaceIsLimited: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      originalAriaLabel: `${ariaLabel}: the run's code`,
      modifiedAriaLabel: `${ariaLabel}: the final code`,
    });
    const models = {
      original: monaco.editor.createModel(original, monacoLanguageId(language)),
      modified: monaco.editor.createModel(modified, monacoLanguageId(language)),
    };
    editor.setModel(models);
    // Each side's own text box needs its name (the diff's options alone leave them unnamed).
    editor.getOriginalEditor().updateOptions({ ariaLabel: `${ariaLabel}: the run's code` });
    editor.getModifiedEditor().updateOptions({ ariaLabel: `${ariaLabel}: the final code` });
    return () => {
      editor.dispose();
      models.original.dispose();
      models.modified.dispose();
    };
  }, [original, modified, language, ariaLabel]);

  return <div ref={host} className="review-diff__editor" data-testid="code-diff" />;
}
