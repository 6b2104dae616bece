// Catches a failure to load or render the room workspace (the Monaco + Yjs chunk): typically a
// chunk that 404s because a new version was deployed while the page was open. Shows a reload
// button instead of a blank room; the question panel next to it keeps working.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert } from '../../components/Alert';

interface State {
  error: Error | null;
}

export class WorkspaceBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('room workspace failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="room__panel" data-testid="workspace-error">
        <Alert tone="error" title="The editor could not be loaded.">
          <p>Reload the page to try again. Your code is kept on the server.</p>
          <button type="button" className="btn btn--secondary btn--small" onClick={() => window.location.reload()}>
            Reload
          </button>
        </Alert>
      </div>
    );
  }
}
