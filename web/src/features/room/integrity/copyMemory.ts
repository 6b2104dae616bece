// What the candidate copied or cut from the room's editor during this interview, remembered as
// fingerprints (a length and a 53-bit hash, never the text) so that a later paste can be told
// apart: text that equals one of them came from the editor (`external: false`), anything else
// came from outside. Bounded: only the latest copies are kept, which is what a paste reuses.
// Line endings are normalised first, since the clipboard may hand back CRLF for the LF the
// editor copied.

/** How many copies are remembered; older ones are forgotten first. */
export const REMEMBERED_COPIES = 200;

export class CopyMemory {
  /** Fingerprints in insertion order (a Set iterates oldest first). */
  private readonly fingerprints = new Set<string>();

  constructor(private readonly capacity: number = REMEMBERED_COPIES) {}

  remember(text: string): void {
    if (!text) return;
    const print = fingerprint(text);
    // Re-inserting moves it to the newest end.
    this.fingerprints.delete(print);
    this.fingerprints.add(print);
    while (this.fingerprints.size > this.capacity) {
      const oldest = this.fingerprints.values().next().value;
      if (oldest === undefined) break;
      this.fingerprints.delete(oldest);
    }
  }

  /** Whether `text` equals something remembered. */
  has(text: string): boolean {
    return this.fingerprints.has(fingerprint(text));
  }

  get size(): number {
    return this.fingerprints.size;
  }
}

/** `length:hash` of the text with its line endings made `\n`. */
export function fingerprint(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  return `${normalised.length}:${hash53(normalised)}`;
}

/** cyrb53: a fast, well-mixed 53-bit string hash (not cryptographic; collisions only make a paste look internal). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
