// The history engine against the obvious way: the text at any instant equals applying every
// entry up to it to a fresh Y.Doc, on seeded random histories with several authors, offline
// batches, language and question switches, for seeks in any order and for histories appended
// in pieces (a live interview). Also: each author's caret, the language, and a listing that no
// longer matches.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../api/playbackTypes';
import { base64OfBytes } from './base64';
import { DocHistory } from './docHistory';
import { seededRandom, syntheticHistory, textsReplayedFromZero } from './syntheticHistory';

function expectSameAsFromZero(
  history: DocHistory,
  entries: readonly HistoryEntry[],
  count: number,
  names: readonly string[],
) {
  const state = history.stateAfter(count);
  const reference = textsReplayedFromZero(entries, count, names);
  expect(state.count).toBe(count);
  for (const name of names)
    expect(state.texts.get(name) ?? '', `${name} after ${count} entries`).toBe(reference.texts.get(name));
  expect(state.language, `language after ${count} entries`).toBe(reference.language);
}

describe('DocHistory', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seeks anywhere, in any order, to exactly the replayed text (seed ${seed})`, () => {
      const { entries, textNames } = syntheticHistory({
        seed,
        edits: 1500,
        durationMs: 20 * 60_000,
        offlineChance: 0.01,
        languageChance: 0.004,
      });
      const history = new DocHistory(37);
      history.append(entries);
      expect(history.length).toBe(entries.length);
      const random = seededRandom(seed * 7919);
      const counts = [0, 1, entries.length, 37, 38, 36];
      for (let i = 0; i < 30; i++) counts.push(Math.floor(random() * (entries.length + 1)));
      for (const count of counts) expectSameAsFromZero(history, entries, count, textNames);
    });
  }

  it('built in pieces (a live interview) equals built at once', () => {
    const { entries, textNames } = syntheticHistory({ seed: 9, edits: 800, durationMs: 600_000 });
    const whole = new DocHistory(50);
    whole.append(entries);
    const pieces = new DocHistory(50);
    for (let from = 0; from < entries.length; from += 123) {
      pieces.append(entries.slice(0, from + 123)); // each poll lists everything so far
      pieces.stateAfter(Math.floor(pieces.length / 2)); // seeks in between
    }
    for (const count of [0, 99, 400, entries.length]) {
      const a = whole.stateAfter(count);
      const b = pieces.stateAfter(count);
      for (const name of textNames) expect(b.texts.get(name)).toBe(a.texts.get(name));
      expect([...(b.cursors.get('code')?.entries() ?? [])]).toEqual([...(a.cursors.get('code')?.entries() ?? [])]);
    }
    expectSameAsFromZero(pieces, entries, entries.length, textNames);
  });

  it('finds the entries at an instant, by server time', () => {
    const { entries } = syntheticHistory({ seed: 5, edits: 300, durationMs: 300_000 });
    const history = new DocHistory();
    history.append(entries);
    const middle = entries[150] as HistoryEntry;
    const count = history.countAt(middle.at_ms);
    expect(entries.slice(0, count).every((e) => e.at_ms <= middle.at_ms)).toBe(true);
    expect(entries[count]?.at_ms ?? Infinity).toBeGreaterThan(middle.at_ms);
    expect(history.stateAt(middle.at_ms).count).toBe(count);
    expect(history.stateAt(0).count).toBe(0);
  });

  it("keeps each author's caret just after their latest change, moved by the others' changes", () => {
    const ada = new Y.Doc();
    const bob = new Y.Doc();
    const entries: HistoryEntry[] = [];
    const send = (from: Y.Doc, to: Y.Doc, author: string, change: () => void) => {
      const made: Uint8Array[] = [];
      const listen = (update: Uint8Array) => made.push(update);
      from.on('update', listen);
      change();
      from.off('update', listen);
      for (const update of made) {
        Y.applyUpdate(to, update);
        entries.push({
          seq: entries.length + 1,
          at_ms: 1000 * (entries.length + 1),
          participant_id: author,
          update: base64OfBytes(update),
        });
      }
    };
    send(ada, bob, 'ada', () => ada.getText('code').insert(0, 'hello'));
    send(bob, ada, 'bob', () => bob.getText('code').insert(0, 'XY'));
    send(ada, bob, 'ada', () => ada.getText('code').delete(6, 1)); // "XYhell|" → Ada at 6
    send(bob, ada, 'bob', () => bob.getText('code').insert(6, '!')); // at Ada's caret: she stays before it
    send(bob, ada, 'bob', () => bob.getText('code').delete(0, 2)); // before Ada's caret: she moves back 2

    const history = new DocHistory(2);
    history.append(entries);
    const caret = (count: number, who: string) => history.stateAfter(count).cursors.get('code')?.get(who);
    expect(caret(1, 'ada')).toEqual({ index: 5, atMs: 1000 });
    expect(caret(2, 'ada')?.index).toBe(7);
    expect(caret(2, 'bob')).toEqual({ index: 2, atMs: 2000 });
    expect(caret(3, 'ada')).toEqual({ index: 6, atMs: 3000 });
    expect(caret(4, 'ada')?.index).toBe(6);
    expect(caret(4, 'bob')?.index).toBe(7);
    expect(caret(5, 'ada')?.index).toBe(4);
    expect(caret(5, 'bob')).toEqual({ index: 0, atMs: 5000 });
    expect(history.stateAfter(5).texts.get('code')).toBe('hell!');
  });

  it('follows meta.language and questions whose text appears later', () => {
    const doc = new Y.Doc();
    const entries: HistoryEntry[] = [];
    doc.on('update', (update: Uint8Array) =>
      entries.push({
        seq: entries.length + 10,
        at_ms: entries.length,
        participant_id: null,
        update: base64OfBytes(update),
      }),
    );
    doc.getMap('meta').set('language', 'python');
    doc.getText('code').insert(0, 'print(1)');
    doc.getMap('meta').set('language', 'go');
    doc.getText('code:q2').insert(0, 'package main');
    doc.getText('code:q2').insert(12, '\n');
    const history = new DocHistory(3);
    history.append(entries);
    expect(history.stateAfter(0).language).toBeNull();
    expect(history.stateAfter(1).language).toBe('python');
    expect(history.stateAfter(2).language).toBe('python');
    expect(history.stateAfter(3).language).toBe('go');
    expect(history.stateAfter(3).texts.get('code:q2')).toBeUndefined();
    expect(history.stateAfter(4).texts.get('code:q2')).toBe('package main');
    expect(history.stateAfter(5).texts.get('code:q2')).toBe('package main\n');
    expect(history.stateAfter(5).texts.get('code')).toBe('print(1)');
  });

  it('skips entries it has', () => {
    const { entries } = syntheticHistory({ seed: 11, edits: 60, durationMs: 60_000 });
    const history = new DocHistory();
    history.append(entries.slice(0, 40));
    expect(history.lastSeq).toBe(entries[39]?.seq);
    history.append(entries); // the first 40 are skipped
    expect(history.length).toBe(entries.length);
    const fresh = new DocHistory();
    fresh.append(entries);
    expect(history.stateAfter(entries.length - 1)).toEqual(fresh.stateAfter(entries.length - 1));
  });
});
