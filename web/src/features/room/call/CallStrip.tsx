// The room's video call strip, docked at the right edge of the workspace (a row above the
// editor on narrow screens), never over the editor: Join call (one click, with "2 in call"
// before joining), then Mute, Camera, Share screen, Devices and Leave, and the tiles stacked
// under them. "Hide video" collapses it to a slim bar that keeps the buttons (the sound goes
// on); that choice, like muted / camera / devices, is remembered per person. Problems are said
// in words with what to do, and when the camera and microphone cannot start, joining without
// them is one click.
import { useCallback, useMemo, useState } from 'react';
import { Alert } from '../../../components/Alert';
import type { CallRole } from './callProtocol';
import { callPreferencesKey, readCallPreferences, updateCallPreferences } from './callPreferences';
import { CallSettings } from './CallSettings';
import { CallTile } from './CallTile';
import { callTiles } from './callTiles';
import { useCall } from './useCall';
import { useCallShortcuts } from './useCallShortcuts';
import { isApplePlatform } from '../shortcuts/roomShortcuts';
import './call.css';

export interface CallStripProps {
  interviewId: string;
  role: CallRole | null;
  /** Whose choices are remembered (the room's layout owner). */
  owner: string | null;
  ended: boolean;
}

/** Which remembered choice a device picker sets. */
const DEVICE_PREFERENCE = { videoinput: 'cameraId', audioinput: 'microphoneId', audiooutput: 'speakerId' } as const;

const screenShareSupported = () =>
  typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

export function CallStrip({ interviewId, role, owner, ended }: CallStripProps) {
  const { view, controller } = useCall({ interviewId, role, owner, ended });
  const key = callPreferencesKey(owner);
  const [preferences, setPreferences] = useState(() => readCallPreferences(key));
  const [settingsOpen, setSettingsOpen] = useState(false);
  const collapsed = preferences.collapsed;
  const inCall = view.phase !== 'idle';
  const joined = view.phase === 'joined';
  const mod = isApplePlatform() ? 'Meta' : 'Control';

  useCallShortcuts(joined, (shortcut) => {
    if (shortcut === 'mute' && view.maySend.audio) controller.toggleMute();
    if (shortcut === 'camera' && view.maySend.video) void controller.toggleCamera();
  });

  const ownCamera = useMemo(() => (view.localVideo ? new MediaStream([view.localVideo]) : null), [view.localVideo]);
  const tiles = callTiles(view, ownCamera);
  const listDevices = useCallback(() => navigator.mediaDevices.enumerateDevices(), []);
  const remember = (change: Parameters<typeof updateCallPreferences>[1]) =>
    setPreferences(updateCallPreferences(key, change));
  const tilesId = `call-tiles-${interviewId}`;
  const count = view.peers.length;

  return (
    <aside
      className={`call-strip${collapsed ? ' call-strip--collapsed' : ''}${joined ? ' call-strip--in-call' : ''}`}
      aria-label="Video call"
      data-testid="call-strip"
      data-phase={view.phase}
    >
      <div className="call-strip__controls" role="group" aria-label="Call controls">
        {!inCall && (
          <button
            type="button"
            className="btn btn--primary btn--small call-strip__join"
            data-testid="call-join"
            disabled={ended}
            onClick={() => void controller.join()}
          >
            Join call
            {count > 0 && <span className="call-strip__count"> · {count} in call</span>}
          </button>
        )}
        {view.phase === 'joining' && (
          <span className="call-strip__status" role="status">
            Joining…
          </span>
        )}
        {joined && view.maySend.audio && (
          <button
            type="button"
            className={`btn btn--small ${view.muted ? 'btn--danger' : 'btn--secondary'}`}
            data-testid="call-mute"
            aria-keyshortcuts={`${mod}+Shift+M`}
            onClick={() => controller.toggleMute()}
          >
            {view.muted ? 'Unmute' : 'Mute'}
          </button>
        )}
        {joined && view.maySend.video && (
          <button
            type="button"
            className={`btn btn--small ${view.cameraOn ? 'btn--secondary' : 'btn--danger'}`}
            data-testid="call-camera"
            aria-keyshortcuts={`${mod}+Shift+E`}
            onClick={() => void controller.toggleCamera()}
          >
            {view.cameraOn ? 'Camera off' : 'Camera on'}
          </button>
        )}
        {joined && view.maySend.screen && screenShareSupported() && (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            data-testid="call-screen"
            onClick={() => (view.screen ? controller.stopScreenShare() : void controller.startScreenShare())}
          >
            {view.screen ? 'Stop sharing' : 'Share screen'}
          </button>
        )}
        {joined && (
          <button
            type="button"
            className="btn btn--small btn--ghost"
            data-testid="call-devices"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen((open) => !open)}
          >
            Devices
          </button>
        )}
        {inCall && (
          <button
            type="button"
            className="btn btn--small btn--danger"
            data-testid="call-leave"
            onClick={() => {
              setSettingsOpen(false);
              controller.leave(null);
            }}
          >
            Leave
          </button>
        )}
        {joined && (
          <button
            type="button"
            className="btn btn--small btn--ghost call-strip__collapse"
            data-testid="call-collapse"
            aria-expanded={!collapsed}
            aria-controls={tilesId}
            onClick={() => remember({ collapsed: !collapsed })}
          >
            {collapsed ? 'Show video' : 'Hide video'}
          </button>
        )}
      </div>
      {settingsOpen && joined && (
        <CallSettings
          listDevices={listDevices}
          chosen={preferences}
          onChoose={(kind, deviceId) => {
            setPreferences((shown) => ({ ...shown, [DEVICE_PREFERENCE[kind]]: deviceId || null }));
            void controller.switchDevice(kind, deviceId);
          }}
          onClose={() => setSettingsOpen(false)}
        />
      )}
      {view.problem && (
        <div className="call-strip__problem" data-testid="call-error">
          <Alert tone="warning">
            {view.problem.message}
            <span className="call-strip__problem-actions">
              {view.problem.offerReceiveOnly && !ended && (
                <button
                  type="button"
                  className="btn btn--small btn--secondary"
                  onClick={() => void controller.join({ receiveOnly: true })}
                >
                  Join without camera and microphone
                </button>
              )}
              <button type="button" className="btn btn--small btn--ghost" onClick={() => controller.dismissProblem()}>
                Dismiss
              </button>
            </span>
          </Alert>
        </div>
      )}
      {/* Hidden, not unmounted, when collapsed: the tiles' video elements carry the sound. */}
      <ul className="call-strip__tiles" id={tilesId} hidden={collapsed || tiles.length === 0} aria-label="Call tiles">
        {tiles.map((tile) => (
          <CallTile
            key={tile.key}
            tile={tile}
            speakerId={view.speakerId}
            onPermit={
              role === 'host' && tile.role === 'observer' && tile.kind === 'camera'
                ? (speak) => controller.permitSpeech(tile.participantId, speak)
                : undefined
            }
          />
        ))}
      </ul>
    </aside>
  );
}
