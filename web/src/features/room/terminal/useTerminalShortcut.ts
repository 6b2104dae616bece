// Ctrl/⌘+Alt+Enter runs the code interactively in the terminal, from anywhere on the page
// (beside Ctrl/⌘+Enter, Run, and Ctrl/⌘+Shift+Enter, Test; listed in
// shortcuts/roomShortcuts.ts). The listener is on window in the capture phase, so neither the
// editor nor the terminal sees the keys first.
import { useEffect, useEffectEvent } from 'react';

export function isTerminalShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>) {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.altKey && !event.shiftKey;
}

export function useTerminalShortcut(onShortcut: () => void): void {
  const fire = useEffectEvent(onShortcut);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isTerminalShortcut(event) || event.repeat) return;
      event.preventDefault();
      event.stopPropagation();
      fire();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);
}
