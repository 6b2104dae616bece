// The terminal's line mode: a local line editor fed xterm.js's key data (what `onData` gives:
// typed characters, pastes, "\r" for Enter, "\x7f" for Backspace, escape sequences for arrows).
// It keeps the line being typed and says, in order, what to echo on the local screen and what
// to send: a whole line ending in "\n" on Enter (a pasted block gives one line per line
// break), Ctrl+C (interrupt) and Ctrl+D (end of input, after sending what was typed).
// Printable characters, Backspace, Delete, ←/→, Home/End and Ctrl+U (erase the line) edit;
// other control keys and Tab are ignored. Positions count code points, so wide characters
// (CJK, emoji) may misplace the cursor on screen; the line sent is always right. Pure.
import type { TerminalSignal } from './terminalWire';

export interface LineBuffer {
  /** The line's code points. */
  chars: readonly string[];
  /** Where the cursor is, 0 … chars.length. */
  cursor: number;
}

export const EMPTY_LINE: LineBuffer = { chars: [], cursor: 0 };

/** One consequence of the keys, in order. */
export type LineEffect =
  | { kind: 'echo'; text: string }
  | { kind: 'send'; data: string }
  | { kind: 'signal'; signal: TerminalSignal }
  /** A key refused: the line is at its byte limit. */
  | { kind: 'bell' };

const CSI = '\x1b[';
const back = (n: number) => (n > 0 ? `${CSI}${n}D` : '');
const forward = (n: number) => (n > 0 ? `${CSI}${n}C` : '');
/** One escape sequence: CSI (parameters, intermediates, final byte) or SS3 (one character). */
// eslint-disable-next-line no-control-regex
const ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|O.)?/;

/** UTF-8 length of one code point. */
function utf8Bytes(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

function isPrintable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x20 && !(code >= 0x7f && code <= 0x9f);
}

/** Prints the line from its start and leaves the cursor where it is in the line. */
export function drawLine(line: LineBuffer): string {
  return line.chars.join('') + back(line.chars.length - line.cursor);
}

/** Erases the line from the screen (the cursor goes back to where it began). */
export function eraseLine(line: LineBuffer): string {
  return line.chars.length === 0 ? '' : `${back(line.cursor)}${CSI}K`;
}

/**
 * Applies `data` to `line`; `maxBytes` bounds a line with its "\n" (the server's input limit).
 */
export function editLine(
  line: LineBuffer,
  data: string,
  maxBytes: number,
): { line: LineBuffer; effects: LineEffect[] } {
  let chars = [...line.chars];
  let cursor = line.cursor;
  let bytes = chars.reduce((sum, c) => sum + utf8Bytes(c), 0);
  const effects: LineEffect[] = [];
  const echo = (text: string) => {
    if (text === '') return;
    const last = effects[effects.length - 1];
    if (last?.kind === 'echo') last.text += text;
    else effects.push({ kind: 'echo', text });
  };
  const finishLine = () => {
    echo(forward(chars.length - cursor));
    const text = chars.join('');
    chars = [];
    cursor = 0;
    bytes = 0;
    return text;
  };

  const keys = Array.from(data);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '\x1b') {
      const sequence = ESCAPE.exec(keys.slice(i, i + 32).join(''))![0];
      i += Array.from(sequence).length - 1;
      const rest = chars.length - cursor;
      if (sequence === `${CSI}D` && cursor > 0) {
        cursor -= 1;
        echo(`${CSI}D`);
      } else if (sequence === `${CSI}C` && rest > 0) {
        cursor += 1;
        echo(`${CSI}C`);
      } else if ([`${CSI}H`, '\x1bOH', `${CSI}1~`].includes(sequence)) {
        echo(back(cursor));
        cursor = 0;
      } else if ([`${CSI}F`, '\x1bOF', `${CSI}4~`].includes(sequence)) {
        echo(forward(rest));
        cursor = chars.length;
      } else if (sequence === `${CSI}3~` && rest > 0) {
        bytes -= utf8Bytes(chars[cursor]!);
        chars.splice(cursor, 1);
        const after = chars.slice(cursor).join('');
        echo(`${after} ${back(rest)}`);
      }
    } else if (key === '\r' || key === '\n') {
      if (key === '\r' && keys[i + 1] === '\n') i += 1;
      const text = finishLine();
      echo('\r\n');
      effects.push({ kind: 'send', data: `${text}\n` });
    } else if (key === '\x7f' || key === '\b') {
      if (cursor === 0) continue;
      cursor -= 1;
      bytes -= utf8Bytes(chars[cursor]!);
      chars.splice(cursor, 1);
      const after = chars.slice(cursor).join('');
      echo(`\b${after} ${back(chars.length - cursor + 1)}`);
    } else if (key === '\x03') {
      finishLine();
      echo('^C\r\n');
      effects.push({ kind: 'signal', signal: 'interrupt' });
    } else if (key === '\x04') {
      const text = finishLine();
      if (text !== '') effects.push({ kind: 'send', data: text });
      effects.push({ kind: 'signal', signal: 'eof' });
    } else if (key === '\x15') {
      echo(eraseLine({ chars, cursor }));
      chars = [];
      cursor = 0;
      bytes = 0;
    } else if (isPrintable(key)) {
      const size = utf8Bytes(key);
      // One byte stays for the "\n".
      if (bytes + size > maxBytes - 1) {
        effects.push({ kind: 'bell' });
        continue;
      }
      chars.splice(cursor, 0, key);
      cursor += 1;
      bytes += size;
      const after = chars.slice(cursor).join('');
      echo(`${key}${after}${back(chars.length - cursor)}`);
    }
  }
  return { line: { chars, cursor }, effects };
}
