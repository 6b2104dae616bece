// Account (b) Password: the current password, the new one twice. The server's answer lands on
// the fields (a wrong current password under "Current password"); on success every other
// browser is signed out, optionally the API tokens too, and the card says how many.
import { useState, type FormEvent } from 'react';
import { changePassword } from '../../api/account';
import type { PasswordChanged } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { Field, controlProps } from '../../components/Field';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { validatePasswordChange } from '../../lib/validation';

const FIELD_ORDER = ['current_password', 'new_password', 'confirm_password'];

function changedMessage(done: PasswordChanged): string {
  const sessions = `${done.sessions_ended} other ${done.sessions_ended === 1 ? 'session' : 'sessions'} signed out`;
  const tokens = done.tokens_revoked
    ? `, ${done.tokens_revoked} API ${done.tokens_revoked === 1 ? 'token' : 'tokens'} revoked`
    : '';
  return `Password changed: ${sessions}${tokens}.`;
}

export function PasswordCard({ onChanged }: { onChanged: (done: PasswordChanged) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [signOutTokens, setSignOutTokens] = useState(false);
  const [done, setDone] = useState<PasswordChanged | null>(null);
  const form = useFormSubmit({
    fieldOrder: FIELD_ORDER,
    validate: () => validatePasswordChange(current, next, confirm),
    submit: async () => {
      const result = await changePassword({
        current_password: current,
        new_password: next,
        sign_out_tokens: signOutTokens,
      });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(result);
      onChanged(result);
    },
  });
  const { errors, formError, pending } = form;
  const onSubmit = (e: FormEvent) => {
    setDone(null);
    void form.onSubmit(e);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={pending}>
      <Card title="Password">
        <fieldset className="fieldset stack" disabled={pending}>
          <legend className="visually-hidden">Change password</legend>
          {formError && <Alert tone="error">{formError}</Alert>}
          {done && <Alert tone="success">{changedMessage(done)}</Alert>}
          <Field id="current_password" label="Current password" error={errors['current_password']}>
            <input
              {...controlProps('current_password', errors['current_password'])}
              type="password"
              className="input"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </Field>
          <div className="form-grid">
            <Field id="new_password" label="New password" error={errors['new_password']} hint="At least 8 characters.">
              <input
                {...controlProps('new_password', errors['new_password'], true)}
                type="password"
                className="input"
                autoComplete="new-password"
                value={next}
                onChange={(e) => setNext(e.target.value)}
              />
            </Field>
            <Field id="confirm_password" label="Confirm new password" error={errors['confirm_password']}>
              <input
                {...controlProps('confirm_password', errors['confirm_password'])}
                type="password"
                className="input"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            </Field>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={signOutTokens} onChange={(e) => setSignOutTokens(e.target.checked)} /> Also
            revoke all API tokens
          </label>
          <p className="muted small">Your other browsers are signed out; this one stays signed in.</p>
          <div>
            <button type="submit" className="btn btn--primary">
              {pending ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </fieldset>
      </Card>
    </form>
  );
}
