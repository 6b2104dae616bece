// Per-client CSS for y-monaco's remote selections. y-monaco only adds class names
// (`yRemoteSelection-{clientID}`, `yRemoteSelectionHead-{clientID}`); this turns the awareness
// identities into rules that colour them (a 2 px caret, the selection at 20 % of the colour) and
// put the participant's name on the cursor head. The label is hidden unless its caret is
// hovered (room.css) or has just arrived (`labelled`, from useCursorLabels).
// Names are user-written: they only ever appear inside a CSS string, fully escaped, and the
// result is assigned to a <style> element's textContent (never parsed as HTML).
import type { Peer } from './awarenessPeers';

/** Colours used when a state carries no valid colour (matches the server's palette). */
export const FALLBACK_COLORS = [
  '#e11d48',
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ea580c',
  '#4f46e5',
];

const MAX_LABEL_CHARS = 32;

/** A `#rrggbb` colour, or null for anything else (only hex reaches the stylesheet). */
export function normalizeColor(value: string): string | null {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  return /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : null;
}

export function colorFor(peer: Peer): string {
  return normalizeColor(peer.user.color) ?? FALLBACK_COLORS[Math.abs(peer.clientId) % FALLBACK_COLORS.length]!;
}

/**
 * A double-quoted CSS string. Everything outside printable ASCII letters, digits, space and a
 * few harmless punctuation marks becomes a `\HEX ` escape, so no input can end the string,
 * the rule or the stylesheet.
 */
export function cssString(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (/^[A-Za-z0-9 .,_\-()'!?@]$/.test(ch)) out += ch;
    else out += `\\${ch.codePointAt(0)!.toString(16)} `;
  }
  return `${out}"`;
}

/** Shortens a display name for the cursor label (counting code points, not UTF-16 units). */
export function cursorLabel(name: string): string {
  const chars = Array.from(name.trim() || 'Guest');
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…` : chars.join('');
}

/** Alpha (hex) of a remote selection: 0x33 = 20 %, enough to see it, never hiding the code. */
export const SELECTION_ALPHA = '33';

/** The stylesheet for every remote peer's selection, caret and name label; labels of
 *  `labelled` clients show without hovering. */
export function remoteCursorCss(peers: readonly Peer[], labelled: ReadonlySet<number> = new Set()): string {
  return peers
    .filter((peer) => Number.isSafeInteger(peer.clientId))
    .map((peer) => {
      const id = peer.clientId;
      const color = colorFor(peer);
      const label = cssString(cursorLabel(peer.user.name));
      const rules =
        `.yRemoteSelection-${id}{background-color:${color}${SELECTION_ALPHA};}\n` +
        `.yRemoteSelectionHead-${id}{border-color:${color};}\n` +
        `.yRemoteSelectionHead-${id}::after{content:${label};background-color:${color};}`;
      return labelled.has(id) ? `${rules}\n.monaco-editor .yRemoteSelectionHead-${id}::after{opacity:1;}` : rules;
    })
    .join('\n');
}
