// The timeline in words (signals as facts, never verdicts), runs folded with their outcome,
// the current event, and the scrub bar's markers.
import { describe, expect, it } from 'vitest';
import type { SignalData, TimelineEvent } from '../../api/playbackTypes';
import { timedEvents } from './engine/timeline';
import { currentEventKey, runNumbers, signalText, tellEvents, type People } from './eventWords';
import { markersOf } from './markers';

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 8, 0, s)).toISOString();
const ms = (s: number) => Date.UTC(2026, 11, 6, 8, 0, s);
const people: People = new Map([
  ['h', { name: 'Hana Host', role: 'host' }],
  ['c', { name: 'Casey', role: 'candidate' }],
]);
const questions = [
  { id: 'q1', title: 'Two sums' },
  { id: 'q2', title: 'Brackets' },
];

const events: TimelineEvent[] = [
  { at: at(0), kind: 'started', participant_id: null, data: {} },
  { at: at(1), kind: 'joined', participant_id: 'c', data: { role: 'candidate' } },
  { at: at(10), kind: 'question_changed', participant_id: 'h', data: { question_id: 'q2' } },
  { at: at(12), kind: 'language_changed', participant_id: 'h', data: { language: 'go' } },
  { at: at(20), kind: 'run_started', participant_id: 'c', data: { run_id: 'r1', language: 'go', mode: 'test' } },
  {
    at: at(22),
    kind: 'run_finished',
    participant_id: 'c',
    data: { run_id: 'r1', status: 'finished', verdict: 'failed' },
  },
  { at: at(30), kind: 'signal', participant_id: 'c', data: { kind: 'paste', length: 240, external: true } },
  { at: at(40), kind: 'control_changed', participant_id: 'h', data: { changes: { editor_locked: true } } },
  { at: at(50), kind: 'note_edited', participant_id: 'h', data: { until: at(55), edits: 3 } },
  { at: at(60), kind: 'run_started', participant_id: 'h', data: { run_id: 'r2', language: 'go', mode: 'run' } },
  { at: at(70), kind: 'left', participant_id: 'gone', data: { role: 'observer' } },
  { at: at(90), kind: 'ended', participant_id: null, data: {} },
];

describe('tellEvents', () => {
  const told = tellEvents(timedEvents(events), people, questions);

  it('tells each event once, a run at its start with its outcome', () => {
    expect(told.map((e) => e.text)).toEqual([
      'The interview started',
      'Casey (candidate) joined',
      'Hana Host opened question 2: Brackets',
      'Hana Host switched the language to Go',
      'Casey ran the tests (Go) · Tests failed',
      'Casey: Pasted 240 characters from outside the editor',
      "Hana Host locked the candidate's editor",
      'Hana Host edited the notes (3 changes)',
      'Hana Host ran the code (Go)',
      'Someone (observer) left',
      'The interview ended',
    ]);
    expect(told[4]).toMatchObject({ group: 'run', runId: 'r1', tone: 'danger' });
    expect(told[8]?.tone).toBeUndefined(); // still running when the timeline was read
  });

  it('numbers runs in order and finds the current event', () => {
    expect([...runNumbers(timedEvents(events))]).toEqual([
      ['r1', 1],
      ['r2', 2],
    ]);
    expect(currentEventKey(told, ms(0) - 1)).toBeNull();
    expect(currentEventKey(told, ms(25))).toBe(told[4]?.key);
    expect(currentEventKey(told, ms(30))).toBe(told[5]?.key);
  });

  it('puts runs, switches, joins and leaves, and signals on the scrub bar, in lanes', () => {
    const markers = markersOf(told, ms(0), ms(90));
    expect(markers.map((m) => m.lane)).toEqual(['people', 'code', 'code', 'run', 'signal', 'run', 'people']);
    expect(markers[3]).toMatchObject({ runId: 'r1', tone: 'danger', fraction: 20 / 90 });
    expect(markersOf(told, ms(30), ms(40))[0]?.fraction).toBe(0); // clamped to the span
  });
});

describe('signalText', () => {
  const all: SignalData[] = [
    { kind: 'paste', length: 1 },
    { kind: 'paste', length: 12, external: false },
    { kind: 'copy', share: 0.86, length: 300 },
    { kind: 'tab_hidden' },
    { kind: 'tab_visible', duration_ms: 75_000 },
    { kind: 'focus_lost' },
    { kind: 'focus_gained', duration_ms: 8_000 },
    { kind: 'large_insert', length: 400 },
  ];

  it('says what happened, with amounts and durations', () => {
    expect(all.map(signalText)).toEqual([
      'Pasted 1 character',
      'Pasted 12 characters copied in the editor',
      'Copied 86 % of the code (300 characters)',
      'Switched away from the tab',
      'Came back to the tab after 1:15',
      'The window lost focus',
      'The window had focus again after 0:08',
      '400 characters arrived at once, with no paste reported',
    ]);
  });

  it('never words a signal as a judgement', () => {
    for (const text of all.map(signalText))
      expect(text).not.toMatch(/cheat|suspicious|suspect|violation|fraud|dishonest|flag|warning|alert/i);
  });
});
