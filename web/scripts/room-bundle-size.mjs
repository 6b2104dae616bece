// What a first visit to the interview room downloads, gzipped (-9), from a build with a
// manifest: `npx vite build --manifest && node scripts/room-bundle-size.mjs`. Walks the static
// imports of the entry, the room page and its workspace (the two route-level lazy chunks the
// room always loads), with their CSS and assets, and adds the editor worker and the grammars a
// room shows at first (python, markdown for the notes). Chunks reached only by a dynamic
// import — the TypeScript/JavaScript service, its worker — are listed apart: they load when
// the room's language becomes javascript or typescript. Fails if one of them is in the first load.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const assets = readdirSync(new URL('assets/', dist));
const ROOTS = ['index.html', 'src/features/room/RoomPage.tsx', 'src/features/room/collab/RoomWorkspace.tsx'];
const FIRST_GRAMMARS = ['python', 'markdown'];
const LAZY_SERVICE = [/^typescriptService-/, /^tsMode-/, /^ts\.worker-/];

const files = new Set();
const seen = new Set();
const visit = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the manifest: ${key}`);
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const asset of chunk.assets ?? []) files.add(asset);
  for (const imported of chunk.imports ?? []) visit(imported);
};
ROOTS.forEach(visit);
for (const name of assets) {
  if (/^editor\.worker-.*\.js$/.test(name)) files.add(`assets/${name}`);
  if (FIRST_GRAMMARS.some((g) => name.startsWith(`${g}-`) && name.endsWith('.js'))) files.add(`assets/${name}`);
}

const gz = (file) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let total = 0;
const rows = [...files].sort().map((file) => {
  const size = gz(file);
  total += size;
  return [file, size];
});
rows.sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) console.log(`${kb(size).padStart(10)}  ${file}`);
console.log(`${kb(total).padStart(10)}  total before JS/TS (${(total / 1024 / 1024).toFixed(2)} MB)`);

let lazyTotal = 0;
for (const name of assets.filter((n) => LAZY_SERVICE.some((re) => re.test(n)))) {
  const file = `assets/${name}`;
  if (files.has(file)) {
    console.error(`${file} is loaded before JS/TS is chosen`);
    process.exitCode = 1;
  }
  const size = gz(file);
  lazyTotal += size;
  console.log(`${kb(size).padStart(10)}  ${file} (only with JS/TS)`);
}
console.log(`${kb(lazyTotal).padStart(10)}  TypeScript service, loaded with JS/TS`);
