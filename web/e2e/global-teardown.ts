// Removes the per-run temporary database directory that playwright.config.ts created.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';

export default function globalTeardown(): void {
  const db = process.env['CODEVIEW_E2E_DB'];
  if (!db) return;
  const dir = dirname(db);
  // Only ever delete the directory this config made itself.
  if (dirname(dir) === tmpdir() && basename(dir).startsWith('codeview-e2e-')) {
    rmSync(dir, { recursive: true, force: true });
  }
}
