// The editor options that turn every kind of completion on or off at once: automatic and
// trigger-character suggestions, word-based suggestions, parameter hints, snippets, and — for
// Ctrl+Space, which no option disables — a filter that drops every item kind, so neither our
// keyword providers nor the TypeScript service nor word completion offer anything. Applied
// live with `editor.updateOptions` when the interviewers turn the candidate's autocomplete
// off (the `controls` room event).
//
// When on, suggestions come up as you type code (not inside comments or strings), and only Tab
// accepts one: Enter always starts a new line, so a candidate typing fast never gets a word
// they did not choose.
import type * as Monaco from 'monaco-editor/editor';

/** Every `suggest.show*` filter Monaco knows (one per completion item kind, plus deprecated). */
// prettier-ignore
export const SUGGEST_KIND_FILTERS = [
  'showMethods', 'showFunctions', 'showConstructors', 'showDeprecated', 'showFields', 'showVariables',
  'showClasses', 'showStructs', 'showInterfaces', 'showModules', 'showProperties', 'showEvents',
  'showOperators', 'showUnits', 'showValues', 'showConstants', 'showEnums', 'showEnumMembers', 'showKeywords',
  'showWords', 'showColors', 'showFiles', 'showReferences', 'showFolders', 'showTypeParameters', 'showSnippets',
  'showUsers', 'showIssues',
] as const satisfies readonly (keyof Monaco.editor.ISuggestOptions)[];

/** The completion options of a code editor with completions `enabled` or not. */
export function completionOptions(enabled: boolean): Monaco.editor.IEditorOptions & Monaco.editor.IGlobalEditorOptions {
  const suggest: Monaco.editor.ISuggestOptions = {};
  for (const filter of SUGGEST_KIND_FILTERS) suggest[filter] = enabled;
  return {
    quickSuggestions: enabled ? { other: 'on', comments: 'off', strings: 'off' } : false,
    acceptSuggestionOnEnter: 'off',
    suggestOnTriggerCharacters: enabled,
    wordBasedSuggestions: enabled ? 'currentDocument' : 'off',
    parameterHints: { enabled },
    snippetSuggestions: enabled ? 'inline' : 'none',
    inlineSuggest: { enabled },
    suggest,
  };
}
