// Account (d) API tokens: create one with a name and a lifetime (its secret is shown once, with
// a copy button), list them with their last use and expiry, revoke one after a confirmation.
import { useState, type FormEvent } from 'react';
import { createToken, listTokens, revokeToken } from '../../api/account';
import { errorMessage } from '../../api/client';
import type { ApiToken, CreatedToken } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { ErrorState } from '../../components/ErrorState';
import { Field, controlProps } from '../../components/Field';
import { LoadingBlock } from '../../components/Spinner';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { useFormSubmit } from '../../lib/useFormSubmit';

/** Lifetimes offered, in days; the server's default is 90 and its limit 365. */
const LIFETIMES = [7, 30, 90, 180, 365] as const;

const isExpired = (token: ApiToken) => new Date(token.expires_at).getTime() <= Date.now();

export function TokensCard() {
  const tokens = useAsync((signal) => listTokens(signal), []);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const form = useFormSubmit({
    fieldOrder: ['name', 'expires_in_days'],
    fieldIds: { name: 'token-name', expires_in_days: 'token-expiry' },
    validate: () => (name.trim() ? {} : { name: 'Name the token (what will use it?).' }),
    submit: async () => {
      const made = await createToken(name, Number(days));
      setCreated(made);
      setName('');
      tokens.reload();
    },
  });
  const onSubmit = (e: FormEvent) => {
    setCreated(null);
    void form.onSubmit(e);
  };

  const onRevoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setError(null);
    try {
      await revokeToken(revoking.id);
      tokens.setData((prev) => (prev ?? []).filter((t) => t.id !== revoking.id));
      if (created?.id === revoking.id) setCreated(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  return (
    <Card title="API tokens" bare>
      <div className="card__body stack">
        <p className="muted small">
          For scripts and CI: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you.
        </p>
        <form onSubmit={onSubmit} noValidate aria-busy={form.pending}>
          <fieldset className="fieldset stack" disabled={form.pending}>
            <legend className="visually-hidden">Create an API token</legend>
            {form.formError && <Alert tone="error">{form.formError}</Alert>}
            <div className="form-grid">
              <Field id="token-name" label="Token name" error={form.errors['name']}>
                <input
                  {...controlProps('token-name', form.errors['name'])}
                  className="input"
                  placeholder="e.g. CI pipeline"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                />
              </Field>
              <Field id="token-expiry" label="Expires after" error={form.errors['expires_in_days']}>
                <select
                  {...controlProps('token-expiry', form.errors['expires_in_days'])}
                  className="select"
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                >
                  {LIFETIMES.map((d) => (
                    <option key={d} value={d}>
                      {d} days
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div>
              <button type="submit" className="btn btn--primary">
                {form.pending ? 'Creating…' : 'Create token'}
              </button>
            </div>
          </fieldset>
        </form>
        {created && (
          <Alert tone="success" title={`Token “${created.name}” created`}>
            <p>Copy it now: it is shown only once.</p>
            <div className="row">
              <code className="cell-wrap" data-testid="new-token">
                {created.token}
              </code>
              <CopyButton text={created.token} label="Copy token" />
            </div>
          </Alert>
        )}
        {error && <Alert tone="error">{error}</Alert>}
      </div>
      {tokens.loading && !tokens.data ? (
        <LoadingBlock label="Loading tokens…" />
      ) : tokens.error ? (
        <div className="card__body">
          <ErrorState error={tokens.error} onRetry={tokens.reload} />
        </div>
      ) : (tokens.data ?? []).length === 0 ? (
        <p className="card__body muted">No API tokens yet.</p>
      ) : (
        <table className="table table--stack" data-testid="tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id}>
                <td data-label="Name" className="cell-wrap">
                  <strong>{t.name}</strong>
                </td>
                <td data-label="Created">{formatDateTime(t.created_at)}</td>
                <td data-label="Last used">{t.last_used_at ? formatDateTime(t.last_used_at) : 'Never'}</td>
                <td data-label="Expires">
                  {formatDateTime(t.expires_at)}
                  {isExpired(t) && <span className="muted small"> (expired)</span>}
                </td>
                <td className="table__actions">
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    onClick={() => setRevoking(t)}
                    aria-label={`Revoke ${t.name}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        busy={busy}
        onConfirm={() => void onRevoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Anything using this token stops working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </Card>
  );
}
