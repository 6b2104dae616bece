// Monaco's TypeScript/JavaScript language service (completions, hovers, signature help,
// diagnostics), loaded only when the room's language becomes javascript or typescript: this
// module is reached by a dynamic import from monaco.ts, so it and its worker are chunks of
// their own that the room does not fetch before. Importing it registers the service for both
// languages; it starts for a language the first time a model of that language appears, which
// is why the editor sets a JS/TS language on its model only after this module has loaded.
import {
  javascriptDefaults,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';

/** The worker for Monaco's `typescript` and `javascript` labels. */
export function createWorker(): Worker {
  return new TypeScriptWorker();
}

/**
 * Interview code is one file run by Node: no modules to resolve, no @types/node. Node's globals
 * are declared loosely, and any imported module is `any`, so `require('fs')`, `process.stdin`
 * or `import * as readline from 'readline'` raise no errors.
 */
const NODE_GLOBALS = `
declare var require: (id: string) => any;
declare var module: { exports: any };
declare var exports: any;
declare var process: any;
declare var Buffer: any;
declare var __dirname: string;
declare var __filename: string;
declare module '*';
`;

/** Diagnostics a lone interview file would show as noise (and the runner never checks). */
const IGNORED_DIAGNOSTICS = [
  2307, // Cannot find module
  2580, // Cannot find name 'require' / 'process' (install @types/node)
  2591, // the same, for tsconfig types
  7016, // Could not find a declaration file for module
  80001, // File is a CommonJS module; it may be converted to an ES module (suggestion)
];

for (const defaults of [typescriptDefaults, javascriptDefaults]) {
  defaults.setCompilerOptions({
    target: ScriptTarget.ESNext,
    module: ModuleKind.ESNext,
    moduleResolution: ModuleResolutionKind.NodeJs,
    allowJs: true,
    allowNonTsExtensions: true,
    esModuleInterop: true,
    // Loose enough for interview code: implicit any and nulls are the candidate's business.
    strict: false,
    noEmit: true,
  });
  defaults.setDiagnosticsOptions({
    // JavaScript: syntax errors only; TypeScript: type errors too.
    noSemanticValidation: defaults === javascriptDefaults,
    noSyntaxValidation: false,
    noSuggestionDiagnostics: true,
    diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS,
  });
  defaults.addExtraLib(NODE_GLOBALS, 'ts:codeview/node-globals.d.ts');
  // The one shared file is the whole program: keep the worker's copy in step with every edit.
  defaults.setEagerModelSync(true);
}
