// Coloured pills for difficulty, interview status and participant role.
import type { Difficulty, InterviewStatus, Role } from '../api/types';

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
