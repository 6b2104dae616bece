// Why a run could not be started, as an alert under the toolbar: a title for the kind of refusal
// (budget used up, not allowed, rejected), the server's message, the fields it rejected, and
// Dismiss.
import type { JSX } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { Alert } from '../../../components/Alert';

const START_FAILED = 'Could not start the run';
const TITLE_BY_STATUS: Record<number, string> = {
  429: 'Run budget used up',
  403: 'Not allowed to run',
  422: 'The run was rejected',
};

export function RunStartError({ error, onDismiss }: { error: unknown; onDismiss: () => void }): JSX.Element {
  const apiError = error instanceof ApiError ? error : null;
  const title = (apiError && TITLE_BY_STATUS[apiError.status]) ?? START_FAILED;
  const fields = apiError ? Object.entries(apiError.fields) : [];
  return (
    <div className="run-panel__error" data-testid="run-error">
      <Alert tone={apiError?.status === 429 ? 'warning' : 'error'} title={title}>
        <p>{errorMessage(error)}</p>
        {fields.length > 0 && (
          <ul>
            {fields.map(([field, why]) => (
              <li key={field}>
                <code>{field}</code>: {why}
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="btn btn--ghost btn--small" onClick={onDismiss}>
          Dismiss
        </button>
      </Alert>
    </div>
  );
}
