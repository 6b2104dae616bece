// The interviewers' "Controls" menu in the editor toolbar: lock the candidate's editor, pause
// running code for the candidate, and (host only) end the interview automatically when its
// time is up. Each switch is an interview control stored by the server (PATCH
// /api/interviews/{id}/controls, which also enforces it); a switch shows what the server
// answered, and says why when it refused. A disclosure, not a menu: a button that opens a
// small panel of checkboxes; Escape or a click outside closes it.
import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { updateControls } from '../../../api/interviews';
import type { InterviewControls } from '../../../api/types';

/** The controls this menu switches (the candidate's autocomplete has its own toggle). */
type Switch = 'editor_locked' | 'runs_disabled' | 'auto_end';

const SWITCHES: { key: Switch; label: string; hint: string; hostOnly: boolean }[] = [
  {
    key: 'editor_locked',
    label: "Lock the candidate's editor",
    hint: 'The candidate can read and point, not type.',
    hostOnly: false,
  },
  {
    key: 'runs_disabled',
    label: 'Pause running code for the candidate',
    hint: 'Interviewers still run code.',
    hostOnly: false,
  },
  {
    key: 'auto_end',
    label: 'End automatically when time is up',
    hint: 'The server ends the interview once its planned duration has passed.',
    hostOnly: true,
  },
];

export interface RoomControlsProps {
  interviewId: string;
  controls: InterviewControls;
  isHost: boolean;
  onChange: (controls: InterviewControls) => void;
}

export function RoomControls({ interviewId, controls, isHost, onChange }: RoomControlsProps) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState<Switch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [open]);

  const toggle = async (key: Switch, enabled: boolean) => {
    setSaving(key);
    setError(null);
    try {
      onChange(await updateControls(interviewId, { [key]: enabled }));
    } catch (failure) {
      setError(`Not changed: ${errorMessage(failure)}`);
    } finally {
      setSaving(null);
    }
  };

  const shown = SWITCHES.filter((s) => isHost || !s.hostOnly);
  const active = shown.filter((s) => controls[s.key]).length;
  return (
    <div className="room-controls" ref={rootRef}>
      <button
        type="button"
        className="btn btn--secondary btn--small"
        aria-expanded={open}
        aria-controls={panelId}
        ref={buttonRef}
        onClick={() => setOpen((was) => !was)}
        data-testid="room-controls-button"
      >
        Controls{active > 0 && <span className="room-controls__count"> ({active} on)</span>}
      </button>
      <div className="room-controls__panel" id={panelId} hidden={!open} role="group" aria-label="Interview controls">
        {shown.map(({ key, label, hint }) => (
          <label key={key} className="checkbox room-controls__item">
            <input
              type="checkbox"
              checked={controls[key]}
              disabled={saving !== null}
              onChange={(event) => void toggle(key, event.target.checked)}
              aria-describedby={`${panelId}-${key}-hint`}
              data-testid={`control-${key.replace('_', '-')}`}
            />
            <span>
              {label}
              <span id={`${panelId}-${key}-hint`} className="room-controls__hint">
                {hint}
              </span>
            </span>
          </label>
        ))}
        {error && (
          <p role="alert" className="field__error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
