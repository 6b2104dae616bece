// The candidate's signals for the interviewers' badge: those stored so far (the timeline, loaded
// when mounted and again whenever the room socket comes back after a drop, since events sent
// meanwhile are not replayed) merged with the `signal` room events as they arrive. Only hosts and
// interviewers get those events and may read the timeline; if the timeline cannot be read the
// live events still count.
import { useEffect, useRef, useState } from 'react';
import { isSignalRoomEvent } from '../../../api/signalTypes';
import { useRoomEvents } from '../run/useRoomEvents';
import { mergeSignals, signalFromRoomEvent, signalsFromTimeline, type RoomSignal } from './roomSignals';
import { getTimeline } from '../../../api/playback';

export function useRoomSignals(interviewId: string): RoomSignal[] {
  const [signals, setSignals] = useState<RoomSignal[]>([]);
  /** Bumped to load the timeline again (after the socket came back). */
  const [loads, setLoads] = useState(0);
  const dropped = useRef(false);

  useRoomEvents(interviewId, {
    onEvents: (events) => {
      const arrived: RoomSignal[] = [];
      for (const event of events) {
        if (isSignalRoomEvent(event)) {
          const signal = signalFromRoomEvent(event);
          if (signal) arrived.push(signal);
        } else if (event.type === 'hello' && dropped.current) {
          dropped.current = false;
          setLoads((n) => n + 1);
        }
      }
      if (arrived.length > 0) setSignals((known) => mergeSignals(known, arrived));
    },
    onDisconnect: () => {
      dropped.current = true;
    },
  });

  useEffect(() => {
    const controller = new AbortController();
    getTimeline(interviewId, { signal: controller.signal, redirectOn401: false }).then(
      (events) => setSignals((known) => mergeSignals(known, signalsFromTimeline(events))),
      () => undefined,
    );
    return () => controller.abort();
  }, [interviewId, loads]);

  return signals;
}
