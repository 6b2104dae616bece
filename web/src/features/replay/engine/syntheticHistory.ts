// Seeded, realistic code-document histories made with the real Yjs, for the engine's tests and
// bench/replay-seek.ts (never imported by the app). A server Y.Doc and one Y.Doc per author:
// the server seeds the starter code and the language (an entry without author), then authors
// type single characters at their caret, backspace, and jump elsewhere; each keystroke's update
// reaches the server (an entry) and the other authors at once, except while an author is
// offline: their updates are merged and arrive together when they reconnect, after others
// edited the same text. Midway the active question changes (its own Y.Text), the language
// changes now and then, and the times have bursts and idle stretches.
import * as Y from 'yjs';
import type { HistoryEntry } from '../../../api/playbackTypes';
import { base64OfBytes, bytesOfBase64 } from './base64';
import { LANGUAGE_KEY, META_ROOT } from './docHistory';

export interface SyntheticOptions {
  seed: number;
  /** Keystrokes: single-character inserts and deletes, one entry each (unless made offline). */
  edits: number;
  /** From the first to the last entry. */
  durationMs: number;
  startMs?: number;
  /** Participant ids; the first types most. */
  authors?: readonly string[];
  /** Y.Text names in the order the interview switches to them (default: `code`, then `code:q2`). */
  textNames?: readonly string[];
  /** Chance per keystroke that its author goes offline for a while (default 0.002). */
  offlineChance?: number;
  /** Chance per keystroke of a language switch (default 0.0005). */
  languageChance?: number;
}

export interface SyntheticHistory {
  entries: HistoryEntry[];
  /** When the active text changed: `textNames[i]` from `switches[i - 1]` on (ms). */
  textSwitchesAt: number[];
  textNames: readonly string[];
  startMs: number;
  endMs: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz     ()[]:=+-.,_0123456789\n\n\n';
const LANGUAGES = ['python', 'javascript', 'go', 'rust'];

/** mulberry32: a small, seeded PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Author {
  id: string;
  doc: Y.Doc;
  caret: number;
  /** Updates made while offline, sent together on reconnect. */
  outbox: Uint8Array[] | null;
  offlineFor: number;
}

export function syntheticHistory(options: SyntheticOptions): SyntheticHistory {
  const random = seededRandom(options.seed);
  const ids = options.authors ?? ['cand-0000', 'host-0000', 'intv-0000'];
  const textNames = options.textNames ?? ['code', 'code:q2'];
  const offlineChance = options.offlineChance ?? 0.002;
  const languageChance = options.languageChance ?? 0.0005;
  const startMs = options.startMs ?? Date.UTC(2026, 11, 6, 8, 0, 0);

  // Step times first: bursts of typing, pauses, a few idle stretches; then scaled to the duration.
  const steps = options.edits;
  const gaps: number[] = [];
  for (let i = 0; i < steps; i++) {
    const r = random();
    gaps.push(r < 0.004 ? 15_000 + random() * 90_000 : r < 0.05 ? 1_000 + random() * 4_000 : 40 + random() * 250);
  }
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  const scale = options.durationMs / total;
  const stepTimes: number[] = [];
  let clock = startMs;
  for (const gap of gaps) {
    stepTimes.push(Math.round(clock));
    clock += gap * scale;
  }

  const server = new Y.Doc();
  const entries: HistoryEntry[] = [];
  const record = (update: Uint8Array, author: string | null, atMs: number) => {
    Y.applyUpdate(server, update);
    entries.push({ seq: entries.length + 1, at_ms: atMs, participant_id: author, update: base64OfBytes(update) });
  };
  // The server's seed: starter code and the language.
  const seed = new Y.Doc();
  seed.transact(() => {
    seed.getText(textNames[0] ?? 'code').insert(0, 'def solve():\n    pass\n');
    seed.getMap(META_ROOT).set(LANGUAGE_KEY, 'python');
  });
  record(Y.encodeStateAsUpdate(seed), null, startMs);

  const authors: Author[] = ids.map((id) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return { id, doc, caret: 0, outbox: null, offlineFor: 0 };
  });
  const deliver = (from: Author, update: Uint8Array, atMs: number) => {
    record(update, from.id, atMs);
    for (const other of authors) if (other !== from && other.outbox === null) Y.applyUpdate(other.doc, update);
  };
  const reconnect = (author: Author, atMs: number) => {
    const outbox = author.outbox ?? [];
    author.outbox = null;
    if (outbox.length > 0) deliver(author, Y.mergeUpdates(outbox), atMs);
    // Catch up with everything the others wrote meanwhile.
    Y.applyUpdate(author.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(author.doc)));
  };

  const textSwitchesAt: number[] = [];
  for (let step = 0; step < steps; step++) {
    const atMs = stepTimes[step] as number;
    const textIndex = Math.min(textNames.length - 1, Math.floor((step / steps) * textNames.length));
    if (textIndex > textSwitchesAt.length) textSwitchesAt.push(atMs);
    const name = textNames[textIndex] ?? 'code';
    const r = random();
    const author = (r < 0.75 ? authors[0] : r < 0.9 ? authors[1] : authors[2]) ?? (authors[0] as Author);

    if (author.outbox === null && random() < offlineChance) {
      author.outbox = [];
      author.offlineFor = 20 + Math.floor(random() * 80);
    }
    const text = author.doc.getText(name);
    author.caret = Math.min(author.caret, text.length);
    const made: { updates: Uint8Array[] } = { updates: [] };
    const capture = (update: Uint8Array) => {
      made.updates.push(update);
    };
    author.doc.on('update', capture);
    // Every step is one keystroke: a backspace, or a character typed (sometimes somewhere else).
    const action = random();
    if (action < 0.11 && author.caret > 0) {
      text.delete(author.caret - 1, 1);
      author.caret--;
    } else {
      if (action > 0.95) author.caret = Math.floor(random() * (text.length + 1));
      text.insert(author.caret, ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'x');
      author.caret++;
    }
    // Now and then the language changes too (its own update).
    if (random() < languageChance)
      author.doc.getMap(META_ROOT).set(LANGUAGE_KEY, LANGUAGES[Math.floor(random() * LANGUAGES.length)] ?? 'python');
    author.doc.off('update', capture);
    for (const update of made.updates) {
      if (author.outbox !== null) author.outbox.push(update);
      else deliver(author, update, atMs);
    }
    if (author.outbox !== null && --author.offlineFor <= 0) reconnect(author, atMs);
  }
  const endMs = clock;
  for (const author of authors) if (author.outbox !== null) reconnect(author, Math.round(endMs));
  return { entries, textSwitchesAt, textNames, startMs, endMs: Math.round(endMs) };
}

/** The texts after the first `count` entries, by applying them to a fresh Y.Doc (the slow, obvious way). */
export function textsReplayedFromZero(entries: readonly HistoryEntry[], count: number, names: readonly string[]) {
  const doc = new Y.Doc();
  for (const entry of entries.slice(0, count)) Y.applyUpdate(doc, bytesOfBase64(entry.update));
  const texts = new Map<string, string>();
  for (const name of names) texts.set(name, doc.getText(name).toString());
  const language = doc.getMap(META_ROOT).get(LANGUAGE_KEY);
  return { texts, language: typeof language === 'string' ? language : null };
}
