// The slice of Monaco the room uses: the editor API, the editing features that work without a
// language service (find/replace, folding, multi-cursor, comments, line operations, word
// completion, Ctrl+M tab-focus mode, the F1 palette…), basic syntax highlighting for our
// languages (SQL included; bash through Monaco's `shell`, editorLanguage.ts) plus markdown for
// the notes, keyword and snippet completion for the languages without a browser language service
// (completions/), and the generic editor worker. The
// TypeScript/JavaScript service and its worker are loaded only when the room's language becomes
// javascript or typescript (`loadLanguageService`, typescriptService.ts). Left out: the
// JSON/CSS/HTML services, other languages, and the features only a language server feeds
// (code lens, colour picker, inline completions, the diff editor) — ~130 KB gzipped less than
// `features/register.all`. Imported only from the room's lazily loaded workspace.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/dnd/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/fontZoom/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/inPlaceReplace/register';
import 'monaco-editor/features/insertFinalNewLine/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/longLinesHelper/register';
import 'monaco-editor/features/middleScroll/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickHelp/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
// `features/suggest/register` brings only inline completions: the suggest widget itself (and
// Ctrl+Space) lives in the controller, which no `features/*` module imports.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/unicodeHighlighter/register';
import 'monaco-editor/features/unusualLineTerminators/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/wordPartOperations/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/java/register';
import 'monaco-editor/languages/definitions/cpp/register';
import 'monaco-editor/languages/definitions/rust/register';
import 'monaco-editor/languages/definitions/go/register';
import 'monaco-editor/languages/definitions/ruby/register';
import 'monaco-editor/languages/definitions/php/register';
import 'monaco-editor/languages/definitions/csharp/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerKeywordCompletions } from './completions/keywordProvider';

/** The worker for the TypeScript service's labels, once that service has loaded. */
let typeScriptWorker: (() => Worker) | null = null;
let typeScriptService: Promise<void> | null = null;

self.MonacoEnvironment = {
  getWorker: (_workerId, label) =>
    (label === 'typescript' || label === 'javascript') && typeScriptWorker ? typeScriptWorker() : new EditorWorker(),
};

registerKeywordCompletions(monaco);

/** Whether `language` is served by the lazily loaded TypeScript service. */
export function hasLanguageService(language: string): boolean {
  return language === 'javascript' || language === 'typescript';
}

/**
 * Loads what `language` needs before a model may use it: the TypeScript service for JS/TS
 * (fetched once), nothing for the others. Never rejects: if the chunk cannot be fetched the
 * editor keeps syntax highlighting, and the next call tries again.
 */
export function loadLanguageService(language: string): Promise<void> {
  if (!hasLanguageService(language)) return Promise.resolve();
  typeScriptService ??= import('./typescriptService').then(
    (service) => {
      typeScriptWorker = service.createWorker;
    },
    () => {
      typeScriptService = null;
    },
  );
  return typeScriptService;
}

export { monaco };
