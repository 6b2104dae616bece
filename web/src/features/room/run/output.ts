// Console output as the panel keeps it: chunks of text tagged with their stream, capped to the
// last `OUTPUT_CAP_CHARS` characters (older text is dropped and counted), and sanitised so that
// control characters are visible placeholders rather than terminal commands or layout tricks.
// Pure functions; React renders the chunks as text nodes only, never as HTML.

/** `meta` lines are the panel's own (e.g. "── Test #2 ──"), not program output. */
export type ChunkStream = 'stdout' | 'stderr' | 'compile' | 'meta';

export interface OutputChunk {
  stream: ChunkStream;
  text: string;
}

export interface OutputBuffer {
  chunks: OutputChunk[];
  /** How many chunks were ever dropped from the front: `first + i` is a stable React key. */
  first: number;
  /** Characters currently held. */
  size: number;
  /** Characters dropped from the front to stay under the cap. */
  dropped: number;
}

/** How much output one run keeps in the DOM (characters, ≈ bytes for ASCII output). */
export const OUTPUT_CAP_CHARS = 200 * 1024;

/**
 * Chunks grow to at most this many characters: while output streams in, only the last chunk's
 * text node changes, not one ever-growing node of the whole output.
 */
export const CHUNK_CHARS = 8 * 1024;

export const EMPTY_OUTPUT: OutputBuffer = { chunks: [], first: 0, size: 0, dropped: 0 };

// C0 controls except \t and \n, DEL, C1 controls, and the bidirectional overrides/isolates
// that could make output read differently from what the program printed.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters (all but `\n` and `\t`) with visible placeholders. */
export function sanitizeOutput(text: string): string {
  const normalised = text.replace(/\r\n/g, '\n');
  return normalised.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    // U+2400…U+241F are the Unicode "control pictures" (␀ ␛ ␍ …); U+2421 is ␡.
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

/**
 * Appends text to the buffer — filling the last chunk when the stream is the same (fewer DOM
 * nodes), in chunks of at most `CHUNK_CHARS` — then drops the oldest text beyond `cap`.
 * Returns a new buffer; the input is not modified.
 */
export function appendOutput(
  buffer: OutputBuffer,
  stream: ChunkStream,
  raw: string,
  cap = OUTPUT_CAP_CHARS,
): OutputBuffer {
  let text = sanitizeOutput(raw);
  if (!text) return buffer;
  // Only the tail can survive the cap: do not split text that is about to be dropped.
  const cut = Math.max(0, text.length - cap);
  if (cut > 0) text = text.slice(cut);
  const size = buffer.size + text.length;
  const chunks = buffer.chunks.slice();
  const last = chunks[chunks.length - 1];
  if (last && last.stream === stream && last.text.length < CHUNK_CHARS) {
    const room = CHUNK_CHARS - last.text.length;
    chunks[chunks.length - 1] = { stream, text: last.text + text.slice(0, room) };
    text = text.slice(room);
  }
  for (let at = 0; at < text.length; at += CHUNK_CHARS) chunks.push({ stream, text: text.slice(at, at + CHUNK_CHARS) });
  return trimOutput({ chunks, first: buffer.first, size, dropped: buffer.dropped + cut }, cap);
}

function trimOutput(buffer: OutputBuffer, cap: number): OutputBuffer {
  if (buffer.size <= cap) return buffer;
  let excess = buffer.size - cap;
  let start = 0;
  const chunks = buffer.chunks;
  while (excess > 0 && start < chunks.length) {
    const chunk = chunks[start]!;
    if (chunk.text.length <= excess) {
      excess -= chunk.text.length;
      start += 1;
    } else {
      chunks[start] = { stream: chunk.stream, text: chunk.text.slice(excess) };
      excess = 0;
    }
  }
  return {
    chunks: chunks.slice(start),
    first: buffer.first + start,
    size: cap,
    dropped: buffer.dropped + buffer.size - cap,
  };
}

/** "output truncated — 12 KB hidden", or null when nothing was dropped. */
export function truncationNote(buffer: OutputBuffer): string | null {
  if (buffer.dropped <= 0) return null;
  const kb = Math.max(1, Math.round(buffer.dropped / 1024));
  return `output truncated — ${kb.toLocaleString('en')} KB hidden`;
}
