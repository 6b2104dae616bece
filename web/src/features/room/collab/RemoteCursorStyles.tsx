// Injects the per-client cursor colours and name labels (see cursorStyles.ts); labels show on
// arrival (useCursorLabels) and on hover (room.css). React sets a <style>'s children as text,
// so the generated CSS is never parsed as HTML.
import { useMemo } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Peer } from './awarenessPeers';
import { remoteCursorCss } from './cursorStyles';
import { useCursorLabels } from './useCursorLabels';

export interface RemoteCursorStylesProps {
  peers: readonly Peer[];
  /** The document's awareness and text, to know when carets arrive and where they are. */
  awareness: Awareness | null;
  text: Y.Text | null;
}

export function RemoteCursorStyles({ peers, awareness, text }: RemoteCursorStylesProps) {
  const labelled = useCursorLabels(awareness, text);
  const css = useMemo(() => remoteCursorCss(peers, labelled), [peers, labelled]);
  return <style data-testid="remote-cursor-styles">{css}</style>;
}
