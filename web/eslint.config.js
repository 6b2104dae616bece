// ESLint (flat config) for the web UI: ESLint's and typescript-eslint's recommended rules and the
// React hooks rules (eslint-plugin-react-hooks, React Compiler rules included) on every source,
// test, e2e and config file. Formatting is Prettier's business (`npm run format`), not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'test-results/', 'playwright-report/', 'screenshots/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat['recommended-latest'],
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // useYjsDoc creates a Y.Doc and its WebSocket provider in an effect (they are external
    // resources that need a cleanup, so they cannot be made during render) and hands them to the
    // component through state: the one case "set state in an effect" is meant for, and what the
    // rule cannot tell apart from a derived value.
    files: ['src/features/room/collab/useYjsDoc.ts'],
    rules: { 'react-hooks/set-state-in-effect': 'off' },
  },
  {
    // Node side: configs, the e2e suite (Playwright runs it in Node), the benchmarks and the mock API.
    files: ['*.{js,ts}', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
]);
