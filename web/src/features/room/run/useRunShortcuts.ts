// Ctrl/Cmd+Enter runs, Ctrl/Cmd+Shift+Enter tests, from anywhere on the page. The listener is on
// window in the capture phase, so the editor (Monaco binds Ctrl+Enter itself) never sees the
// key first.
import { useEffect, useEffectEvent } from 'react';
import type { RunMode } from './types';

export function useRunShortcuts(onShortcut: (mode: RunMode) => void): void {
  const fire = useEffectEvent(onShortcut);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.repeat) return;
      event.preventDefault();
      event.stopPropagation();
      fire(event.shiftKey ? 'test' : 'run');
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);
}
