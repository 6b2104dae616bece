// Unit tests for the keyword/snippet completions: the per-language table and the pure mapping
// to Monaco items (kinds, snippet rules, ranges, the `#include` case), without an editor.
import { describe, expect, it, vi } from 'vitest';
import { LANGUAGES } from '../../../../api/types';
import { completionItems, registerKeywordCompletions, type CompletionConstants } from './keywordProvider';
import { COMPLETION_DATA, completionEntries, isKeywordLanguage, KEYWORD_LANGUAGES } from './languageCompletions';

const constants: CompletionConstants = { kinds: { keyword: 17, builtin: 1, snippet: 27 }, insertAsSnippet: 4 };
const range = { startLineNumber: 3, endLineNumber: 3, startColumn: 5, endColumn: 8 };

describe('the completion table', () => {
  it('covers every language without a language service, and not JS/TS', () => {
    const withoutService = LANGUAGES.filter((language) => language !== 'javascript' && language !== 'typescript');
    expect([...KEYWORD_LANGUAGES].sort()).toEqual([...withoutService].sort());
    expect(isKeywordLanguage('python')).toBe(true);
    expect(isKeywordLanguage('typescript')).toBe(false);
    expect(completionEntries('javascript')).toEqual([]);
    expect(completionEntries('no-such-language')).toEqual([]);
  });

  it('has keywords, builtins and the promised snippets for each language', () => {
    const promised: Record<string, string[]> = {
      python: ['def', 'for', 'ifmain'],
      java: ['main', 'sout', 'for'],
      go: ['func', 'iferr', 'for'],
      rust: ['fn', 'match', 'for'],
      c: ['for', '#include', 'main'],
      cpp: ['for', '#include', 'main'],
      ruby: ['def', 'each', 'if'],
      php: ['function', 'foreach', 'for'],
      csharp: ['cw', 'for', 'foreach'],
      bash: ['for', 'forin', 'if'],
    };
    for (const language of KEYWORD_LANGUAGES) {
      const data = COMPLETION_DATA[language];
      expect(data.keywords.length, language).toBeGreaterThan(10);
      expect(data.builtins.length, language).toBeGreaterThan(10);
      expect(
        data.keywords.every((w) => w.length > 0 && !/\s/.test(w)),
        language,
      ).toBe(true);
      const snippetLabels = data.snippets.map((s) => s.label);
      expect(snippetLabels, language).toEqual(expect.arrayContaining(promised[language] ?? []));
      expect(new Set(snippetLabels).size, `${language}: snippet labels are unique`).toBe(snippetLabels.length);
    }
    expect(COMPLETION_DATA.python.snippets.find((s) => s.label === 'ifmain')?.body).toContain(
      "if __name__ == '__main__':",
    );
    expect(COMPLETION_DATA.java.snippets.find((s) => s.label === 'sout')?.body).toBe('System.out.println($0);');
    expect(COMPLETION_DATA.go.snippets.find((s) => s.label === 'iferr')?.body).toContain('if err != nil {');
  });

  it('offers each word once, snippets first', () => {
    const entries = completionEntries('cpp');
    const words = entries.filter((e) => e.kind !== 'snippet').map((e) => e.label);
    expect(new Set(words).size).toBe(words.length);
    expect(entries[0]?.kind).toBe('snippet');
    expect(entries.find((e) => e.label === 'nullptr')?.kind).toBe('keyword');
    expect(entries.find((e) => e.label === 'vector')?.kind).toBe('builtin');
  });
});

describe('completionItems', () => {
  it('maps kinds, marks snippets as snippets and keeps table order', () => {
    const items = completionItems(completionEntries('python'), range, constants);
    const def = items.find((i) => i.label === 'def');
    expect(def).toMatchObject({ kind: 27, insertTextRules: 4, range, detail: 'function' });
    expect(def?.insertText).toBe('def ${1:name}(${2:args}):\n\t${0:pass}');
    const lambda = items.find((i) => i.label === 'lambda');
    expect(lambda).toMatchObject({ kind: 17, insertText: 'lambda', range });
    expect(lambda?.insertTextRules).toBeUndefined();
    expect(items.find((i) => i.label === 'enumerate')?.kind).toBe(1);
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    expect(sorted.map((i) => i.label)).toEqual(items.map((i) => i.label));
  });

  it('replaces a typed # for #include instead of doubling it', () => {
    const entries = completionEntries('c');
    const afterHash = completionItems(entries, range, constants, '#');
    expect(afterHash.find((i) => i.label === '#include')?.range).toEqual({ ...range, startColumn: 4 });
    expect(afterHash.find((i) => i.label === 'int')?.range).toEqual(range);
    const plain = completionItems(entries, range, constants, ' ');
    expect(plain.find((i) => i.label === '#include')?.range).toEqual(range);
  });
});

describe('registerKeywordCompletions', () => {
  it('registers one provider per language under its Monaco id (bash as shell)', () => {
    const register = vi.fn();
    const fakeMonaco = {
      languages: {
        CompletionItemKind: { Keyword: 17, Function: 1, Snippet: 27 },
        CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
        registerCompletionItemProvider: register,
      },
    } as unknown as Parameters<typeof registerKeywordCompletions>[0];
    registerKeywordCompletions(fakeMonaco);
    const ids = register.mock.calls.map((call) => call[0] as string);
    expect(ids).toEqual(KEYWORD_LANGUAGES.map((language) => (language === 'bash' ? 'shell' : language)));
  });
});
