// A document's history, ready to be seen at any instant. The entries (Yjs updates in the
// order the server applied them) are applied once, in order, to a real Y.Doc; each one's change
// to each Y.Text is recorded as plain text steps (textOps.ts; quickOps.ts finds them cheaply), and every `checkpointEvery`
// entries the texts are kept whole. The state after any number of entries is then the nearest
// checkpoint at or before it plus at most `checkpointEvery - 1` recorded changes, applied to
// strings: a seek never replays from zero and never decodes Yjs again (bench/replay-seek.ts
// measures both). The same pass follows each author's caret (just after their latest change,
// moved by everyone's later changes) and the code document's `meta.language`. Entries that
// arrive later (a live interview) are appended to the same pass.
import * as Y from 'yjs';
import type { HistoryEntry } from '../../../api/playbackTypes';
import { bytesOfBase64 } from './base64';
import { quickOps } from './quickOps';
import { applyOps, indexAfterLastChange, opsOfDelta, transformIndex, type DeltaStep, type TextOp } from './textOps';
import { countAtMost } from './sortedSearch';

/** Where an author's caret is in one text: just after their latest change there. */
export interface AuthorCursor {
  index: number;
  /** When they made that change (server time, unix ms). */
  atMs: number;
}

/** A document as it was after its first `count` entries. Read only: it may be shared with later calls. */
export interface DocState {
  count: number;
  /** Each Y.Text's content by name; a text nobody wrote to is absent (empty). */
  texts: ReadonlyMap<string, string>;
  /** Text name → author (participant id) → caret. */
  cursors: ReadonlyMap<string, ReadonlyMap<string, AuthorCursor>>;
  /** The code document's `meta.language` then (null: not set yet, or the notes document). */
  language: string | null;
}

/** One entry's change to one text. */
interface TextChange {
  name: string;
  ops: TextOp[];
}

interface WorkingState {
  count: number;
  texts: Map<string, string>;
  cursors: Map<string, Map<string, AuthorCursor>>;
}

/** The root names that are Y.Texts: the code of each question, and the notes. */
export function isTextRoot(name: string): boolean {
  return name === 'code' || name.startsWith('code:') || name === 'notes';
}

export const META_ROOT = 'meta';
export const LANGUAGE_KEY = 'language';
/** Checkpoint spacing used by the page (bench/replay-seek.ts compares spacings). */
export const DEFAULT_CHECKPOINT_EVERY = 256;

const NO_CHANGES: readonly TextChange[] = [];

/** A copy to change (a handful of texts and authors: cheap). */
function cloneState(state: WorkingState): WorkingState {
  const cursors = new Map<string, Map<string, AuthorCursor>>();
  for (const [name, byAuthor] of state.cursors) cursors.set(name, new Map(byAuthor));
  return { count: state.count, texts: new Map(state.texts), cursors };
}

export class DocHistory {
  readonly checkpointEvery: number;
  private readonly doc = new Y.Doc();
  /** Root names seen so far, and those of them that are texts. */
  private readonly watched = new Set<string>();
  private readonly textNames: string[] = [];
  /** The changes of the entry being applied, filled by the texts' observers. */
  private collecting: TextChange[] = [];
  private readonly seqs: number[] = [];
  /** Entry times made non-decreasing (a clock step back never reorders the replay). */
  private readonly times: number[] = [];
  private readonly authors: (string | null)[] = [];
  private readonly changes: (readonly TextChange[])[] = [];
  /** `checkpoints[k]` is the state after `k * checkpointEvery` entries. */
  private readonly checkpoints: WorkingState[] = [];
  /** The state after every entry so far: where the next appended entry goes. */
  private readonly head: WorkingState = { count: 0, texts: new Map(), cursors: new Map() };
  /** The language after entry `languageCounts[i]`… is `languages[i]` (changes only, in order). */
  private readonly languageCounts: number[] = [];
  private readonly languages: (string | null)[] = [];
  /** The latest state asked for: a seek a little later starts from it rather than from a checkpoint. */
  private lastSeen: WorkingState | null = null;

  constructor(checkpointEvery = DEFAULT_CHECKPOINT_EVERY) {
    if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) throw new RangeError('checkpointEvery must be ≥ 1');
    this.checkpointEvery = checkpointEvery;
    this.checkpoints.push(cloneState(this.head));
  }

  get length(): number {
    return this.seqs.length;
  }

  get lastSeq(): number | null {
    return this.seqs[this.seqs.length - 1] ?? null;
  }

  get firstSeq(): number | null {
    return this.seqs[0] ?? null;
  }

  /** Entry `index`'s time (made non-decreasing), unix ms. */
  timeOf(index: number): number | undefined {
    return this.times[index];
  }

  authorOf(index: number): string | null | undefined {
    return this.authors[index];
  }

  /** The entries' times, non-decreasing (idle stretches are found from them). */
  entryTimes(): readonly number[] {
    return this.times;
  }

  /** Applies entries after the last one (those not after it are skipped). */
  append(entries: readonly HistoryEntry[]): void {
    for (const entry of entries) {
      const last = this.lastSeq;
      if (last !== null && entry.seq <= last) continue;
      this.applyEntry(entry);
    }
  }

  /** How many entries happened at or before `atMs`. */
  countAt(atMs: number): number {
    return countAtMost(this.times, atMs);
  }

  /** The document at `atMs`: every entry at or before it applied. */
  stateAt(atMs: number): DocState {
    return this.stateAfter(this.countAt(atMs));
  }

  /** The document after its first `count` entries (clamped to what there is). */
  stateAfter(count: number): DocState {
    const target = Math.max(0, Math.min(Math.floor(count), this.length));
    const checkpoint = this.checkpoints[Math.floor(target / this.checkpointEvery)] as WorkingState;
    const seen = this.lastSeen;
    const from = seen && seen.count <= target && seen.count >= checkpoint.count ? seen : checkpoint;
    let state: WorkingState = from;
    if (from.count !== target) {
      state = cloneState(from);
      while (state.count < target) this.replay(state, state.count);
    }
    this.lastSeen = state;
    return { count: state.count, texts: state.texts, cursors: state.cursors, language: this.languageAfter(target) };
  }

  /** `meta.language` after the first `count` entries. */
  languageAfter(count: number): string | null {
    const low = countAtMost(this.languageCounts, count);
    return low === 0 ? null : (this.languages[low - 1] ?? null);
  }

  private applyEntry(entry: HistoryEntry): void {
    this.collecting = [];
    Y.applyUpdate(this.doc, bytesOfBase64(entry.update));
    if (this.doc.share.size !== this.watched.size) this.watchNewRoots();
    const index = this.seqs.length;
    const previous = this.times[index - 1];
    this.seqs.push(entry.seq);
    this.times.push(previous !== undefined && previous > entry.at_ms ? previous : entry.at_ms);
    this.authors.push(entry.participant_id);
    this.changes.push(this.collecting.length > 0 ? this.collecting : NO_CHANGES);
    this.collecting = [];
    this.noteLanguage(index + 1);
    // The head's texts are the Y.Doc's: taken whole at each checkpoint, not rebuilt per entry.
    this.replay(this.head, index, false);
    if (this.head.count % this.checkpointEvery === 0) {
      for (const name of this.textNames) this.head.texts.set(name, this.doc.getText(name).toString());
      this.checkpoints.push(cloneState(this.head));
    }
  }

  /** Texts (and the meta map) created by the entry just applied: their whole content is its change. */
  private watchNewRoots(): void {
    for (const name of [...this.doc.share.keys()]) {
      if (this.watched.has(name)) continue;
      this.watched.add(name);
      if (!isTextRoot(name)) continue;
      this.textNames.push(name);
      const text = this.doc.getText(name);
      const content = text.toString();
      if (content) this.collecting.push({ name, ops: [content] });
      text.observe((event) => {
        const ops = quickOps(text, event.transaction) ?? opsOfDelta(event.delta as DeltaStep[]);
        if (ops.length > 0) this.collecting.push({ name, ops });
      });
    }
  }

  private noteLanguage(count: number): void {
    if (!this.watched.has(META_ROOT)) return;
    const value = this.doc.getMap(META_ROOT).get(LANGUAGE_KEY);
    const language = typeof value === 'string' ? value : null;
    const current = this.languages[this.languages.length - 1] ?? null;
    if (language === current) return;
    this.languageCounts.push(count);
    this.languages.push(language);
  }

  /** Applies recorded entry `index` to `state` (which is after `index` entries): its cursors, and its texts too unless told not to. */
  private replay(state: WorkingState, index: number, withTexts = true): void {
    const author = this.authors[index] ?? null;
    const atMs = this.times[index] as number;
    for (const { name, ops } of this.changes[index] ?? NO_CHANGES) {
      if (withTexts) state.texts.set(name, applyOps(state.texts.get(name) ?? '', ops));
      let byAuthor = state.cursors.get(name);
      if (byAuthor) {
        for (const [who, cursor] of byAuthor) {
          const moved = transformIndex(cursor.index, ops);
          if (moved !== cursor.index) byAuthor.set(who, { index: moved, atMs: cursor.atMs });
        }
      }
      const own = author === null ? null : indexAfterLastChange(ops);
      if (author === null || own === null) continue;
      if (!byAuthor) state.cursors.set(name, (byAuthor = new Map()));
      byAuthor.set(author, { index: own, atMs });
    }
    state.count = index + 1;
  }
}
