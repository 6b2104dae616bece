// Coloured pills for difficulty, interview status, participant and workspace roles, and the
// starter library, with the words they show.
import type { Difficulty, InterviewStatus, Role, WorkspaceRole } from '../api/types';

const STATUS_LABELS: Record<InterviewStatus, string> = {
  scheduled: 'Scheduled',
  live: 'Live',
  ended: 'Ended',
};

const ROLE_LABELS: Record<Role, string> = {
  host: 'Host',
  interviewer: 'Interviewer',
  observer: 'Observer',
  candidate: 'Candidate',
};

export const WORKSPACE_ROLE_LABELS: Record<WorkspaceRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
};

export function DifficultyBadge({ difficulty }: { difficulty: Difficulty }) {
  return <span className={`badge badge--${difficulty}`}>{difficulty}</span>;
}

export function StatusBadge({ status }: { status: InterviewStatus }) {
  return (
    <span className={`badge badge--status-${status}`} data-testid="interview-status">
      {status === 'live' && <span className="badge__dot" aria-hidden="true" />}
      {STATUS_LABELS[status]}
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge badge--role-${role}`}>{ROLE_LABELS[role]}</span>;
}

export function WorkspaceRoleBadge({ role }: { role: WorkspaceRole }) {
  return <span className={`badge badge--workspace-${role}`}>{WORKSPACE_ROLE_LABELS[role]}</span>;
}

/** Marks a question of the built-in starter library (public, read-only). */
export function StarterBadge() {
  return (
    <span className="badge badge--starter" data-testid="starter-badge">
      Starter library
    </span>
  );
}
