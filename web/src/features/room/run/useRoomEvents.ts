// The room's events as a hook: listens on the page's shared room socket
// (`roomEventConnection.ts`) while mounted and returns the socket's state.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { listenToRoom, type SocketState } from './roomEventConnection';
import type { RoomEvent } from './types';

export type { SocketState } from './roomEventConnection';

export interface RoomEventHandlers {
  /** A batch of events, in arrival order. */
  onEvents: (events: RoomEvent[]) => void;
  /** The socket dropped (events may be missed until it is back: its `hello` says so). */
  onDisconnect?: () => void;
}

/**
 * Listens to the room while mounted. Handlers are read through a ref, so passing new closures
 * each render neither reconnects nor re-subscribes.
 */
export function useRoomEvents(interviewId: string, handlers: RoomEventHandlers): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(
    () =>
      listenToRoom(interviewId, {
        onEvents: (events) => handlersRef.current.onEvents(events),
        onDisconnect: () => handlersRef.current.onDisconnect?.(),
        onState: setState,
      }),
    [interviewId],
  );

  return state;
}
