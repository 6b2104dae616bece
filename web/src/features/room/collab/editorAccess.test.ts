// Who types in the shared code editor: the editor lock holds the candidate only, the end
// freezes everyone, observers never type; the candidate's document restarts at lock and unlock.
import { describe, expect, it } from 'vitest';
import { codeEditorAccess } from './editorAccess';

const open = { editor_locked: false };
const locked = { editor_locked: true };

describe('codeEditorAccess', () => {
  it('makes the locked candidate read-only, and only them', () => {
    expect(codeEditorAccess('candidate', 'live', locked, false)).toMatchObject({
      readOnly: true,
      editorLocked: true,
      lockedOut: true,
    });
    for (const role of ['host', 'interviewer'] as const) {
      expect(codeEditorAccess(role, 'live', locked, false)).toMatchObject({
        readOnly: false,
        editorLocked: true,
        lockedOut: false,
      });
    }
    expect(codeEditorAccess('observer', 'live', locked, false)).toMatchObject({ readOnly: true, lockedOut: false });
    expect(codeEditorAccess('candidate', 'live', open, false)).toMatchObject({ readOnly: false, editorLocked: false });
  });

  it('freezes the code for everyone after the end, lock or not', () => {
    for (const role of ['host', 'interviewer', 'candidate', 'observer'] as const) {
      expect(codeEditorAccess(role, 'ended', open, false).readOnly).toBe(true);
      expect(codeEditorAccess(role, 'ended', locked, false).editorLocked).toBe(false);
    }
  });

  it('is read-only when the socket was refused', () => {
    expect(codeEditorAccess('host', 'live', open, true).readOnly).toBe(true);
  });

  it("restarts the candidate's document at each lock and unlock, nobody else's", () => {
    expect(codeEditorAccess('candidate', 'live', open, false).epoch).not.toBe(
      codeEditorAccess('candidate', 'live', locked, false).epoch,
    );
    expect(codeEditorAccess('host', 'live', open, false).epoch).toBe(
      codeEditorAccess('host', 'live', locked, false).epoch,
    );
  });
});
