// Who is in the interview and who is here right now: every participant from the interview
// detail, marked online when one of their tabs is connected to the code document.
import type { Role } from '../../../api/types';
import type { Presence } from './awarenessPeers';

const ROLE_LABELS: Record<Role, string> = {
  host: 'Host',
  interviewer: 'Interviewer',
  observer: 'Observer',
  candidate: 'Candidate',
};

export function Participants({ presence }: { presence: readonly Presence[] }) {
  const online = presence.filter((p) => p.online).length;
  return (
    <div className="presence" data-testid="room-participants">
      <span className="visually-hidden">
        {online} of {presence.length} participants online
      </span>
      <ul className="presence__list" aria-label="Participants">
        {presence.map(({ participant, online: isOnline, isSelf, color }) => (
          <li
            key={participant.id}
            className={`presence__item${isOnline ? ' presence__item--online' : ''}`}
            data-testid="room-participant"
            data-online={isOnline}
            title={`${participant.name} · ${ROLE_LABELS[participant.role]} · ${isOnline ? 'online' : 'offline'}`}
          >
            <span
              className="presence__dot"
              aria-hidden="true"
              style={isOnline && color ? { background: color } : undefined}
            />
            <span className="presence__name">
              {participant.name}
              {isSelf && <span className="muted"> (you)</span>}
            </span>
            <span className="presence__role">{ROLE_LABELS[participant.role]}</span>
            <span className="visually-hidden">{isOnline ? ', online' : ', offline'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
