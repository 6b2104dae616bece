// The interviewers' warning that this server runs code in a weaker sandbox: the operator let
// runs execute although a protection is missing (`--sandbox-allow-degraded`). The server puts
// the level in the room socket's hello for interviewers only (candidates and observers get
// null and are not told); this shows it as a small banner under the room's bar. For anyone
// else it renders nothing and does not listen at all.
import { useState } from 'react';
import type { Schemas } from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { useRoomEvents } from '../run/useRoomEvents';

export type RunIsolation = Schemas['RunIsolation'];
export type Protection = Schemas['Protection'];

/** What each missing protection means, in a few words (a key for every protection the server names). */
export const PROTECTION_LABELS: Record<Protection, string> = {
  slot_uids: 'a separate user per run',
  namespaces: 'namespaces',
  seccomp: 'the system-call filter',
  memory_cgroup: 'a memory limit for the whole run',
  pids_cgroup: 'a process-count limit',
  cpu_cgroup: 'a CPU limit',
  capped_tmpfs: 'size-capped work directories',
};

export interface SandboxWarningProps {
  interviewId: string;
  /** The viewer's role in the room; only interviewers are told. */
  role: string | null;
}

export function SandboxWarning({ interviewId, role }: SandboxWarningProps) {
  const interviewer = role === 'host' || role === 'interviewer';
  return interviewer ? <InterviewersWarning interviewId={interviewId} /> : null;
}

function InterviewersWarning({ interviewId }: { interviewId: string }) {
  const [isolation, setIsolation] = useState<RunIsolation | null>(null);
  useRoomEvents(interviewId, {
    onEvents: (events) => {
      for (const event of events) {
        if (event.type === 'hello') setIsolation(event.sandbox);
      }
    },
  });
  if (!isolation || isolation.level === 'full') return null;
  const missing = isolation.missing.map((p) => PROTECTION_LABELS[p]).join(', ');
  return (
    <div className="room__notice" data-testid="sandbox-warning">
      <Alert tone="warning" title="Code runs in a weaker sandbox.">
        This server runs code without {missing || 'some protections'}: its operator allowed it. Only interviewers see
        this.
      </Alert>
    </div>
  );
}
