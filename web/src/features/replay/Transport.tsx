// The replay's controls above the scrub bar: Play/Pause, the time (since the start, of the
// whole), the speed (1× to 32×), "Skip idle", and for a live interview "Live" (follow it as it
// happens; pressing it after scrubbing back jumps to now).
import { SPEEDS, isSpeed, type Speed } from './engine/playback';
import { clockText } from './replayTime';

export interface TransportProps {
  playing: boolean;
  elapsedMs: number;
  totalMs: number;
  speed: Speed;
  skipIdle: boolean;
  /** null: the interview is not live. */
  following: boolean | null;
  disabled: boolean;
  onToggle: () => void;
  onSpeed: (speed: Speed) => void;
  onSkipIdle: (skip: boolean) => void;
  onFollow: (follow: boolean) => void;
}

export function Transport(props: TransportProps) {
  const { playing, elapsedMs, totalMs, speed, skipIdle, following, disabled } = props;
  return (
    <div className="replay-transport" role="group" aria-label="Playback">
      <button
        type="button"
        className="btn btn--primary btn--small replay-transport__play"
        onClick={props.onToggle}
        disabled={disabled}
        data-testid="replay-play"
      >
        <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span> {playing ? 'Pause' : 'Play'}
      </button>
      <span className="replay-transport__time" data-testid="replay-time">
        <span data-testid="replay-elapsed">{clockText(elapsedMs)}</span>
        <span className="muted"> / {clockText(totalMs)}</span>
      </span>
      <label className="replay-transport__speed">
        <span className="muted small">Speed</span>
        <select
          className="select select--small"
          value={speed}
          onChange={(event) => {
            const value = Number(event.target.value);
            if (isSpeed(value)) props.onSpeed(value);
          }}
          data-testid="replay-speed"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <label className="replay-transport__check">
        <input type="checkbox" checked={skipIdle} onChange={(event) => props.onSkipIdle(event.target.checked)} />
        <span className="small">Skip idle</span>
      </label>
      {following !== null && (
        <button
          type="button"
          className={`btn btn--small replay-live${following ? ' replay-live--on' : ''}`}
          aria-pressed={following}
          title={following ? 'Following the interview as it happens' : 'Jump to now and follow the interview'}
          onClick={() => props.onFollow(!following)}
          data-testid="replay-live"
        >
          <span className="replay-live__dot" aria-hidden="true" /> {following ? 'Live' : 'Jump to now'}
        </button>
      )}
    </div>
  );
}
