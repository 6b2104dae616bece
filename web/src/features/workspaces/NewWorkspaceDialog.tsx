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
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useWorkspaces } from './currentWorkspace';

const NAME_ID = 'new-workspace-name';

export function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { joined } = useWorkspaces();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const form = useFormSubmit({
    fieldOrder: ['name'],
    fieldIds: { name: NAME_ID },
    validate: () => (name.trim() ? {} : { name: 'Give the workspace a name.' }),
    submit: async () => {
      const workspace = await createWorkspace(name.trim());
      joined(workspace);
      close();
      navigate(`/?workspace=${encodeURIComponent(workspace.id)}`);
    },
    // The server's message (a quota, say) goes above the field.
    failure: (error) => {
      const refused = error instanceof ApiError ? error.fields['name'] : undefined;
      return refused ? { fields: { name: refused } } : { form: errorMessage(error) };
    },
  });
  const nameError = form.errors['name'];

  function close() {
    setName('');
    form.reset();
    onClose();
  }

  return (
    <ConfirmDialog
      open={open}
      title="New workspace"
      confirmLabel="Create workspace"
      danger={false}
      busy={form.pending}
      onConfirm={() => void form.onSubmit()}
      onCancel={close}
    >
      <div className="form">
        <p>
          A workspace is a hiring team: its questions and interviews are shared by its members. You will be its owner.
        </p>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <Field id={NAME_ID} label="Name" error={nameError}>
          <input
            {...controlProps(NAME_ID, nameError)}
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
