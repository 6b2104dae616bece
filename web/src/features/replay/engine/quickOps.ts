// The change a transaction made to a Y.Text, without Yjs' `event.delta`. The delta walks the
// whole text for every event (and checks each item against the delete set): over a 20,000-
// keystroke history that is seconds. Nearly every history entry is one keystroke: one inserted
// item, or one deleted one. For those, this finds the item among the transaction's new structs
// (or its delete set) and counts the visible characters on its shorter side, walking left and
// right at once (typing at the end of the text costs a few steps). Anything else — several
// items, an offline batch, an embed — answers null and the caller takes `event.delta`.
// It reads Yjs' structures (`Item.left/right`, the store, the state vectors) as of yjs 13.6,
// pinned in package.json; the engine's tests compare every answer with the delta's.
import * as Y from 'yjs';
import type { TextOp } from './textOps';

/** Structures of Yjs 13.6 read here that its typings mark internal. */
interface StructLike {
  id: Y.ID;
  length: number;
}

/** The one item of `text` that `transaction` inserted, or deleted; null when there are several, none, or others. */
function singleChangedItem(text: Y.Text, transaction: Y.Transaction): { item: Y.Item; inserted: boolean } | null {
  const store = transaction.doc.store;
  let found: { item: Y.Item; inserted: boolean } | null = null;
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = store.clients.get(client) as StructLike[] | undefined;
    if (!structs) continue;
    let index = Y.findIndexSS(structs as never, before);
    for (; index < structs.length; index++) {
      const struct = structs[index] as StructLike;
      if (struct.id.clock < before) return null;
      if (!(struct instanceof Y.Item) || struct.parent !== text) continue;
      // Inserted and deleted in the same transaction: no change to the text.
      if (struct.deleted) continue;
      if (found || !struct.countable || !(struct.content instanceof Y.ContentString)) return null;
      found = { item: struct, inserted: true };
    }
  }
  for (const [client, ranges] of transaction.deleteSet.clients) {
    const structs = store.clients.get(client) as StructLike[] | undefined;
    if (!structs) continue;
    const before = transaction.beforeState.get(client) ?? 0;
    for (const range of ranges) {
      const end = range.clock + range.len;
      for (let index = Y.findIndexSS(structs as never, range.clock); index < structs.length; index++) {
        const struct = structs[index] as StructLike;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.parent !== text) continue;
        if (struct.id.clock >= before) continue; // inserted by this transaction too: no change
        if (struct.id.clock < range.clock || struct.id.clock + struct.length > end) return null;
        if (found || !struct.countable) return null;
        found = { item: struct, inserted: false };
      }
    }
  }
  return found;
}

/** Visible characters of `text` before `item` (itself excluded), walking both ways and stopping at the nearer end. */
function visibleIndex(text: Y.Text, item: Y.Item): number {
  const visible = (node: Y.Item) => (!node.deleted && node.countable ? node.length : 0);
  let left = item.left;
  let right = item.right;
  let leftCount = 0;
  let rightCount = 0;
  for (;;) {
    if (left === null) return leftCount;
    if (right === null) return text.length - rightCount - visible(item);
    leftCount += visible(left);
    rightCount += visible(right);
    left = left.left;
    right = right.right;
  }
}

/** The transaction's change to `text` as text steps, or null when it is not a single insert or delete. */
export function quickOps(text: Y.Text, transaction: Y.Transaction): TextOp[] | null {
  const change = singleChangedItem(text, transaction);
  if (!change) return null;
  const index = visibleIndex(text, change.item);
  const step: TextOp = change.inserted ? (change.item.content as Y.ContentString).str : -change.item.length;
  return index > 0 ? [index, step] : [step];
}
