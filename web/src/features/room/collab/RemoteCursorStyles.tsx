// Injects the per-client cursor colours and name labels (see cursorStyles.ts). React sets a
// <style>'s children as text, so the generated CSS is never parsed as HTML.
import { useMemo } from 'react';
import type { Peer } from './awarenessPeers';
import { remoteCursorCss } from './cursorStyles';

export function RemoteCursorStyles({ peers }: { peers: readonly Peer[] }) {
  const css = useMemo(() => remoteCursorCss(peers), [peers]);
  return <style data-testid="remote-cursor-styles">{css}</style>;
}
