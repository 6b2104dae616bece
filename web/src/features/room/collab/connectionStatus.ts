// The connection state of one Yjs document socket, reduced from y-websocket's events, and the
// words the UI shows for it. Pure, so the rules (what counts as refused, when we are
// reconnecting) are unit-tested without a socket.

export type ConnectionPhase = 'connecting' | 'syncing' | 'synced' | 'offline' | 'refused';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** True once the document has synced at least once (later losses are "reconnecting"). */
  hasSynced: boolean;
  /** Closes since the last successful sync. */
  failures: number;
  /** The close code that refused us (`refused` only; 0 when refused by an HTTP check). */
  refusedCode: number | null;
}

export type ConnectionEvent =
  | { type: 'status'; status: 'connecting' | 'connected' | 'disconnected' }
  | { type: 'sync'; synced: boolean }
  | { type: 'close'; code: number | null }
  /** Access was checked over HTTP and is gone (a refused upgrade is invisible to the browser). */
  | { type: 'access-lost'; status: number }
  /** A new provider replaced the old one. */
  | { type: 'reset' };

export const initialConnection: ConnectionState = {
  phase: 'connecting',
  hasSynced: false,
  failures: 0,
  refusedCode: null,
};

/** Close codes the server uses to refuse for good (4401 unauthenticated, 4403 forbidden). */
export function isRefusal(code: number | null): boolean {
  return code !== null && code >= 4400 && code < 4500;
}

export function reduceConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (event.type === 'reset') return initialConnection;
  if (state.phase === 'refused') return state;
  switch (event.type) {
    case 'status':
      if (event.status === 'connected') return { ...state, phase: 'syncing' };
      // While offline, a new attempt is still "reconnecting" from the user's point of view.
      if (event.status === 'connecting') return state.phase === 'offline' ? state : { ...state, phase: 'connecting' };
      return { ...state, phase: 'offline' };
    case 'sync':
      if (event.synced) return { ...state, phase: 'synced', hasSynced: true, failures: 0 };
      return state.phase === 'synced' ? { ...state, phase: 'syncing' } : state;
    case 'close':
      if (isRefusal(event.code)) return { ...state, phase: 'refused', refusedCode: event.code };
      return { ...state, phase: 'offline', failures: state.failures + 1 };
    case 'access-lost':
      return { ...state, phase: 'refused', refusedCode: event.status === 401 ? 4401 : 4403 };
  }
}

export interface ConnectionView {
  label: string;
  tone: 'pending' | 'ok' | 'warn' | 'error';
  /** A sentence for screen readers and the tooltip. */
  detail: string;
}

export function describeConnection(state: ConnectionState): ConnectionView {
  switch (state.phase) {
    case 'connecting':
      return { label: 'Connecting…', tone: 'pending', detail: 'Connecting to the shared editor.' };
    case 'syncing':
      return { label: 'Syncing…', tone: 'pending', detail: 'Connected; loading the latest version of the document.' };
    case 'synced':
      return { label: 'Synced', tone: 'ok', detail: 'Connected. Changes are shared live.' };
    case 'offline':
      return {
        label: 'Offline · reconnecting…',
        tone: 'warn',
        detail: state.hasSynced
          ? 'Connection lost. Your edits are kept and will be sent when the connection is back.'
          : 'Cannot reach the server yet. Retrying automatically.',
      };
    case 'refused':
      return state.refusedCode === 4401
        ? { label: 'Signed out', tone: 'error', detail: 'Your session has expired. Sign in again to rejoin the room.' }
        : { label: 'No access', tone: 'error', detail: 'You no longer have access to this room.' };
  }
}
