// The cheap change of a keystroke equals Yjs' own delta, for every event of a random history
// with several authors and offline batches (those take the delta).
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { bytesOfBase64 } from './base64';
import { quickOps } from './quickOps';
import { syntheticHistory } from './syntheticHistory';
import { opsOfDelta, type DeltaStep } from './textOps';

describe('quickOps', () => {
  it('equals the delta whenever it answers, and answers for single keystrokes', () => {
    const { entries, textNames } = syntheticHistory({ seed: 3, edits: 3000, durationMs: 900_000, offlineChance: 0.01 });
    const doc = new Y.Doc();
    let answered = 0;
    let declined = 0;
    for (const name of textNames) {
      const text = doc.getText(name);
      text.observe((event) => {
        const quick = quickOps(text, event.transaction);
        if (quick === null) declined++;
        else {
          answered++;
          expect(quick).toEqual(opsOfDelta(event.delta as DeltaStep[]));
        }
      });
    }
    for (const entry of entries) Y.applyUpdate(doc, bytesOfBase64(entry.update));
    expect(answered).toBeGreaterThan(entries.length * 0.9);
    expect(declined).toBeGreaterThan(0); // offline batches
  });

  it('declines a transaction that inserts and deletes', () => {
    const doc = new Y.Doc();
    const text = doc.getText('code');
    text.insert(0, 'abcdef');
    let seen: unknown = 'not called';
    text.observe((event) => {
      seen = quickOps(text, event.transaction);
    });
    doc.transact(() => {
      text.delete(1, 2);
      text.insert(0, 'X');
    });
    expect(seen).toBeNull();
  });
});
