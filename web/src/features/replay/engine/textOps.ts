// A change to a plain text as a list of steps, the way a Y.Text delta says it: keep `n`
// characters (a positive number), insert a string, or delete `n` characters (a negative
// number). The replay records each history entry's change to each text once, while the
// entries are applied to a real Y.Doc, and from then on seeks with plain strings: applying a
// few hundred steps to a checkpoint's text is far cheaper than decoding Yjs updates again.
// Indices count UTF-16 code units, as Y.Text and Monaco do.

/** Keep `n` characters (n > 0), insert the string, or delete `-n` characters (n < 0). */
export type TextOp = number | string;

/** One Y.Text delta step (Yjs' `YTextEvent.delta`); attributes do not change the text. */
export interface DeltaStep {
  insert?: unknown;
  retain?: number;
  delete?: number;
}

/**
 * The steps of a Y.Text delta. An embedded object (never written by CodeView's clients) is
 * left out: `Y.Text.toString()` leaves it out too, but it still counts in the delta's indices,
 * so a text holding one would be replayed shifted after it.
 */
export function opsOfDelta(delta: readonly DeltaStep[]): TextOp[] {
  const ops: TextOp[] = [];
  for (const step of delta) {
    if (typeof step.insert === 'string') {
      if (step.insert) ops.push(step.insert);
    } else if (step.retain) ops.push(step.retain);
    else if (step.delete) ops.push(-step.delete);
  }
  while (ops.length > 0 && typeof ops[ops.length - 1] === 'number' && (ops[ops.length - 1] as number) > 0) ops.pop();
  return ops;
}

/** `text` after `ops`. */
export function applyOps(text: string, ops: readonly TextOp[]): string {
  let out = '';
  let pos = 0;
  for (const op of ops) {
    if (typeof op === 'string') out += op;
    else if (op > 0) {
      out += text.slice(pos, pos + op);
      pos += op;
    } else pos -= op;
  }
  return pos === 0 ? out + text : out + text.slice(pos);
}

/**
 * Where an index of the text before `ops` is after them. It sticks to the character on its
 * left: text inserted exactly at it goes after it, as a typist's caret stays after what they
 * typed; deleting the text around it moves it to where the deletion was.
 */
export function transformIndex(index: number, ops: readonly TextOp[]): number {
  let old = 0;
  let shift = 0;
  for (const op of ops) {
    if (old >= index) break;
    if (typeof op === 'string') shift += op.length;
    else if (op > 0) old += op;
    else {
      shift -= Math.min(-op, index - old);
      old -= op;
    }
  }
  return index + shift;
}

/** The index just after the last insertion or deletion of `ops`, in the text after them; null if they change nothing. */
export function indexAfterLastChange(ops: readonly TextOp[]): number | null {
  let pos = 0;
  let last: number | null = null;
  for (const op of ops) {
    if (typeof op === 'string') {
      pos += op.length;
      last = pos;
    } else if (op > 0) pos += op;
    else last = pos;
  }
  return last;
}
