// Settings (e) Danger zone (owners): deletes the workspace with everything in it, after a
// confirmation that asks for the workspace's name to be typed.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../../api/client';
import type { Workspace } from '../../../api/types';
import { deleteWorkspace } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Field } from '../../../components/Field';
import { useWorkspaces } from '../currentWorkspace';

export function DangerZoneCard({ workspace }: { workspace: Workspace }) {
  const { gone } = useWorkspaces();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setOpen(false);
    setTyped('');
  };

  const onDelete = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteWorkspace(workspace.id);
      gone(workspace.id);
      navigate('/', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      close();
      setBusy(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="danger-zone-title" data-testid="danger-zone">
      <div className="card__header">
        <h2 className="card__title" id="danger-zone-title">
          Danger zone
        </h2>
      </div>
      <div className="card__body stack">
        {error && <Alert tone="error">{error}</Alert>}
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <div>
            <strong>Delete this workspace</strong>
            <div className="muted small">
              Its questions, interviews (their rooms close), runs, invitations and memberships are deleted.
            </div>
          </div>
          <button type="button" className="btn btn--danger-outline" onClick={() => setOpen(true)}>
            Delete workspace
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={open}
        title={`Delete ${workspace.name}?`}
        confirmLabel="Delete workspace"
        busy={busy}
        confirmDisabled={typed !== workspace.name}
        onConfirm={() => void onDelete()}
        onCancel={close}
      >
        <div className="form">
          <p>
            This deletes all of its questions, interviews and runs for all {workspace.member_count}{' '}
            {workspace.member_count === 1 ? 'member' : 'members'}. It cannot be undone.
          </p>
          <Field
            id="confirm-workspace-name"
            label={
              <>
                Type <strong>{workspace.name}</strong> to confirm
              </>
            }
          >
            <input
              id="confirm-workspace-name"
              className="input"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </Field>
        </div>
      </ConfirmDialog>
    </section>
  );
}
