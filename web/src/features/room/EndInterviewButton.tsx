// The host's "End interview" button in the room bar, with a confirmation: the same end as on
// the interview page (POST /api/interviews/{id}/end). The room then turns read-only for code
// (the status changes in the detail it hands back) and the candidate is shown the ended screen.
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { endInterview } from '../../api/interviews';
import type { Interview } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';

export interface EndInterviewButtonProps {
  interviewId: string;
  onEnded: (interview: Interview) => void;
}

export function EndInterviewButton({ interviewId, onEnded }: EndInterviewButtonProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      onEnded(await endInterview(interviewId));
      setOpen(false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="btn btn--danger-outline btn--small"
        onClick={() => setOpen(true)}
        data-testid="room-end-interview"
      >
        End interview
      </button>
      <ConfirmDialog
        open={open}
        title="End this interview?"
        confirmLabel="End interview"
        busy={busy}
        onConfirm={() => void end()}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
      >
        <p>
          The candidate will be disconnected and cannot rejoin. The code becomes read-only; interviewers can still
          finish their notes.
        </p>
        {error && (
          <p role="alert" className="field__error">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
