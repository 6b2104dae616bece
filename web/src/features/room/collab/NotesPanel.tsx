// The interviewers' private notes: a second Yjs document (`/ws/yjs/{id}/notes`, Y.Text
// "notes") edited as markdown, with a preview. Only mounted for hosts and interviewers —
// candidates and observers never open this socket (the server would refuse it anyway). The
// notes stay editable after the interview ends: interviewers finish them afterwards.
import { useState } from 'react';
import type * as Y from 'yjs';
import { Markdown } from '../../../components/Markdown';
import { onTabListKeyDown } from '../../../lib/tablistKeys';
import { CollabEditor } from './CollabEditor';
import { ConnectionStatus } from './ConnectionStatus';
import { useYjsDoc } from './useYjsDoc';
import { RemoteCursorStyles } from './RemoteCursorStyles';
import { usePeers, useYText } from './yhooks';

/** The notes document's text type (crates/collab `DocKind::Notes`). */
export const NOTES_TEXT = 'notes';

export function NotesPanel({ interviewId }: { interviewId: string }) {
  const { yjs, connection } = useYjsDoc(interviewId, 'notes');
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const text = yjs ? yjs.doc.getText(NOTES_TEXT) : null;
  // The notes doc has its own client ids, so its cursors need their own rules.
  const peers = usePeers(yjs ? yjs.provider.awareness : null);

  return (
    <aside className="notes" id="room-notes" aria-labelledby="notes-title" data-testid="notes-panel">
      <header className="notes__head">
        <h2 id="notes-title" className="notes__title">
          Private notes
        </h2>
        <ConnectionStatus state={connection} label="notes" />
      </header>
      <p className="notes__hint muted small">Visible to interviewers only. Markdown supported.</p>
      <div className="tabs tabs--compact" role="tablist" aria-label="Notes view" onKeyDown={onTabListKeyDown}>
        {(['write', 'preview'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            className="tabs__tab"
            id={`notes-tab-${m}`}
            aria-controls={`notes-pane-${m}`}
            aria-selected={mode === m}
            tabIndex={mode === m ? 0 : -1}
            onClick={() => setMode(m)}
          >
            {m === 'write' ? 'Write' : 'Preview'}
          </button>
        ))}
      </div>
      <div
        className="notes__pane"
        id="notes-pane-write"
        role="tabpanel"
        aria-labelledby="notes-tab-write"
        hidden={mode !== 'write'}
      >
        <RemoteCursorStyles peers={peers} awareness={yjs?.provider.awareness ?? null} text={text} />
        {text && yjs && (
          <CollabEditor
            text={text}
            awareness={yjs.provider.awareness}
            language="markdown"
            readOnly={connection.phase === 'refused'}
            ariaLabel="Private interview notes (markdown)"
            variant="prose"
            testId="notes-editor"
          />
        )}
      </div>
      {mode === 'preview' && (
        <div
          className="notes__pane notes__preview"
          id="notes-pane-preview"
          role="tabpanel"
          aria-labelledby="notes-tab-preview"
          data-testid="notes-preview"
        >
          <NotesPreview text={text} />
        </div>
      )}
    </aside>
  );
}

function NotesPreview({ text }: { text: Y.Text | null }) {
  const source = useYText(text);
  return source.trim() ? <Markdown source={source} /> : <p className="muted">Nothing written yet.</p>;
}
