// Gate for the pages that work inside a workspace: waits for the workspace list, shows a load
// error with Retry, and when the person belongs to no workspace (they left their last one, or
// an invite they registered through failed) offers to create one instead of broken pages.
import { useState, type ReactNode } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useWorkspaces } from './currentWorkspace';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';

export function RequireWorkspace({ children }: { children: ReactNode }) {
  const { state, reload } = useWorkspaces();
  if (state.kind === 'signed-out' || state.kind === 'loading') return <LoadingBlock label="Loading your workspaces…" />;
  if (state.kind === 'error') return <ErrorState error={state.error} onRetry={reload} />;
  if (state.workspaces.length === 0) return <NoWorkspace />;
  return <>{children}</>;
}

function NoWorkspace() {
  const [creating, setCreating] = useState(false);
  return (
    <section className="card">
      <EmptyState title="You are not in any workspace">
        <p>
          Questions and interviews live in workspaces (hiring teams). Create one for your team, or ask a colleague to
          invite you to theirs.
        </p>
        <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
          Create a workspace
        </button>
      </EmptyState>
      <NewWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </section>
  );
}
