// Calls `tick` now and then every `intervalMs` until `active` goes false or the component
// unmounts. Ticks never overlap: the next one is scheduled after the previous one settles.
import { useEffect, useEffectEvent } from 'react';

export function usePolling(tick: (signal: AbortSignal) => Promise<void>, intervalMs: number, active: boolean): void {
  // The latest `tick` (a fresh closure each render) without restarting the polling.
  const tickNow = useEffectEvent(tick);

  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    let timer: number | undefined;
    const run = async () => {
      try {
        await tickNow(controller.signal);
      } catch {
        // The tick reports its own errors; polling just carries on.
      }
      if (!controller.signal.aborted) timer = window.setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [intervalMs, active]);
}
