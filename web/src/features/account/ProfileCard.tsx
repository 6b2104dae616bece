// Account (a) Profile: the display name (editable) and the email (shown). Saving updates the
// name everywhere at once (the session's user).
import { useState, type FormEvent } from 'react';
import { updateName } from '../../api/account';
import type { User } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { Field, controlProps } from '../../components/Field';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useSession } from '../auth/session';

export function ProfileCard({ user }: { user: User }) {
  const { signedIn } = useSession();
  const [name, setName] = useState(user.name);
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit({
    fieldOrder: ['name'],
    validate: () => (name.trim() ? {} : { name: 'Enter your name.' }),
    submit: async () => {
      const updated = await updateName(name);
      signedIn(updated);
      setName(updated.name);
      setSaved(true);
    },
  });
  const { errors, formError, pending } = form;
  const onSubmit = (e: FormEvent) => {
    setSaved(false);
    void form.onSubmit(e);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={pending}>
      <Card title="Profile">
        <fieldset className="fieldset stack" disabled={pending}>
          <legend className="visually-hidden">Profile</legend>
          {formError && <Alert tone="error">{formError}</Alert>}
          <Field id="name" label="Name" error={errors['name']}>
            <input
              {...controlProps('name', errors['name'])}
              className="input"
              autoComplete="name"
              value={name}
              onChange={(e) => {
                setSaved(false);
                setName(e.target.value);
              }}
            />
          </Field>
          <p className="muted small">
            Email: <strong>{user.email}</strong>
          </p>
          <div className="row">
            <button type="submit" className="btn btn--primary">
              {pending ? 'Saving…' : 'Save name'}
            </button>
            {saved && (
              <span className="muted small" role="status">
                Saved.
              </span>
            )}
          </div>
        </fieldset>
      </Card>
    </form>
  );
}
