// The live notice an interviewer sees while the interview is scheduled and the candidate has
// the lobby open: "Casey is waiting in the lobby", with the Start button right beside it.
import type { PresenceEntry } from '../../api/types';
import './presence.css';

export interface LobbyBannerProps {
  candidate: PresenceEntry;
  onStart: () => void;
  starting: boolean;
}

export function LobbyBanner({ candidate, onStart, starting }: LobbyBannerProps) {
  return (
    <div className="lobby-banner" role="status" aria-live="polite" data-testid="lobby-banner">
      <span className="lobby-banner__dot" aria-hidden="true" />
      <span className="lobby-banner__text">
        <strong>{candidate.name}</strong> is waiting in the lobby
      </span>
      <button type="button" className="btn btn--primary btn--small" onClick={onStart} disabled={starting}>
        {starting ? 'Starting…' : 'Start'}
      </button>
    </div>
  );
}
