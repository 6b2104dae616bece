// "Insert starter code": offered to interviewers when the shared code is empty and the active
// question has starter code for the room language. Never automatic — every client inserting
// on first sync would duplicate the text in the CRDT — and the insert re-checks emptiness
// inside the transaction, so two clicks (or two interviewers) cannot stack copies locally.
import type * as Y from 'yjs';
import { useYTextIsEmpty } from './yhooks';

export function StarterCodeButton({ text, starterCode }: { text: Y.Text; starterCode: string }) {
  const empty = useYTextIsEmpty(text);
  if (!empty || starterCode === '') return null;
  return (
    <button
      type="button"
      className="btn btn--secondary btn--small"
      onClick={() => {
        text.doc?.transact(() => {
          if (text.length === 0) text.insert(0, starterCode);
        });
      }}
    >
      Insert starter code
    </button>
  );
}
