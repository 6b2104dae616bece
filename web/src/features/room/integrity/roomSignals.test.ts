// Unit tests for the interviewers' signal data: reading the timeline, merging it with live
// events without duplicates, and pairing absences into single entries.
import { describe, expect, it } from 'vitest';
import type { SignalData } from '../../../api/signalTypes';
import { mergeSignals, signalEntries, signalFromRoomEvent, signalsFromTimeline, type RoomSignal } from './roomSignals';

const CANDIDATE = 'p-cand';
const T0 = Date.parse('2026-12-06T08:00:00.000Z');

function signal(offsetMs: number, data: SignalData, participantId = CANDIDATE): RoomSignal {
  const atMs = T0 + offsetMs;
  return { at: new Date(atMs).toISOString(), atMs, participantId, signal: data };
}

describe('signalsFromTimeline', () => {
  it('keeps the signal events and leaves out the others and the malformed', () => {
    const timeline = [
      { at: '2026-12-06T08:00:00Z', kind: 'started', participant_id: null, data: {} },
      {
        at: '2026-12-06T08:01:00.123456Z',
        kind: 'signal',
        participant_id: CANDIDATE,
        data: { kind: 'paste', length: 5, external: true },
      },
      { at: '2026-12-06T08:02:00Z', kind: 'signal', participant_id: CANDIDATE, data: { kind: 'telepathy' } },
      { at: 'not a time', kind: 'signal', participant_id: CANDIDATE, data: { kind: 'copy' } },
      {
        at: '2026-12-06T08:03:00Z',
        kind: 'signal',
        participant_id: CANDIDATE,
        data: { kind: 'large_insert', length: 350 },
      },
    ];
    expect(signalsFromTimeline(timeline).map((s) => [s.atMs - T0, s.signal.kind])).toEqual([
      [60_123, 'paste'],
      [180_000, 'large_insert'],
    ]);
    expect(signalsFromTimeline({ error: 'nope' })).toEqual([]);
  });
});

describe('mergeSignals', () => {
  it('adds each signal once, whatever precision its time was written with, in time order', () => {
    const live = signalFromRoomEvent({
      type: 'signal',
      v: 1,
      at: '2026-12-06T08:01:00.123Z',
      participant_id: CANDIDATE,
      signal: { kind: 'paste', length: 5, external: true },
    });
    expect(live).not.toBeNull();
    const stored = signalsFromTimeline([
      { at: '2026-12-06T08:00:30Z', kind: 'signal', participant_id: CANDIDATE, data: { kind: 'tab_hidden' } },
      {
        at: '2026-12-06T08:01:00.123456Z',
        kind: 'signal',
        participant_id: CANDIDATE,
        data: { kind: 'paste', length: 5, external: true },
      },
    ]);
    const merged = mergeSignals([live!], stored);
    expect(merged.map((s) => s.signal.kind)).toEqual(['tab_hidden', 'paste']);
    expect(mergeSignals(merged, stored)).toBe(merged);
  });

  it('keeps two different signals of the same instant', () => {
    const a = signal(0, { kind: 'paste', length: 5, external: true });
    const b = signal(0, { kind: 'paste', length: 6, external: true });
    expect(mergeSignals([a], [b])).toHaveLength(2);
  });
});

describe('signalEntries', () => {
  it('pairs a hidden tab with its return and a lost focus with its return', () => {
    const entries = signalEntries([
      signal(0, { kind: 'tab_hidden' }),
      signal(1000, { kind: 'paste', length: 412, external: true }),
      signal(72_000, { kind: 'tab_visible', duration_ms: 72_000 }),
      signal(80_000, { kind: 'focus_lost' }),
      signal(120_000, { kind: 'focus_gained', duration_ms: 41_000 }),
      signal(130_000, { kind: 'copy', length: 900, share: 0.82 }),
      signal(140_000, { kind: 'large_insert', length: 350 }),
    ]);
    expect(entries).toEqual([
      { type: 'away', where: 'tab', atMs: T0, durationMs: 72_000, back: true },
      { type: 'paste', atMs: T0 + 1000, length: 412, external: true },
      { type: 'away', where: 'window', atMs: T0 + 80_000, durationMs: 41_000, back: true },
      { type: 'copy', atMs: T0 + 130_000, length: 900, share: 0.82 },
      { type: 'large_insert', atMs: T0 + 140_000, length: 350 },
    ]);
  });

  it('shows an absence still going, a return whose leaving was not kept, and a leave without its return', () => {
    const entries = signalEntries([
      signal(10_000, { kind: 'tab_visible', duration_ms: 4000 }),
      signal(20_000, { kind: 'tab_hidden' }),
      signal(30_000, { kind: 'tab_hidden' }),
    ]);
    expect(entries).toEqual([
      { type: 'away', where: 'tab', atMs: T0 + 6000, durationMs: 4000, back: true },
      { type: 'away', where: 'tab', atMs: T0 + 20_000, durationMs: null, back: true },
      { type: 'away', where: 'tab', atMs: T0 + 30_000, durationMs: null, back: false },
    ]);
  });

  it('pairs per participant', () => {
    const entries = signalEntries([
      signal(0, { kind: 'tab_hidden' }, 'a'),
      signal(1000, { kind: 'tab_visible', duration_ms: 2000 }, 'b'),
    ]);
    expect(entries.map((e) => e.type === 'away' && e.back)).toEqual([true, false]);
  });
});
