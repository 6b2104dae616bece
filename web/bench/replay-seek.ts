// Benchmark: seeking in the replay of a 60-minute interview (issue 19: "seeking anywhere … renders
// within 100 ms"). It makes the history with the real Yjs (syntheticHistory: three authors,
// 20,000 single-character keystrokes over 60 minutes with bursts, idle stretches, a question
// switch, language switches and a few offline batches), then times, in one run and on the
// same 200 random instants:
//   - the replay engine (DocHistory: text checkpoints every N entries + each entry's recorded
//     text steps), at the page's spacing and two others: building it, then each seek;
//   - the alternative it was measured against: Yjs checkpoints (Y.encodeStateAsUpdate of the
//     doc every N entries), a seek = a fresh Y.Doc + that checkpoint + the updates after it;
//   - the baseline: a seek = a fresh Y.Doc + every update from the first.
// A seek's answer is every text of the document at that instant (the engine's also carries each
// author's caret and the language). Each answer is checked against the baseline's. Prints a
// markdown table (milliseconds). The browser's rendering of a seek is measured separately.
//
//   cd web && npx --yes tsx bench/replay-seek.ts [--edits 20000] [--minutes 60] [--seeks 200] [--seed 1]
import * as Y from 'yjs';
import { bytesOfBase64 } from '../src/features/replay/engine/base64';
import { DEFAULT_CHECKPOINT_EVERY, DocHistory } from '../src/features/replay/engine/docHistory';
import { seededRandom, syntheticHistory } from '../src/features/replay/engine/syntheticHistory';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

const edits = option('edits', 20_000);
const minutes = option('minutes', 60);
const seekCount = option('seeks', 200);
const seed = option('seed', 1);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

interface Row {
  name: string;
  buildMs: number;
  seeks: number[];
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

// ---- the history ----
const [history, generateMs] = timed(() =>
  syntheticHistory({ seed, edits, durationMs: minutes * 60_000, offlineChance: 0.0005 }),
);
const { entries, textNames } = history;
const updates = entries.map((entry) => bytesOfBase64(entry.update));
const updateBytes = updates.reduce((sum, update) => sum + update.length, 0);
const random = seededRandom(seed * 31 + 7);
const instants = Array.from(
  { length: seekCount },
  () => history.startMs + random() * (history.endMs - history.startMs),
);
/** Entries at or before each instant (entries are in time order). */
const counts = instants.map((t) => {
  let count = 0;
  while (count < entries.length && (entries[count] as (typeof entries)[number]).at_ms <= t) count++;
  return count;
});

const textsOf = (doc: Y.Doc) => textNames.map((name) => doc.getText(name).toString());

// ---- baseline: from zero ----
const expected: string[][] = [];
const fromZero: Row = { name: 'Replay from zero (baseline)', buildMs: 0, seeks: [] };
for (const count of counts) {
  const [texts, ms] = timed(() => {
    const doc = new Y.Doc();
    for (let i = 0; i < count; i++) Y.applyUpdate(doc, updates[i] as Uint8Array);
    return textsOf(doc);
  });
  expected.push(texts);
  fromZero.seeks.push(ms);
}

// ---- the engine ----
// Warm up the JIT first, so that the first row measured does not pay for it.
new DocHistory().append(entries);
const rows: Row[] = [];
let mismatches = 0;
for (const every of [64, DEFAULT_CHECKPOINT_EVERY, 1024]) {
  const [engine, buildMs] = timed(() => {
    const built = new DocHistory(every);
    built.append(entries);
    return built;
  });
  const row: Row = {
    name: `Engine: text checkpoints every ${every}${every === DEFAULT_CHECKPOINT_EVERY ? ' (the page)' : ''}`,
    buildMs,
    seeks: [],
  };
  instants.forEach((t, i) => {
    const [state, ms] = timed(() => engine.stateAt(t));
    row.seeks.push(ms);
    if (textNames.some((name, k) => (state.texts.get(name) ?? '') !== expected[i]?.[k])) mismatches++;
  });
  rows.push(row);
}

// ---- alternative: Yjs checkpoints ----
{
  const every = DEFAULT_CHECKPOINT_EVERY;
  const [checkpoints, buildMs] = timed(() => {
    const doc = new Y.Doc();
    const saved: Uint8Array[] = [Y.encodeStateAsUpdate(doc)];
    updates.forEach((update, i) => {
      Y.applyUpdate(doc, update);
      if ((i + 1) % every === 0) saved.push(Y.encodeStateAsUpdate(doc));
    });
    return saved;
  });
  const row: Row = { name: `Yjs checkpoints (encodeStateAsUpdate) every ${every}`, buildMs, seeks: [] };
  counts.forEach((count, i) => {
    const [texts, ms] = timed(() => {
      const doc = new Y.Doc();
      const k = Math.floor(count / every);
      Y.applyUpdate(doc, checkpoints[k] as Uint8Array);
      for (let j = k * every; j < count; j++) Y.applyUpdate(doc, updates[j] as Uint8Array);
      return textsOf(doc);
    });
    row.seeks.push(ms);
    if (texts.some((text, k) => text !== expected[i]?.[k])) mismatches++;
  });
  rows.push(row);
}
rows.push(fromZero);

// ---- report ----
const finalLength = expected.length
  ? Math.max(...textNames.map((_, k) => Math.max(...expected.map((t) => t[k]?.length ?? 0))))
  : 0;
console.log(
  `History: ${entries.length} entries (${edits} keystrokes by 3 authors over ${minutes} min, seed ${seed}; ` +
    `${(updateBytes / 1024).toFixed(0)} KB of Yjs updates, texts up to ${finalLength} characters), made in ${fmt(generateMs)} ms. ` +
    `Node ${process.version}, ${seekCount} random seeks.`,
);
console.log('');
console.log('| Method | Build (ms) | Seek p50 (ms) | Seek p99 (ms) | Seek max (ms) |');
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) {
  const sorted = [...row.seeks].sort((a, b) => a - b);
  console.log(
    `| ${row.name} | ${row.buildMs ? fmt(row.buildMs) : '—'} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 99))} | ${fmt(sorted[sorted.length - 1] ?? NaN)} |`,
  );
}
console.log('');
console.log(
  mismatches === 0
    ? 'Every seek matched the replay from zero.'
    : `MISMATCHES: ${mismatches} seeks differ from the replay from zero.`,
);
if (mismatches > 0) process.exitCode = 1;
