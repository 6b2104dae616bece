// Unit tests for the terminal's state machine: line editing and local echo, skipping our own
// echoed lines while printing others', raw mode, Ctrl+C/Ctrl+D, observers who cannot type,
// late join from the transcript, ordering by seq, the end message and refusals. What the
// screen shows is checked through a small interpreter of the few sequences the editor writes.
import { describe, expect, it } from 'vitest';
import { catchUp, resetScreen, print, SCREEN_KEEP_CHARS, type Screen } from './terminalScreen';
import {
  INITIAL_TERMINAL,
  terminalStep,
  utf8Chunks,
  type TerminalAction,
  type TerminalState,
  type TerminalViewer,
} from './terminalSession';
import type {
  TerminalClientMessage,
  TerminalEvent,
  TerminalInput,
  TerminalMode,
  TerminalOutput,
  TerminalStarted,
} from './terminalWire';

const ME = 'p-me';
const OTHER = 'p-other';
const SESSION = 's-1';
const typist: TerminalViewer = { selfId: ME, canUse: true };
const observer: TerminalViewer = { selfId: 'p-observer', canUse: false };

/** What a terminal shows after `text`: handles \r, \n, \b, CSI n C/D/K and SGR (ignored). */
function visible(screen: Screen): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const text = screen.text;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\x1b') {
      // eslint-disable-next-line no-control-regex
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i))!;
      i += m[0].length - 1;
      const n = Number(m[1] || '1');
      if (m[2] === 'D') col = Math.max(0, col - n);
      else if (m[2] === 'C') col += n;
      else if (m[2] === 'K') lines[row]!.length = Math.min(lines[row]!.length, col);
    } else if (c === '\r') col = 0;
    else if (c === '\n') {
      row += 1;
      lines[row] ??= [];
    } else if (c === '\b') col = Math.max(0, col - 1);
    else {
      const line = lines[row]!;
      while (line.length < col) line.push(' ');
      line[col] = c;
      col += 1;
    }
  }
  return lines.map((l) => l.join('').trimEnd());
}

function run(actions: TerminalAction[], viewer: TerminalViewer = typist, from: TerminalState = INITIAL_TERMINAL) {
  let state = from;
  const sent: TerminalClientMessage[] = [];
  let bells = 0;
  for (const action of actions) {
    const step = terminalStep(state, action, viewer);
    state = step.state;
    sent.push(...step.send);
    if (step.bell) bells += 1;
  }
  return { state, sent, bells };
}

const events = (...list: TerminalEvent[]): TerminalAction => ({ kind: 'events', events: list });
const keys = (data: string): TerminalAction => ({ kind: 'keys', data });
const started = (mode: TerminalMode = 'line', by = ME): TerminalStarted => ({
  type: 'terminal_started',
  v: 1,
  session_id: SESSION,
  language: 'python',
  mode,
  started_by: by,
  started_at: '2026-12-06T14:00:00Z',
});
const output = (seq: number, data: string): TerminalOutput => ({
  type: 'terminal_output',
  v: 1,
  session_id: SESSION,
  seq,
  data,
});
const input = (seq: number, data: string, by: string): TerminalInput => ({
  type: 'terminal_input',
  v: 1,
  session_id: SESSION,
  seq,
  data,
  by,
});
const inputData = (sent: TerminalClientMessage[]) => sent.flatMap((m) => (m.type === 'terminal_input' ? [m.data] : []));

describe('starting and stopping', () => {
  it('sends terminal_start once and waits for terminal_started', () => {
    const { state, sent } = run([
      { kind: 'start', mode: 'raw' },
      { kind: 'start', mode: 'raw' },
    ]);
    expect(sent).toEqual([{ type: 'terminal_start', v: 1, mode: 'raw' }]);
    expect(state.starting).toBe(true);
    const after = run([events(started('raw'))], typist, state).state;
    expect(after.starting).toBe(false);
    expect(after.session?.mode).toBe('raw');
  });

  it('stops the running session only', () => {
    expect(run([{ kind: 'stop' }]).sent).toEqual([]);
    const { sent, state } = run([events(started()), { kind: 'stop' }]);
    expect(sent).toEqual([{ type: 'terminal_stop', v: 1, session_id: SESSION }]);
    expect(state.stopping).toBe(true);
  });

  it('a refusal ends the wait and is kept until dismissed', () => {
    const { state } = run([
      { kind: 'start', mode: 'line' },
      events({ type: 'terminal_error', v: 1, code: 'busy', message: 'A program already runs.' }),
    ]);
    expect(state.starting).toBe(false);
    expect(state.problem).toEqual({ code: 'busy', message: 'A program already runs.' });
    expect(run([{ kind: 'dismiss' }], typist, state).state.problem).toBeNull();
  });

  it('gives up a start that got no answer', () => {
    const { state } = run([{ kind: 'start', mode: 'line' }, { kind: 'unanswered' }]);
    expect(state.starting).toBe(false);
    expect(state.problem?.code).toBe('unavailable');
    expect(run([{ kind: 'unanswered' }]).state.problem).toBeNull();
  });

  it('says so when the socket was closed to the message', () => {
    const { state } = run([{ kind: 'start', mode: 'line' }, { kind: 'unsent' }]);
    expect(state.starting).toBe(false);
    expect(state.problem?.code).toBe('offline');
  });
});

describe('line mode', () => {
  it('echoes locally and sends the line with "\\n" on Enter', () => {
    const { state, sent } = run([events(started(), output(1, 'Name? ')), keys('Ada'), keys('\r')]);
    expect(inputData(sent)).toEqual(['Ada\n']);
    expect(visible(state.screen)).toEqual(['Name? Ada', '']);
  });

  it('edits with Backspace, arrows, Home/End, Delete and Ctrl+U', () => {
    const typed = run([events(started()), keys('helo'), keys('\x1b[D'), keys('l'), keys('\x1b[C'), keys('!\x7f')]);
    expect(typed.state.line.chars.join('')).toBe('hello');
    expect(visible(typed.state.screen)).toEqual(['hello']);
    const more = run([keys('\x1b[H'), keys('\x1b[3~'), keys('\x1b[F'), keys('\r')], typist, typed.state);
    expect(inputData(more.sent)).toEqual(['ello\n']);
    expect(visible(more.state.screen)).toEqual(['ello', '']);
    const killed = run([keys('oops\x15'), keys('ok\r')], typist, more.state);
    expect(inputData(killed.sent)).toEqual(['ok\n']);
    expect(visible(killed.state.screen)).toEqual(['ello', 'ok', '']);
  });

  it('sends a pasted block line by line, whatever its line breaks', () => {
    const { sent, state } = run([events(started()), keys('one\rtwo\r\nthree\nfour')]);
    expect(inputData(sent)).toEqual(['one\n', 'two\n', 'three\n']);
    expect(state.line.chars.join('')).toBe('four');
    expect(visible(state.screen)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('ignores other control keys and Tab, and refuses a line past the input limit', () => {
    const { state, bells } = run([events(started()), keys('a\tb\x01\x1b[A'), keys('x'.repeat(5000))]);
    expect(state.line.chars.length).toBe(4095);
    expect(state.line.chars.slice(0, 2).join('')).toBe('ab');
    expect(bells).toBe(1);
  });

  it('skips the echo of our own lines and prints the lines of others', () => {
    const { state } = run([
      events(started(), output(1, '> ')),
      keys('mine\r'),
      events(input(2, 'mine\n', ME), output(3, '> ')),
      events(input(4, 'theirs\n', OTHER), output(5, '> ')),
    ]);
    expect(visible(state.screen)).toEqual(['> mine', '> theirs', '>']);
    expect(state.unechoed).toEqual([]);
  });

  it('prints our line if another tab of ours typed it (it was never echoed here)', () => {
    const { state } = run([events(started(), input(1, 'elsewhere\n', ME))]);
    expect(visible(state.screen)).toEqual(['elsewhere', '']);
  });

  it('a line of ours the server never echoed does not hide the next ones', () => {
    const { state } = run([
      events(started()),
      keys('lost\r'),
      keys('kept\r'),
      events(input(1, 'kept\n', ME), input(2, 'kept\n', OTHER)),
    ]);
    expect(visible(state.screen)).toEqual(['lost', 'kept', 'kept', '']);
    expect(state.unechoed).toEqual([]);
  });

  it('prints output above the line being typed and draws the line again', () => {
    const { state } = run([events(started(), output(1, '> ')), keys('half'), events(output(2, 'tick\n'))]);
    expect(visible(state.screen)).toEqual(['> tick', 'half']);
    const done = run([keys('!\r')], typist, state);
    expect(inputData(done.sent)).toEqual(['half!\n']);
  });
});

describe('raw mode', () => {
  it('sends each keystroke as typed and echoes nothing', () => {
    const { state, sent } = run([events(started('raw')), keys('a'), keys('\r'), keys('\x7f'), keys('\x1b[A')]);
    expect(inputData(sent)).toEqual(['a', '\r', '\x7f', '\x1b[A']);
    expect(state.screen.text).toBe('');
  });

  it('splits a long paste at the input limit, never inside a character', () => {
    const paste = 'é'.repeat(3000);
    const { sent } = run([events(started('raw')), keys(paste)]);
    const data = inputData(sent);
    expect(data.join('')).toBe(paste);
    expect(data.map((d) => new TextEncoder().encode(d).length)).toEqual([4096, 1904]);
    expect(utf8Chunks('ab', 1)).toEqual(['a', 'b']);
  });

  it('prints input events of nobody (raw mode has none) and output as it comes', () => {
    const { state } = run([events(started('raw'), output(1, 'x'), input(2, 'y\n', OTHER))]);
    expect(visible(state.screen)).toEqual(['x']);
  });
});

describe('Ctrl+C and Ctrl+D', () => {
  it('are signals in line mode, Ctrl+D after sending what was typed', () => {
    const { sent, state } = run([events(started()), keys('abc\x03'), keys('xy\x04'), keys('\x04')]);
    expect(sent).toEqual([
      { type: 'terminal_signal', v: 1, session_id: SESSION, signal: 'interrupt' },
      { type: 'terminal_input', v: 1, session_id: SESSION, data: 'xy' },
      { type: 'terminal_signal', v: 1, session_id: SESSION, signal: 'eof' },
      { type: 'terminal_signal', v: 1, session_id: SESSION, signal: 'eof' },
    ]);
    expect(visible(state.screen)).toEqual(['abc^C', 'xy']);
  });

  it('are signals in raw mode, between the keys around them', () => {
    const { sent } = run([events(started('raw')), keys('a\x03b\x04')]);
    expect(
      sent.map((m) => (m.type === 'terminal_signal' ? m.signal : m.type === 'terminal_input' ? m.data : '')),
    ).toEqual(['a', 'interrupt', 'b', 'eof']);
  });
});

describe('observers', () => {
  it('cannot start, type, interrupt or stop, but see everything', () => {
    const { sent, state } = run(
      [
        { kind: 'start', mode: 'line' },
        events(started('line', OTHER), output(1, '> '), input(2, 'hi\n', OTHER)),
        keys('typed\r\x03\x04'),
        { kind: 'stop' },
      ],
      observer,
    );
    expect(sent).toEqual([]);
    expect(state.starting).toBe(false);
    expect(visible(state.screen)).toEqual(['> hi', '']);
  });

  it('nobody types when no program runs', () => {
    expect(run([keys('a\r')]).sent).toEqual([]);
  });
});

describe('late join and reconnects', () => {
  it('shows the transcript of terminal_state, then what follows', () => {
    const { state } = run([
      events({
        type: 'terminal_state',
        v: 1,
        session_id: SESSION,
        language: 'python',
        mode: 'line',
        started_by: OTHER,
        started_at: '2026-12-06T14:00:00Z',
        transcript: 'Name? Ada\nHello Ada\n> ',
      }),
      events(output(40, 'more\n')),
    ]);
    expect(visible(state.screen)).toEqual(['Name? Ada', 'Hello Ada', '> more', '']);
    expect(state.session?.startedBy).toBe(OTHER);
  });

  it('a new session clears the screen; a repeated start does not', () => {
    const first = run([events(started(), output(1, 'old\n'))]).state;
    const repeated = run([events(started())], typist, first).state;
    expect(repeated.screen).toBe(first.screen);
    const second = run(
      [events({ ...started(), session_id: 's-2' }, { ...output(1, 'new'), session_id: 's-2' })],
      typist,
      first,
    );
    expect(visible(second.state.screen)).toEqual(['new']);
    expect(second.state.screen.epoch).toBeGreaterThan(first.screen.epoch);
  });

  it('stops typing while the socket is down, and ends the session if it did not come back', () => {
    const down = run([events(started()), { kind: 'disconnected' }, keys('a\r')]);
    expect(down.sent).toEqual([]);
    const back = run([{ kind: 'lost' }], typist, down.state);
    expect(back.state.end?.reason).toBe('error');
    const confirmed = run([events(output(1, 'still here')), { kind: 'lost' }, keys('b\r')], typist, down.state);
    expect(confirmed.state.end).toBeNull();
    expect(inputData(confirmed.sent)).toEqual(['b\n']);
  });
});

describe('ordering by seq', () => {
  it('applies a batch in seq order and drops duplicates', () => {
    const { state } = run([
      events(started(), output(3, 'c'), output(1, 'a'), input(2, 'b', OTHER)),
      events(output(2, 'B'), output(4, 'd')),
    ]);
    expect(visible(state.screen)).toEqual(['abcd']);
    expect(state.lastSeq).toBe(4);
  });

  it('ignores the output of another session', () => {
    const { state } = run([events(started(), { ...output(1, 'x'), session_id: 'other' })]);
    expect(state.screen.text).toBe('');
  });
});

describe('the end', () => {
  it('prints the message as the last line and lets a new start happen', () => {
    const { state, sent } = run([
      events(started(), output(1, '> ')),
      keys('unsent'),
      events({
        type: 'terminal_ended',
        v: 1,
        session_id: SESSION,
        reason: 'exited',
        exit_code: 0,
        message: 'Exited with code 0\x1b[31m.',
      }),
      keys('ignored\r'),
      { kind: 'start', mode: 'line' },
    ]);
    expect(visible(state.screen)).toEqual(['>', 'Exited with code 0 [31m.', '']);
    expect(state.end?.exitCode).toBe(0);
    expect(sent).toEqual([{ type: 'terminal_start', v: 1, mode: 'line' }]);
  });

  it('not_running ends a session we thought was running', () => {
    const { state } = run([
      events(started(), { type: 'terminal_error', v: 1, code: 'not_running', message: 'No such session.' }),
    ]);
    expect(state.end?.reason).toBe('error');
    expect(state.problem?.code).toBe('not_running');
  });

  it('Clear empties our screen only, keeping the line being typed', () => {
    const { state, sent } = run([events(started(), output(1, 'lots\n')), keys('ab'), { kind: 'clear' }]);
    expect(sent).toEqual([]);
    expect(visible(state.screen)).toEqual(['ab']);
  });
});

describe('the screen', () => {
  it('lets a view catch up with what it has not written, or start over', () => {
    const a = print(resetScreen(print({ epoch: 0, text: '', end: 0, atLineStart: true }, 'x')), 'hello');
    expect(catchUp(a, null)).toEqual({ reset: true, text: 'hello' });
    const b = print(a, ' world');
    expect(catchUp(b, { epoch: a.epoch, end: a.end })).toEqual({ reset: false, text: ' world' });
    expect(catchUp(b, { epoch: b.epoch, end: b.end })).toEqual({ reset: false, text: '' });
    expect(catchUp(b, { epoch: 0, end: 1 }).reset).toBe(true);
  });

  it('keeps a bounded tail, cut at a line start', () => {
    let screen = resetScreen({ epoch: 0, text: '', end: 0, atLineStart: true });
    const line = `${'x'.repeat(99)}\n`;
    const lines = Math.ceil((SCREEN_KEEP_CHARS * 2) / line.length);
    for (let i = 0; i < lines; i++) screen = print(screen, line);
    expect(screen.text.length).toBeLessThanOrEqual(SCREEN_KEEP_CHARS);
    expect(screen.text.startsWith('x')).toBe(true);
    expect(screen.end).toBe(lines * line.length);
  });
});
