// Whole-panel error display for failed loads, with a retry button when one makes sense.
import { ApiError, errorMessage } from '../api/client';
import { Alert } from './Alert';

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const title =
    error instanceof ApiError && error.status === 404
      ? 'Not found'
      : error instanceof ApiError && error.status === 403
        ? 'No access'
        : 'Could not load this';
  return (
    <Alert tone="error" title={title}>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="btn btn--secondary btn--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </Alert>
  );
}
