// Vite build/dev config for the CodeView web UI, plus the vitest unit-test settings.
// The dev server proxies /api and /ws to a locally running `codeview serve` (127.0.0.1:8080),
// so the browser sees one origin in development just as it does in production.
// The alias lets y-monaco (which imports `monaco-editor/esm/vs/editor/editor.api.js`) use
// monaco 0.56+, whose package exports map those paths to `monaco-editor/…`. The second gives
// the lazily loaded TypeScript service a `createWebWorker` without monaco's import of every
// editor feature (src/features/room/collab/monacoWorkers.ts says why).
/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const backend = process.env['CODEVIEW_DEV_BACKEND'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' },
      {
        find: /^\.\.\/\.\.\/\.\.\/internal\/common\/workers\.js$/,
        replacement: fileURLToPath(new URL('./src/features/room/collab/monacoWorkers.ts', import.meta.url)),
      },
    ],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // Generous: on a loaded 2-core machine a page test can take several seconds to render.
    testTimeout: 20_000,
  },
});
