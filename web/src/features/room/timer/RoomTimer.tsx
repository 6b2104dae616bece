// The room bar's timer, shown to everyone: elapsed time since the start against the planned
// duration ("12:34 / 45:00 · 33 min left"), amber in the last 5 minutes, "Over time by 3 min"
// after; before the start, the planned duration. It ticks every second on screen, while its
// accessible name (role="timer", never announced by itself) changes once a minute at most.
import { useEffect, useState } from 'react';
import { interviewClock, type ClockInput } from './interviewClock';
import './timer.css';

const TICK_MS = 1000;

export function RoomTimer({ interview }: { interview: ClockInput }) {
  const [now, setNow] = useState(() => Date.now());
  const ticking = interview.status === 'live';
  useEffect(() => {
    if (!ticking) return undefined;
    const id = window.setInterval(() => setNow(Date.now()), TICK_MS);
    return () => window.clearInterval(id);
  }, [ticking]);

  const clock = interviewClock(interview, now);
  return (
    <span
      className={`room-timer room-timer--${clock.tone}`}
      role="timer"
      aria-label={`Interview time: ${clock.label}`}
      data-testid="room-timer"
    >
      <span aria-hidden="true" className="room-timer__clock">
        {clock.elapsed ?? 'Not started'}
        {clock.elapsed && clock.total && <span className="room-timer__total"> / {clock.total}</span>}
      </span>
      {clock.remaining && (
        <span aria-hidden="true" className="room-timer__left">
          {clock.remaining}
        </span>
      )}
    </span>
  );
}
