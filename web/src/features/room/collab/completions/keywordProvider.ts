// Registers the keyword/builtin/snippet completions of languageCompletions.ts with Monaco:
// one CompletionItemProvider per language, registered once per page. `completionItems` is the
// pure part (entries → Monaco items for the word being typed), tested without an editor.
import type * as Monaco from 'monaco-editor/editor';
import { monacoLanguageId } from '../editorLanguage';
import { completionEntries, KEYWORD_LANGUAGES, type CompletionEntry, type CompletionKind } from './languageCompletions';

/** The Monaco values `completionItems` needs, passed in so tests need no editor. */
export interface CompletionConstants {
  kinds: Record<CompletionKind, Monaco.languages.CompletionItemKind>;
  insertAsSnippet: Monaco.languages.CompletionItemInsertTextRule;
}

export function completionConstants(monaco: typeof Monaco): CompletionConstants {
  const { CompletionItemKind, CompletionItemInsertTextRule } = monaco.languages;
  return {
    kinds: {
      keyword: CompletionItemKind.Keyword,
      builtin: CompletionItemKind.Function,
      snippet: CompletionItemKind.Snippet,
    },
    insertAsSnippet: CompletionItemInsertTextRule.InsertAsSnippet,
  };
}

/**
 * Monaco completion items for `entries`, each replacing `range` (the word being typed). A `#`
 * is not part of a word: when one stands just before it (`charBefore`), an entry that starts
 * with `#` (`#include`) replaces it too instead of doubling it.
 */
export function completionItems(
  entries: readonly CompletionEntry[],
  range: Monaco.IRange,
  constants: CompletionConstants,
  charBefore = '',
): Monaco.languages.CompletionItem[] {
  const withHash = { ...range, startColumn: range.startColumn - 1 };
  return entries.map((entry, index) => {
    const item: Monaco.languages.CompletionItem = {
      label: entry.label,
      kind: constants.kinds[entry.kind],
      insertText: entry.insertText ?? entry.label,
      range: charBefore === '#' && entry.label.startsWith('#') ? withHash : range,
      // Snippets first, then keywords, then builtins, each in table order.
      sortText: String(index).padStart(4, '0'),
    };
    if (entry.detail !== undefined) item.detail = entry.detail;
    if (entry.kind === 'snippet') item.insertTextRules = constants.insertAsSnippet;
    return item;
  });
}

let registered = false;

/** Registers the providers (once; later calls do nothing). */
export function registerKeywordCompletions(monaco: typeof Monaco): void {
  if (registered) return;
  registered = true;
  const constants = completionConstants(monaco);
  for (const language of KEYWORD_LANGUAGES) {
    const entries = completionEntries(language);
    monaco.languages.registerCompletionItemProvider(monacoLanguageId(language), {
      triggerCharacters: language === 'c' || language === 'cpp' ? ['#'] : [],
      provideCompletionItems(model, position) {
        const word = model.getWordUntilPosition(position);
        const range = {
          startLineNumber: position.lineNumber,
          endLineNumber: position.lineNumber,
          startColumn: word.startColumn,
          endColumn: word.endColumn,
        };
        const charBefore =
          word.startColumn > 1
            ? model.getValueInRange({ ...range, startColumn: word.startColumn - 1, endColumn: word.startColumn })
            : '';
        return { suggestions: completionItems(entries, range, constants, charBefore) };
      },
    });
  }
}
