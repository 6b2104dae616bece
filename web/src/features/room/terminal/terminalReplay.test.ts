// Unit tests for the terminal's replay to late listeners: one terminal_state with the
// transcript so far (raw-mode input left out, bounded), the end when it came, a new session
// replacing the old one.
import { describe, expect, it } from 'vitest';
import { REPLAY_TRANSCRIPT_CHARS, TerminalReplay } from './terminalReplay';

const start = (session_id: string, mode: 'line' | 'raw' = 'line') => ({
  type: 'terminal_started',
  v: 1,
  session_id,
  language: 'python',
  mode,
  started_by: 'p',
  started_at: 't',
});
const out = (session_id: string, data: string) => ({ type: 'terminal_output', v: 1, session_id, seq: 1, data });
const typed = (session_id: string, data: string) => ({
  type: 'terminal_input',
  v: 1,
  session_id,
  seq: 1,
  data,
  by: 'p',
});

describe('TerminalReplay', () => {
  it('has nothing before a session, then the session with its transcript', () => {
    const replay = new TerminalReplay();
    replay.add({ type: 'presence' });
    replay.add(out('a', 'lost'));
    expect(replay.events()).toEqual([]);
    replay.add(start('a'));
    replay.add(out('a', '> '));
    replay.add(typed('a', 'hi\n'));
    replay.add(out('other', 'ignored'));
    expect(replay.events()).toEqual([{ ...start('a'), type: 'terminal_state', transcript: '> hi\n' }]);
  });

  it('leaves raw-mode input out, bounds the transcript, and keeps the end', () => {
    const replay = new TerminalReplay();
    replay.add(start('b', 'raw'));
    replay.add(typed('b', 'x'));
    replay.add(out('b', 'y'.repeat(REPLAY_TRANSCRIPT_CHARS + 10)));
    const ended = { type: 'terminal_ended', v: 1, session_id: 'b', reason: 'exited', exit_code: 0, message: 'Done.' };
    replay.add(ended);
    replay.add(out('b', 'after the end'));
    const [state, end] = replay.events() as [{ transcript: string }, unknown];
    expect(state.transcript).toBe('y'.repeat(REPLAY_TRANSCRIPT_CHARS));
    expect(end).toEqual(ended);
    replay.add(start('c'));
    expect(replay.events()).toHaveLength(1);
    replay.clear();
    expect(replay.events()).toEqual([]);
  });
});
