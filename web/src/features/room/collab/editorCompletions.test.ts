// Unit tests for the completion switch: off turns every suggestion source off (automatic,
// trigger characters, words, parameter hints, snippets, every item kind for Ctrl+Space);
// on turns them all back on.
import { describe, expect, it } from 'vitest';
import { completionOptions, SUGGEST_KIND_FILTERS } from './editorCompletions';

describe('completionOptions', () => {
  it('turns every source of suggestions off', () => {
    const off = completionOptions(false);
    expect(off).toMatchObject({
      quickSuggestions: false,
      suggestOnTriggerCharacters: false,
      wordBasedSuggestions: 'off',
      parameterHints: { enabled: false },
      snippetSuggestions: 'none',
      inlineSuggest: { enabled: false },
    });
    for (const filter of SUGGEST_KIND_FILTERS) expect(off.suggest?.[filter], filter).toBe(false);
  });

  it('turns them all back on', () => {
    const on = completionOptions(true);
    expect(on).toMatchObject({
      quickSuggestions: { other: 'on', comments: 'off', strings: 'off' },
      suggestOnTriggerCharacters: true,
      wordBasedSuggestions: 'currentDocument',
      parameterHints: { enabled: true },
      snippetSuggestions: 'inline',
    });
    for (const filter of SUGGEST_KIND_FILTERS) expect(on.suggest?.[filter], filter).toBe(true);
  });

  it('lets only Tab accept a suggestion, so Enter always starts a new line', () => {
    expect(completionOptions(true).acceptSuggestionOnEnter).toBe('off');
    expect(completionOptions(false).acceptSuggestionOnEnter).toBe('off');
  });

  it('filters the kinds the keyword provider and the TypeScript service use', () => {
    expect(SUGGEST_KIND_FILTERS).toEqual(
      expect.arrayContaining(['showKeywords', 'showFunctions', 'showSnippets', 'showWords', 'showVariables']),
    );
  });
});
