// A participant's colour in the replay: the one the room gives their caret. The server picks it
// from the participant's id (crates/server/src/realtime/doc_socket.rs `color_for`: the id's 16
// bytes folded as `acc * 31 + byte` in a wrapping 64-bit integer, modulo the palette), so the
// same person has the same colour live and in the replay; this is that rule again, on the same
// palette (the room's FALLBACK_COLORS).
import { FALLBACK_COLORS } from '../../room/collab/cursorStyles';

const MASK = (1n << 64n) - 1n;

/** The id's bytes, or null when it is not a UUID. */
function uuidBytes(id: string): number[] | null {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

export function participantColor(id: string): string {
  // Not a UUID (never from the server): its characters stand in for the bytes.
  const bytes = uuidBytes(id) ?? Array.from(id, (ch) => ch.charCodeAt(0));
  let acc = 0n;
  for (const byte of bytes) acc = (acc * 31n + BigInt(byte)) & MASK;
  return FALLBACK_COLORS[Number(acc % BigInt(FALLBACK_COLORS.length))] as string;
}
