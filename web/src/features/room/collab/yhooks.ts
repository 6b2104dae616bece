// React bindings for the few Yjs values the room renders: a Y.Text's content, a Y.Map entry
// and the identities of the peers in an awareness. Each is a `useSyncExternalStore` over the
// type's own observer, so React re-renders exactly when the shared value changes.
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { peersFromStates, type Peer } from './awarenessPeers';

/** Subscribes to every change of a Y.Text (for `useSyncExternalStore`). */
function useTextSubscription(text: Y.Text | null): (onChange: () => void) => () => void {
  return useCallback(
    (onChange: () => void) => {
      if (!text) return () => {};
      text.observe(onChange);
      return () => text.unobserve(onChange);
    },
    [text],
  );
}

export function useYText(text: Y.Text | null): string {
  return useSyncExternalStore(useTextSubscription(text), () => (text ? text.toString() : ''));
}

export function useYMapValue(map: Y.Map<unknown> | null, key: string): unknown {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!map) return () => {};
      const listener = (event: Y.YMapEvent<unknown>) => {
        if (event.keysChanged.has(key)) onChange();
      };
      map.observe(listener);
      return () => map.unobserve(listener);
    },
    [map, key],
  );
  return useSyncExternalStore(subscribe, () => map?.get(key));
}

/** Remote peers with their identities. Cursor moves do not re-render: only joins, leaves
 *  and identity changes produce a new array. */
export function usePeers(awareness: Awareness | null): Peer[] {
  const cache = useRef<{ key: string; peers: Peer[] }>({ key: '', peers: [] });
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!awareness) return () => {};
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  const snapshot = () => {
    const peers = awareness ? peersFromStates(awareness.getStates(), awareness.clientID) : [];
    const key = JSON.stringify(peers);
    if (key !== cache.current.key) cache.current = { key, peers };
    return cache.current.peers;
  };
  return useSyncExternalStore(subscribe, snapshot);
}

/** Whether a Y.Text is empty; re-renders only when that flips, not on every keystroke. */
export function useYTextIsEmpty(text: Y.Text | null): boolean {
  return useSyncExternalStore(useTextSubscription(text), () => (text ? text.length === 0 : true));
}
