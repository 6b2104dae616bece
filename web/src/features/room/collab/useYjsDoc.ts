// One shared Yjs document of an interview, synced over our y-websocket endpoint
// (`/ws/yjs/{interview_id}/{code|notes}`, same origin, the session cookie authenticates).
// One effect owns the Y.Doc + provider for the lifetime of (interview, document) and destroys
// both. y-websocket reconnects with backoff by itself and stops on 4400–4499 closes; a refused
// *upgrade* (HTTP 401/403 before the socket opens) only shows up as repeated 1006 closes, so
// after a few of those we ask the API whether we still have access.
import { useEffect, useReducer, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ApiError } from '../../../api/client';
import { getInterview } from '../../../api/interviews';
import { initialConnection, reduceConnection, type ConnectionEvent, type ConnectionState } from './connectionStatus';

export type DocName = 'code' | 'notes';

export interface YjsDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** Failed attempts in a row after which the API is asked whether access is gone. */
const PROBE_AFTER_FAILURES = 3;
/** A resync every 10 s keeps y-websocket's 30 s "no message received" watchdog quiet in a room
 *  where nobody else is typing (WebSocket pings are invisible to JavaScript). */
const RESYNC_INTERVAL_MS = 10_000;

export function docSocketBase(
  interviewId: string,
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/yjs/${encodeURIComponent(interviewId)}`;
}

/**
 * `epoch` starts a fresh Y.Doc + socket when it changes. The room passes the interview's
 * status: when it ends the server turns the doc read-only and silently drops later edits, so
 * a client that typed in between re-syncs from the server's truth instead of keeping them.
 */
export function useYjsDoc(
  interviewId: string,
  name: DocName,
  epoch = '',
): { yjs: YjsDoc | null; connection: ConnectionState } {
  const [yjs, setYjs] = useState<YjsDoc | null>(null);
  const [connection, send] = useReducer(reduceConnection, initialConnection);

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(docSocketBase(interviewId), name, doc, {
      disableBc: true,
      resyncInterval: RESYNC_INTERVAL_MS,
    });
    const probe = new AbortController();
    let failures = 0;
    // Events emitted while tearing down (destroy() reports "disconnected") must not leak into
    // the next provider's state.
    const dispatch = (event: ConnectionEvent) => {
      if (!probe.signal.aborted) send(event);
    };
    dispatch({ type: 'reset' });

    provider.on('status', ({ status }) => dispatch({ type: 'status', status }));
    provider.on('sync', (synced) => {
      if (synced) failures = 0;
      dispatch({ type: 'sync', synced });
    });
    provider.on('connection-close', (event) => {
      if (!event) return; // closed by us
      dispatch({ type: 'close', code: event.code });
      failures += 1;
      if (failures % PROBE_AFTER_FAILURES === 0) {
        getInterview(interviewId, { signal: probe.signal, redirectOn401: false }).catch((error: unknown) => {
          if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
            provider.disconnect();
            dispatch({ type: 'access-lost', status: error.status });
          }
        });
      }
    });
    setYjs({ doc, provider });

    return () => {
      probe.abort();
      provider.destroy();
      doc.destroy();
      setYjs(null);
    };
  }, [interviewId, name, epoch]);

  return { yjs, connection };
}
