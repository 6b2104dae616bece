// The connection pill in the editor toolbar: connecting / synced / offline (reconnecting…) /
// refused. Announced politely to screen readers when it changes.
import { describeConnection, type ConnectionState } from './connectionStatus';

export function ConnectionStatus({ state, label }: { state: ConnectionState; label?: string }) {
  const view = describeConnection(state);
  return (
    <span
      className={`conn conn--${view.tone}`}
      role="status"
      title={view.detail}
      data-testid={label ? `connection-${label}` : 'connection-status'}
      data-phase={state.phase}
    >
      <span className="conn__dot" aria-hidden="true" />
      {view.label}
      <span className="visually-hidden"> {view.detail}</span>
    </span>
  );
}
