// "2.3 s" counting up from a start time (client clock), re-rendering only itself.
import { useEffect, useState, type JSX } from 'react';

export function Elapsed({ since }: { since: number }): JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(id);
  }, []);
  return (
    <span className="run-view__elapsed small" data-testid="run-elapsed">
      {(Math.max(0, now - since) / 1000).toFixed(1)} s
    </span>
  );
}
