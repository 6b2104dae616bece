// What the editor binding (y-monaco) sees of an awareness. y-monaco publishes the local
// selection as the `selection` field on every cursor move and draws every remote state's
// `selection`. An observer publishes none (the server drops it too, docs/collab.md), and no
// observer's selection is drawn even if one arrives. Remote carets are read here as well, for
// the name labels (useCursorLabels).
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { parsePeerUser } from './awarenessPeers';
import type { Caret } from './cursorLabels';

/** The awareness field y-monaco writes: `{ anchor, head }` as Y.RelativePosition JSON. */
export const SELECTION_FIELD = 'selection';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObserverState(state: unknown): boolean {
  return parsePeerUser(state)?.role === 'observer';
}

/** The states minus observers' (they never have a cursor to draw). */
export function statesWithoutObservers<T>(states: ReadonlyMap<number, T>): Map<number, T> {
  return new Map([...states].filter(([, state]) => !isObserverState(state)));
}

/** The part of an awareness y-monaco uses. */
type BindingAwareness = Pick<Awareness, 'getStates' | 'on' | 'off' | 'setLocalStateField'>;

/**
 * The awareness to hand to y-monaco: with `publish` false (observers) the local selection is
 * never set, so it is never sent; observers' states are never drawn.
 */
export function editorAwareness(awareness: Awareness, publish: boolean): Awareness {
  const view: BindingAwareness = {
    getStates: () => statesWithoutObservers(awareness.getStates()),
    on: (name, handler) => awareness.on(name, handler),
    off: (name, handler) => awareness.off(name, handler),
    setLocalStateField: (field, value) => {
      if (publish || field !== SELECTION_FIELD) awareness.setLocalStateField(field, value);
    },
  };
  // y-monaco takes an Awareness but only calls the four methods above.
  return view as Awareness;
}

/** The text index of a state's selection head in `text`, or null when it has none there. */
export function caretIndex(state: unknown, text: Y.Text): number | null {
  if (!isRecord(state)) return null;
  const selection = state[SELECTION_FIELD];
  if (!isRecord(selection) || selection['head'] == null || selection['anchor'] == null || !text.doc) return null;
  try {
    const head = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(selection['head']),
      text.doc,
    );
    return head && head.type === text ? head.index : null;
  } catch {
    return null; // malformed position from the wire
  }
}

/** Remote clients (not `selfId`, not observers) that have a selection. */
export function clientsWithCaret(states: ReadonlyMap<number, unknown>, selfId: number): number[] {
  const ids: number[] = [];
  for (const [id, state] of states) {
    if (id === selfId || isObserverState(state)) continue;
    const selection = isRecord(state) ? state[SELECTION_FIELD] : null;
    if (isRecord(selection) && selection['head'] != null) ids.push(id);
  }
  return ids;
}

/** Where the carets of `clientIds` are drawn in `text` (clients without a caret there are left out). */
export function caretsOf(states: ReadonlyMap<number, unknown>, clientIds: readonly number[], text: Y.Text): Caret[] {
  if (clientIds.length === 0) return [];
  const content = text.toString();
  const carets: Caret[] = [];
  for (const clientId of clientIds) {
    const state = states.get(clientId);
    const index = caretIndex(state, text);
    if (index === null) continue;
    const before = content.slice(0, index);
    const lineStart = before.lastIndexOf('\n') + 1;
    carets.push({
      clientId,
      line: before.split('\n').length - 1,
      column: index - lineStart,
      name: parsePeerUser(state)?.name ?? '',
    });
  }
  return carets;
}
