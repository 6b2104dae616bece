// Ctrl/⌘+Shift+M mutes or unmutes, Ctrl/⌘+Shift+E turns the camera off or on, from anywhere on
// the page while in the call (listed in shortcuts/roomShortcuts.ts). The listener is on window
// in the capture phase, so the editor never sees the keys first.
import { useEffect, useEffectEvent } from 'react';

export type CallShortcut = 'mute' | 'camera';

export function callShortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>) {
  if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey) return null;
  const key = event.key.toLowerCase();
  return key === 'm' ? 'mute' : key === 'e' ? 'camera' : null;
}

export function useCallShortcuts(active: boolean, onShortcut: (shortcut: CallShortcut) => void): void {
  const fire = useEffectEvent(onShortcut);
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = callShortcutOf(event);
      if (!shortcut || event.repeat) return;
      event.preventDefault();
      event.stopPropagation();
      fire(shortcut);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [active]);
}
