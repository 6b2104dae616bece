// The scrub bar: a slider over the whole session (drag or click anywhere on it; keyboard:
// ←/→ 5 s, Shift 30 s, Page Up/Down 1 min, Home/End; its value said as a time), the played
// part filled, idle stretches shaded when "Skip idle" squeezes them, and the markers in lanes
// above and below it: runs (coloured by their outcome; a click opens the run), question and
// language switches, joins and leaves, and integrity signals (quiet, hollow). Markers are for
// the pointer (each has its words as a tooltip); the event list beside offers the same by
// keyboard, so they stay out of the tab order.
import { memo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { IdleStretch } from './engine/playTime';
import type { Marker } from './markers';
import { SEEK_BIG_STEP_MS, SEEK_STEP_MS } from './replayKeys';
import { clockText, spokenTime } from './replayTime';

const PAGE_STEP_MS = 60_000;

export interface ScrubBarProps {
  startMs: number;
  endMs: number;
  positionMs: number;
  markers: readonly Marker[];
  /** Drawn when idle stretches are skipped. */
  idle: readonly IdleStretch[];
  onSeek: (positionMs: number) => void;
  onMarker: (marker: Marker) => void;
}

export function ScrubBar({ startMs, endMs, positionMs, markers, idle, onSeek, onMarker }: ScrubBarProps) {
  const track = useRef<HTMLDivElement>(null);
  const length = Math.max(0, endMs - startMs);
  const share = (ms: number) => (length > 0 ? Math.min(1, Math.max(0, (ms - startMs) / length)) : 0);

  const timeAtPointer = (clientX: number) => {
    const rect = track.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return startMs;
    return startMs + Math.min(1, Math.max(0, (clientX - rect.left) / rect.width)) * length;
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    event.currentTarget.focus();
    onSeek(timeAtPointer(event.clientX));
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture?.(event.pointerId)) onSeek(timeAtPointer(event.clientX));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const step = event.shiftKey ? SEEK_BIG_STEP_MS : SEEK_STEP_MS;
    const to: Record<string, number> = {
      ArrowLeft: positionMs - step,
      ArrowDown: positionMs - step,
      ArrowRight: positionMs + step,
      ArrowUp: positionMs + step,
      PageDown: positionMs - PAGE_STEP_MS,
      PageUp: positionMs + PAGE_STEP_MS,
      Home: startMs,
      End: endMs,
    };
    const target = to[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onSeek(Math.min(endMs, Math.max(startMs, target)));
  };

  const elapsed = positionMs - startMs;
  return (
    <div className="replay-scrub" data-testid="replay-scrub">
      <MarkerLanes markers={markers} onMarker={onMarker} />
      <div
        ref={track}
        className="replay-scrub__track"
        role="slider"
        tabIndex={0}
        aria-label="Playhead"
        aria-valuemin={0}
        aria-valuemax={Math.round(length / 1000)}
        aria-valuenow={Math.round(elapsed / 1000)}
        aria-valuetext={`${spokenTime(elapsed)} of ${spokenTime(length)}`}
        data-testid="replay-slider"
        data-position-ms={Math.round(elapsed)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
      >
        <div className="replay-scrub__rail" aria-hidden="true">
          {idle.map((stretch) => (
            <span
              key={stretch.fromMs}
              className="replay-scrub__idle"
              style={{
                left: `${share(stretch.fromMs) * 100}%`,
                width: `${(share(stretch.toMs) - share(stretch.fromMs)) * 100}%`,
              }}
              title={`Idle for ${clockText(stretch.toMs - stretch.fromMs)}: skipped`}
            />
          ))}
          <span className="replay-scrub__played" style={{ width: `${share(positionMs) * 100}%` }} />
        </div>
        <span className="replay-scrub__thumb" aria-hidden="true" style={{ left: `${share(positionMs) * 100}%` }} />
      </div>
    </div>
  );
}

/** The markers never change while playing: drawn once per list. */
const MarkerLanes = memo(function MarkerLanes({
  markers,
  onMarker,
}: {
  markers: readonly Marker[];
  onMarker: (marker: Marker) => void;
}) {
  return (
    <div className="replay-scrub__markers" aria-hidden="true">
      {markers.map((marker) => (
        <span
          key={marker.key}
          className={`replay-marker replay-marker--${marker.lane}${marker.tone ? ` run-tone--${marker.tone}` : ''}`}
          style={{ left: `${marker.fraction * 100}%` }}
          title={marker.text}
          data-testid={`replay-marker-${marker.lane}`}
          onPointerDown={(event) => event.stopPropagation()}
          onClick={() => onMarker(marker)}
        />
      ))}
    </div>
  );
});
