// The candidate's side of the integrity signals: while enabled (the viewer is the candidate and
// the interview is live) it reports the tab being hidden and shown, the window losing and
// regaining focus, and — through the editor it is handed — pastes into the editor (external
// unless the text was copied or cut from this editor during the interview) and copies of at
// least half the document. What is reported and what is merged or left out is
// `signalReporter.ts`; delivery (room socket, else POST) is `signalTransport.ts`.
import { useCallback, useEffect, useRef } from 'react';
import { characterCount } from '../../../lib/validation';
import { CopyMemory } from './copyMemory';
import { watchEditorClipboard, type WatchedEditor } from './editorClipboard';
import { SignalReporter } from './signalReporter';
import { SignalTransport } from './signalTransport';

/** A copy of at least this share of the document is reported. */
export const COPY_SHARE_THRESHOLD = 0.5;

/** Starts watching an editor; returns what stops it. */
export type AttachEditor = (editor: WatchedEditor) => () => void;

/**
 * Reports the candidate's signals for interview `interviewId` while `enabled`. Returns the
 * function to hand the code editor (CollabEditor's `onEditor`), or undefined when disabled.
 */
export function useIntegrityReporting(interviewId: string, enabled: boolean): AttachEditor | undefined {
  const reporter = useRef<SignalReporter | null>(null);
  /** This interview's copies, kept while the page stays in its room (the editor may be re-made). */
  const copies = useRef<{ interviewId: string; memory: CopyMemory } | null>(null);

  useEffect(() => {
    if (!enabled) return undefined;
    const transport = new SignalTransport(interviewId);
    const current = new SignalReporter((report) => transport.send(report));
    reporter.current = current;
    const onVisibility = () => (document.visibilityState === 'hidden' ? current.tabHidden() : current.tabShown());
    const onBlur = () => current.windowBlurred();
    const onFocus = () => current.windowFocused();
    // Opened in a background tab (the lobby moved on by itself while the candidate was elsewhere).
    if (document.visibilityState === 'hidden') current.tabHidden();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
      current.dispose();
      if (reporter.current === current) reporter.current = null;
    };
  }, [interviewId, enabled]);

  const attach = useCallback<AttachEditor>(
    (editor) => {
      if (copies.current?.interviewId !== interviewId) copies.current = { interviewId, memory: new CopyMemory() };
      const memory = copies.current.memory;
      // The reporter is read when something happens: the editor (a child) is attached before
      // this component's effect has made it.
      return watchEditorClipboard(editor, {
        onPaste: (text) => reporter.current?.pasted({ length: characterCount(text), external: !memory.has(text) }),
        onCopy: (text, share) => {
          memory.remember(text);
          if (share >= COPY_SHARE_THRESHOLD) reporter.current?.copied({ length: characterCount(text), share });
        },
      });
    },
    [interviewId],
  );

  return enabled ? attach : undefined;
}
