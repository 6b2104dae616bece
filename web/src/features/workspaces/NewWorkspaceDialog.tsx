// "New workspace…": a small dialog asking for a name; creates the workspace, makes it the
// current one and opens its dashboard. The server's message (a quota, say) and its field
// errors are shown in the dialog.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { createWorkspace } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field, controlProps } from '../../components/Field';
import { useWorkspaces } from './currentWorkspace';

export function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { joined } = useWorkspaces();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setName('');
    setNameError(undefined);
    setFormError(null);
    onClose();
  };

  const onCreate = async () => {
    if (!name.trim()) {
      setNameError('Give the workspace a name.');
      return;
    }
    setBusy(true);
    setNameError(undefined);
    setFormError(null);
    try {
      const workspace = await createWorkspace(name.trim());
      joined(workspace);
      close();
      navigate(`/?workspace=${encodeURIComponent(workspace.id)}`);
    } catch (error) {
      const fieldError = error instanceof ApiError ? error.fields['name'] : undefined;
      if (fieldError) setNameError(fieldError);
      else setFormError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open={open}
      title="New workspace"
      confirmLabel="Create workspace"
      danger={false}
      busy={busy}
      onConfirm={() => void onCreate()}
      onCancel={close}
    >
      <div className="form">
        <p>
          A workspace is a hiring team: its questions and interviews are shared by its members. You will be its owner.
        </p>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="new-workspace-name" label="Name" error={nameError}>
          <input
            {...controlProps('new-workspace-name', nameError)}
            className="input"
            placeholder="e.g. Platform team"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
      </div>
    </ConfirmDialog>
  );
}
