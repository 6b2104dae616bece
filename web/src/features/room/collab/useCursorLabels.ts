// Which remote carets show their name label right now (see cursorLabels.ts for the rules):
// follows the awareness, remembers when each caret arrived, and wakes up when an arrival
// window closes. Positions are read only while some window is open, so ordinary cursor moves
// cost a map lookup.
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { caretsOf, clientsWithCaret } from './cursorAwareness';
import { arrivingClients, labelsToShow, nextLabelExpiry, trackArrivals } from './cursorLabels';

const NONE: ReadonlySet<number> = new Set();

export function useCursorLabels(awareness: Awareness | null, text: Y.Text | null): ReadonlySet<number> {
  const [shown, setShown] = useState<ReadonlySet<number>>(NONE);

  useEffect(() => {
    if (!awareness || !text) return undefined;
    let arrivals = new Map<number, number>();
    let key = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      const now = Date.now();
      const states = awareness.getStates();
      arrivals = trackArrivals(arrivals, clientsWithCaret(states, awareness.clientID), now);
      const carets = caretsOf(states, arrivingClients(arrivals, now), text);
      const next = labelsToShow(carets, arrivals, now);
      const nextKey = [...next].sort((a, b) => a - b).join(',');
      if (nextKey !== key) {
        key = nextKey;
        setShown(next.size ? next : NONE);
      }
      clearTimeout(timer);
      const wait = nextLabelExpiry(arrivals, now);
      if (wait !== null) timer = setTimeout(update, wait + 10);
    };
    update();
    awareness.on('change', update);
    return () => {
      awareness.off('change', update);
      clearTimeout(timer);
      setShown(NONE);
    };
  }, [awareness, text]);

  return shown;
}
