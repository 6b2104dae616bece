// The call's device pickers, opened from the strip's "Devices" button as a panel inside the
// strip (nothing floats over the editor): camera, microphone and, where the browser can route
// sound (`HTMLMediaElement.prototype.setSinkId`), speaker. A choice is used at once and
// remembered (CallController.switchDevice). Device names appear once the site may use them.
import { useEffect, useId, useState } from 'react';
import type { CallPreferences } from './callPreferences';

export interface CallSettingsProps {
  listDevices: () => Promise<MediaDeviceInfo[]>;
  chosen: Pick<CallPreferences, 'cameraId' | 'microphoneId' | 'speakerId'>;
  onChoose: (kind: MediaDeviceKind, deviceId: string) => void;
  onClose: () => void;
}

export const speakerChoiceSupported = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

const PICKERS: { kind: MediaDeviceKind; label: string; pref: keyof CallSettingsProps['chosen'] }[] = [
  { kind: 'videoinput', label: 'Camera', pref: 'cameraId' },
  { kind: 'audioinput', label: 'Microphone', pref: 'microphoneId' },
  { kind: 'audiooutput', label: 'Speaker', pref: 'speakerId' },
];

export function CallSettings({ listDevices, chosen, onChoose, onClose }: CallSettingsProps) {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    listDevices().then(
      (list) => live && setDevices(list),
      () => live && setDevices([]),
    );
    return () => {
      live = false;
    };
  }, [listDevices]);

  return (
    <div
      className="call-settings"
      role="group"
      aria-label="Call devices"
      data-testid="call-settings"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      {devices === null && <p className="muted call-settings__hint">Looking for devices…</p>}
      {devices &&
        PICKERS.filter(({ kind }) => kind !== 'audiooutput' || speakerChoiceSupported()).map(
          ({ kind, label, pref }) => {
            const options = devices.filter((device) => device.kind === kind);
            const selectId = `${id}-${kind}`;
            return (
              <div className="call-settings__field" key={kind}>
                <label htmlFor={selectId}>{label}</label>
                <select
                  id={selectId}
                  className="select select--compact"
                  value={chosen[pref] ?? ''}
                  disabled={options.length === 0}
                  onChange={(event) => onChoose(kind, event.target.value)}
                >
                  <option value="">Default</option>
                  {options.map((device, index) => (
                    <option key={device.deviceId || index} value={device.deviceId}>
                      {device.label || `${label} ${index + 1}`}
                    </option>
                  ))}
                </select>
              </div>
            );
          },
        )}
      <button type="button" className="btn btn--small btn--ghost" onClick={onClose}>
        Done
      </button>
    </div>
  );
}
