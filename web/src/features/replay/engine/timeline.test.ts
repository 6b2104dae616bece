// Timeline parsing, the question at an instant and the session's bounds.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../api/playbackTypes';
import { QuestionTrack, sessionBounds, timedEvents } from './timeline';

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 8, 0, s)).toISOString();
const ms = (s: number) => Date.UTC(2026, 11, 6, 8, 0, s);

describe('timedEvents', () => {
  it('orders by time, keeps ties in order, leaves out unknown kinds and bad times', () => {
    const events = [
      { at: at(5), kind: 'joined', participant_id: 'p1', data: { role: 'candidate' } },
      { at: at(2), kind: 'started', participant_id: null, data: {} },
      { at: at(5), kind: 'left', participant_id: 'p1', data: { role: 'candidate' } },
      { at: at(3), kind: 'teleported', participant_id: null, data: {} },
      { at: 'yesterday', kind: 'ended', participant_id: null, data: {} },
    ] as unknown as TimelineEvent[];
    expect(timedEvents(events).map((e) => e.event.kind)).toEqual(['started', 'joined', 'left']);
    expect(timedEvents(events)[0]?.atMs).toBe(ms(2));
  });
});

describe('QuestionTrack', () => {
  it('says which question was chosen at each instant', () => {
    const track = new QuestionTrack(
      timedEvents([
        { at: at(10), kind: 'question_changed', participant_id: 'h', data: { question_id: 'q2' } },
        { at: at(20), kind: 'question_changed', participant_id: 'h', data: { question_id: null } },
        { at: at(30), kind: 'question_changed', participant_id: 'h', data: { question_id: 'q3' } },
      ]),
    );
    expect(track.questionAt(ms(0))).toBeNull();
    expect(track.questionAt(ms(10))).toBe('q2');
    expect(track.questionAt(ms(15))).toBe('q2');
    expect(track.questionAt(ms(25))).toBeNull();
    expect(track.questionAt(ms(99))).toBe('q3');
  });
});

describe('sessionBounds', () => {
  const none = { firstActivityMs: null, lastCodeMs: null, lastActivityMs: null };
  it('runs from the start to the end, or to a later code change', () => {
    expect(sessionBounds({ ...none, startedAt: at(0), endedAt: at(60), nowMs: ms(999) })).toEqual({
      startMs: ms(0),
      endMs: ms(60),
    });
    expect(
      sessionBounds({ ...none, startedAt: at(0), endedAt: at(60), lastCodeMs: ms(61), nowMs: ms(999) }).endMs,
    ).toBe(ms(61));
  });

  it('runs to now while live, and from the first activity before a start', () => {
    expect(
      sessionBounds({ ...none, startedAt: at(0), endedAt: null, lastActivityMs: ms(30), nowMs: ms(40) }).endMs,
    ).toBe(ms(40));
    expect(sessionBounds({ ...none, startedAt: null, endedAt: null, firstActivityMs: ms(5), nowMs: ms(9) })).toEqual({
      startMs: ms(5),
      endMs: ms(9),
    });
  });
});
