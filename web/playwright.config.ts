// Playwright e2e config: runs the specs in e2e/ with Debian's Chromium against the real
// `codeview` binary, which this config starts itself on a free-ish port with a fresh SQLite
// database per run and web/dist as its web root.
//
//   CODEVIEW_BIN=/path/to/codeview npm run e2e        (the Makefile sets CODEVIEW_BIN)
//
// web/dist must be built first (`npm run build`).
import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(process.env['CODEVIEW_WEB_DIR'] ?? join(here, 'dist'));

// The config is evaluated again in every worker; values go through the environment so that
// the port and database are chosen once per run (workers inherit the runner's environment).
process.env['CODEVIEW_E2E_PORT'] ??= String(20000 + Math.floor(Math.random() * 20000));
process.env['CODEVIEW_E2E_DB'] ??= join(mkdtempSync(join(tmpdir(), 'codeview-e2e-')), 'codeview.db');
const port = Number(process.env['CODEVIEW_E2E_PORT']);
const database = process.env['CODEVIEW_E2E_DB'];
const baseURL = `http://127.0.0.1:${port}`;

function findBinary(): string | null {
  const candidates = [
    process.env['CODEVIEW_BIN'],
    process.env['CARGO_TARGET_DIR'] && join(process.env['CARGO_TARGET_DIR'], 'release', 'codeview'),
    join(here, '..', 'target', 'release', 'codeview'),
  ];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c as string)) ?? null;
}

function serverCommand(): string {
  const bin = findBinary();
  if (!bin) {
    throw new Error('e2e: set CODEVIEW_BIN to the built codeview binary (make e2e does).');
  }
  // The embedded TURN relay on the next port, for the forced-relay call test (call.spec.ts).
  const turn = ` --turn-listen 127.0.0.1:${port + 1}`;
  return `"${bin}" serve --addr 127.0.0.1:${port} --database-url "sqlite://${database}" --public-url ${baseURL}${turn}`;
}

if (!existsSync(join(webDir, 'index.html'))) {
  throw new Error(`e2e: ${webDir}/index.html is missing; run \`npm run build\` first.`);
}

export default defineConfig({
  testDir: './e2e',
  globalTeardown: './e2e/global-teardown.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env['CI'] ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The video call (call.spec.ts): fake camera, microphone and screen, no permission
        // prompts, loopback ICE candidates, plain (not mDNS) local addresses for the observers,
        // who never ask for a camera, and sound that may start without a click (a reload
        // rejoins by itself).
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection',
        '--auto-select-desktop-capture-source=Entire screen',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: serverCommand(),
    url: `${baseURL}/api/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      CODEVIEW_WEB_DIR: webDir,
      CODEVIEW_PUBLIC_URL: baseURL,
      RUST_LOG: process.env['RUST_LOG'] ?? 'warn',
    },
  },
});
