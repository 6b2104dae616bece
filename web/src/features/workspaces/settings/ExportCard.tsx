// Settings (d) Export (owners and admins): downloads the whole workspace as one JSON file
// (`GET /api/workspaces/{id}/export`), named codeview-<workspace-name>-<date>.json.
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import type { Workspace } from '../../../api/types';
import { exportWorkspace } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { Card } from '../../../components/Card';
import { saveBlob } from '../../../lib/download';
import { exportFileName } from './exportFileName';

export function ExportCard({ workspace }: { workspace: Workspace }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onExport = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await exportWorkspace(workspace.id);
      saveBlob(blob, exportFileName(workspace.name, new Date()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Export" bodyClassName="stack">
      <p className="muted">
        Everything in {workspace.name} as one JSON file: settings, members, questions (hidden test cases included) and
        interviews with their runs. Keep it somewhere safe.
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      <div>
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => void onExport()}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? 'Preparing export…' : 'Download export'}
        </button>
      </div>
    </Card>
  );
}
