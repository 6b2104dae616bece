// "Insert starter code" / "Reset to starter code": offered to interviewers when the active
// question has starter code for the room language. Inserting into an empty text needs no
// confirmation; resetting edited code asks first. Either way the whole text is replaced in one
// Yjs transaction that re-checks the content inside it, so two clicks (or two interviewers)
// cannot stack copies. Never automatic on the client: the server seeds every question's text
// when the interview starts.
import { useState } from 'react';
import type * as Y from 'yjs';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { replaceText } from './languageSwitch';
import { useYText } from './yhooks';

export interface StarterCodeButtonProps {
  text: Y.Text;
  starterCode: string;
  /** The room language's label, e.g. "Python". */
  languageLabel: string;
}

export function StarterCodeButton({ text, starterCode, languageLabel }: StarterCodeButtonProps) {
  const code = useYText(text);
  const [confirming, setConfirming] = useState(false);
  if (starterCode === '' || code === starterCode) return null;
  const reset = () => {
    setConfirming(false);
    text.doc?.transact(() => replaceText(text, starterCode));
  };
  const empty = code === '';
  return (
    <>
      <button
        type="button"
        className="btn btn--secondary btn--small"
        data-testid="starter-code"
        onClick={() => (empty ? reset() : setConfirming(true))}
      >
        {empty ? 'Insert starter code' : 'Reset to starter code'}
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Replace this question's code with the ${languageLabel} starter code?`}
        confirmLabel="Reset"
        onConfirm={reset}
        onCancel={() => setConfirming(false)}
      >
        <p>The code everyone sees in the editor is replaced. Undo (Ctrl+Z) brings it back.</p>
      </ConfirmDialog>
    </>
  );
}
