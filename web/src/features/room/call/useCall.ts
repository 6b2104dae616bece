// The room's video call as a hook: one `CallController` per mounted room, fed by the page's
// shared room socket (`listenToRoom`; call messages go out with `sendToRoom`), rendered through
// useSyncExternalStore. Leaving the page, or the interview ending, leaves the call (and stops
// the camera). A reload of a tab that was in the call joins it again by itself (sessionStorage
// remembers it per tab). `window.__codeviewCall.peerConnections()` lists the page's connections (read
// only; the e2e reads their stats).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { listenToRoom, sendToRoom } from '../run/roomEventConnection';
import { allPeerConnections, CallController, type CallView } from './callController';
import type { CallRole } from './callProtocol';
import { callPreferencesKey, readCallPreferences, updateCallPreferences } from './callPreferences';
import { fetchIceServers, relayOnlyRequested } from './iceServers';

declare global {
  interface Window {
    __codeviewCall?: { peerConnections: () => RTCPeerConnection[] };
  }
}

export interface UseCallOptions {
  interviewId: string;
  role: CallRole | null;
  /** Whose choices are remembered (the layout owner: account id or candidate participant id). */
  owner: string | null;
  ended: boolean;
}

export function useCall({ interviewId, role, owner, ended }: UseCallOptions): {
  view: CallView;
  controller: CallController;
} {
  const [controller] = useState(() => {
    const key = callPreferencesKey(owner);
    return new CallController({
      role,
      send: (message) => sendToRoom(interviewId, message),
      fetchIce: () => fetchIceServers(interviewId),
      media: navigator.mediaDevices,
      createPeerConnection: (configuration) => new RTCPeerConnection(configuration),
      relayOnly: relayOnlyRequested(),
      readPreferences: () => readCallPreferences(key),
      writePreferences: (change) => void updateCallPreferences(key, change),
    });
  });

  useEffect(() => {
    controller.revive();
    window.__codeviewCall = { peerConnections: allPeerConnections };
    const stop = listenToRoom(interviewId, {
      onEvents: (events) => controller.handleEvents(events),
      onDisconnect: () => controller.handleDisconnect(),
    });
    const tabKey = `codeview.call.in.${interviewId}`;
    if (readSession(tabKey)) void controller.join();
    const unsubscribe = controller.subscribe(() => {
      const { phase } = controller.getSnapshot();
      if (phase === 'joined') writeSession(tabKey, true);
      else if (phase === 'idle') writeSession(tabKey, false);
    });
    return () => {
      unsubscribe();
      stop();
      controller.dispose();
      // Leaving the room (not a reload, which runs no cleanup): the next visit starts out of
      // the call. Checked a task later: React's strict mode mounts again at once.
      setTimeout(() => {
        if (!controller.live) writeSession(tabKey, false);
      }, 0);
    };
  }, [controller, interviewId]);

  useEffect(() => {
    if (ended) controller.leave();
  }, [controller, ended]);

  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return { view, controller };
}

function readSession(key: string): boolean {
  try {
    return window.sessionStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeSession(key: string, inCall: boolean): void {
  try {
    if (inCall) window.sessionStorage.setItem(key, '1');
    else window.sessionStorage.removeItem(key);
  } catch {
    // Not remembered: a reload asks for one click on Join.
  }
}
