// Unit tests for what y-monaco sees of the awareness: an observer never publishes a selection,
// observers' selections are never drawn, and remote carets are located in the text.
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { caretIndex, caretsOf, clientsWithCaret, editorAwareness, statesWithoutObservers } from './cursorAwareness';

function selectionAt(text: Y.Text, anchor: number, head: number) {
  return {
    anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, anchor)),
    head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, head)),
  };
}

function setup() {
  const doc = new Y.Doc();
  const text = doc.getText('code');
  text.insert(0, 'first line\nsecond');
  return { doc, text, awareness: new Awareness(doc) };
}

describe('editorAwareness', () => {
  it('an observer’s editor never sets a selection, but keeps other fields', () => {
    const { text, awareness } = setup();
    const view = editorAwareness(awareness, false);
    view.setLocalStateField('selection', selectionAt(text, 0, text.length));
    view.setLocalStateField('user', { name: 'Olly' });
    expect(awareness.getLocalState()).toEqual({ user: { name: 'Olly' } });
  });
  it('everyone else’s editor publishes its selection', () => {
    const { text, awareness } = setup();
    editorAwareness(awareness, true).setLocalStateField('selection', selectionAt(text, 0, 3));
    expect(awareness.getLocalState()?.['selection']).toBeDefined();
  });
  it('passes change listeners through', () => {
    const { awareness } = setup();
    const view = editorAwareness(awareness, true);
    let calls = 0;
    const listener = () => (calls += 1);
    view.on('change', listener);
    awareness.setLocalStateField('user', { name: 'A' });
    view.off('change', listener);
    awareness.setLocalStateField('user', { name: 'B' });
    expect(calls).toBe(1);
  });
});

describe('remote states', () => {
  const states = (text: Y.Text) =>
    new Map<number, unknown>([
      [1, { user: { id: 'a', name: 'Ann', role: 'candidate' }, selection: selectionAt(text, 13, 13) }],
      [2, { user: { id: 'o', name: 'Olly', role: 'observer' }, selection: selectionAt(text, 0, 17) }],
      [3, { user: { id: 'h', name: 'Hana', role: 'host' } }],
      [9, { user: { id: 's', name: 'Self', role: 'host' }, selection: selectionAt(text, 0, 0) }],
    ]);

  it('drops observers’ states before y-monaco draws them', () => {
    const { text } = setup();
    expect([...statesWithoutObservers(states(text)).keys()]).toEqual([1, 3, 9]);
  });
  it('lists remote carets, not our own or an observer’s', () => {
    const { text } = setup();
    expect(clientsWithCaret(states(text), 9)).toEqual([1]);
  });
  it('locates a caret by line and column', () => {
    const { text } = setup();
    expect(caretsOf(states(text), [1], text)).toEqual([{ clientId: 1, line: 1, column: 2, name: 'Ann' }]);
  });
  it('ignores malformed positions from the wire', () => {
    const { text } = setup();
    expect(caretIndex({ selection: { anchor: 'x', head: { item: 42 } } }, text)).toBeNull();
    expect(caretIndex({ selection: null }, text)).toBeNull();
    expect(caretIndex('nope', text)).toBeNull();
  });
});
