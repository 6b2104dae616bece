// What a language switch does to a question's code (the shared `meta.language` changes for
// everyone): code that is empty or still exactly the old language's starter code is untouched
// and becomes the new language's starter code; edited code is kept, except that for the
// active question the person switching is asked first ("Replace your code with the Go starter
// code?"). The swap is written in the same Yjs transaction as the language, so every peer sees
// both at once.
import type * as Y from 'yjs';

/** Starter code by language, as questions carry it. */
export type StarterCode = Readonly<Record<string, string>>;

/** `replace`: swap in the new starter; `ask`: edited, ask before replacing; `keep`: nothing to do. */
export type SwitchAction = 'replace' | 'ask' | 'keep';

export function languageSwitchAction(code: string, starter: StarterCode, from: string, to: string): SwitchAction {
  const next = starter[to] ?? '';
  if (code === next) return 'keep';
  if (code === '' || code === (starter[from] ?? '')) return 'replace';
  // Edited code and no starter for the new language: nothing to offer instead.
  return next === '' ? 'keep' : 'ask';
}

/** A question's text in the document with its starter code. */
export interface QuestionText {
  text: Y.Text;
  starter: StarterCode;
}

/** Replaces a Y.Text's whole content (call inside a transaction to make it one change). */
export function replaceText(text: Y.Text, content: string) {
  if (text.toString() === content) return;
  text.delete(0, text.length);
  text.insert(0, content);
}

/**
 * Switches the shared language from `from` to `to` in one transaction: sets `meta[key]`,
 * swaps every untouched question's code for the new starter, and replaces the edited ones
 * listed in `replaceEdited` (the active question's, when its owner said so).
 */
export function switchLanguage(options: {
  doc: Y.Doc;
  meta: Y.Map<unknown>;
  key: string;
  from: string;
  to: string;
  texts: readonly QuestionText[];
  replaceEdited?: readonly Y.Text[];
}) {
  const { doc, meta, key, from, to, texts, replaceEdited = [] } = options;
  doc.transact(() => {
    meta.set(key, to);
    for (const { text, starter } of texts) {
      const action = languageSwitchAction(text.toString(), starter, from, to);
      if (action === 'replace' || (action === 'ask' && replaceEdited.includes(text)))
        replaceText(text, starter[to] ?? '');
    }
  });
}
