// Who may type in the shared code editor, mirroring the server (docs/roles.md): interviewers
// until the end, the candidate while live unless the interviewers locked the editor, observers
// never. Also the document's epoch: the candidate's code document starts afresh from the
// server's state at each status change and at each lock and unlock (the server drops what a
// locked candidate sends, so nothing typed in between may linger). Pure, so it is unit-tested.
import type { InterviewControls, Role } from '../../../api/types';

export interface CodeEditorAccess {
  /** The editor is read-only for this viewer. */
  readOnly: boolean;
  /** The interviewers locked the candidate's editor (shown to everyone while live). */
  editorLocked: boolean;
  /** This viewer is the candidate held by that lock. */
  lockedOut: boolean;
  /** `useYjsDoc`'s epoch for the code document. */
  epoch: string;
}

export function codeEditorAccess(
  role: Role | null,
  status: 'scheduled' | 'live' | 'ended',
  controls: Pick<InterviewControls, 'editor_locked'>,
  refused: boolean,
): CodeEditorAccess {
  const live = status === 'live';
  const isInterviewer = role === 'host' || role === 'interviewer';
  const canEdit = status !== 'ended' && (isInterviewer || (role === 'candidate' && live));
  const editorLocked = live && controls.editor_locked;
  const lockedOut = role === 'candidate' && editorLocked;
  return {
    readOnly: !canEdit || refused || lockedOut,
    editorLocked,
    lockedOut,
    epoch: role === 'candidate' ? `${status}:${controls.editor_locked ? 'locked' : 'open'}` : status,
  };
}
