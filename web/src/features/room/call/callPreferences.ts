// What the room remembers of one person's call choices across reloads, in localStorage under
// their layout key (`lib/useResizableSplit`'s `layoutStorageKey`: the account's id, or the
// candidate's participant id): muted or not, camera on or not, the chosen devices, and whether
// the call strip is collapsed.
import { layoutStorageKey } from '../../../lib/useResizableSplit';

export interface CallPreferences {
  muted: boolean;
  cameraOn: boolean;
  /** Device ids (`enumerateDevices`), null for the browser's default. */
  microphoneId: string | null;
  cameraId: string | null;
  speakerId: string | null;
  collapsed: boolean;
}

export const DEFAULT_CALL_PREFERENCES: CallPreferences = {
  muted: false,
  cameraOn: true,
  microphoneId: null,
  cameraId: null,
  speakerId: null,
  collapsed: false,
};

export function callPreferencesKey(owner: string | null | undefined): string | null {
  return layoutStorageKey(owner, 'room.call');
}

/** The remembered choices, each junk or missing one replaced by its default. */
export function readCallPreferences(key: string | null): CallPreferences {
  let stored: unknown;
  try {
    const raw = key ? window.localStorage.getItem(key) : null;
    stored = raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    stored = null;
  }
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const flag = (name: 'muted' | 'cameraOn' | 'collapsed') =>
    typeof record[name] === 'boolean' ? record[name] : DEFAULT_CALL_PREFERENCES[name];
  const device = (name: 'microphoneId' | 'cameraId' | 'speakerId') =>
    typeof record[name] === 'string' && record[name] ? record[name] : null;
  return {
    muted: flag('muted'),
    cameraOn: flag('cameraOn'),
    collapsed: flag('collapsed'),
    microphoneId: device('microphoneId'),
    cameraId: device('cameraId'),
    speakerId: device('speakerId'),
  };
}

/** Remembers `change` on top of what is remembered; returns the result. */
export function updateCallPreferences(key: string | null, change: Partial<CallPreferences>): CallPreferences {
  const next = { ...readCallPreferences(key), ...change };
  try {
    if (key) window.localStorage.setItem(key, JSON.stringify(next));
  } catch {
    // Not remembered; the choice still holds for this visit.
  }
  return next;
}
