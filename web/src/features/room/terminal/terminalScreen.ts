// What the room's terminal has shown, as text for xterm.js: an append-only tail (the oldest
// part is dropped past a bound) with its absolute end offset, so a view that has written up to
// some offset writes only what came since; `epoch` changes when the screen is cleared or
// replaced (a new session, a late join's transcript, Clear), and the view then starts over.
// Pure; terminalSession.ts decides what to print.

export interface Screen {
  /** Changes when the screen is cleared or replaced. */
  epoch: number;
  /** The retained tail of everything printed in this epoch. */
  text: string;
  /** How many characters were printed in this epoch (the offset just after `text`). */
  end: number;
  /** The last character printed ends a line (or nothing was printed). */
  atLineStart: boolean;
}

/** Past this many characters the screen keeps only its newest half (xterm's scrollback is
 * shorter anyway). */
export const SCREEN_KEEP_CHARS = 256 * 1024;

export const EMPTY_SCREEN: Screen = { epoch: 0, text: '', end: 0, atLineStart: true };

export function print(screen: Screen, text: string): Screen {
  if (text === '') return screen;
  let kept = screen.text + text;
  if (kept.length > SCREEN_KEEP_CHARS) {
    // Cut at a line start, so no escape sequence or surrogate pair is split.
    const cut = kept.length - SCREEN_KEEP_CHARS / 2;
    const lineStart = kept.indexOf('\n', cut);
    kept = kept.slice(lineStart === -1 ? cut : lineStart + 1);
  }
  return { epoch: screen.epoch, text: kept, end: screen.end + text.length, atLineStart: text.endsWith('\n') };
}

/** A new epoch showing `text` (nothing by default). */
export function resetScreen(screen: Screen, text = ''): Screen {
  return print({ epoch: screen.epoch + 1, text: '', end: 0, atLineStart: true }, text);
}

/** Where a view stands: the epoch and offset it has written up to. */
export interface Written {
  epoch: number;
  end: number;
}

/** What a view that has written up to `written` must do to show `screen`. */
export function catchUp(screen: Screen, written: Written | null): { reset: boolean; text: string } {
  if (!written || written.epoch !== screen.epoch || written.end > screen.end) return { reset: true, text: screen.text };
  const missing = screen.end - written.end;
  if (missing === 0) return { reset: false, text: '' };
  return { reset: false, text: screen.text.slice(Math.max(0, screen.text.length - missing)) };
}

/** Program text as a terminal wants it: a lone "\n" becomes "\r\n" (the server may send either). */
export function terminalNewlines(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A line of ours (the end message): its control characters removed, so it cannot move the
 * cursor or set colours; printed dimmed. */
export function noticeLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return `\x1b[2m${plain}\x1b[0m\r\n`;
}
