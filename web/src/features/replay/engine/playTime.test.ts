// Idle stretches and the session ⇄ play time map.
import { describe, expect, it } from 'vitest';
import { IDLE_PLAYS_AS_MS, PlayTimeMap, idleStretches } from './playTime';

describe('idleStretches', () => {
  it('finds gaps over 10 s between moments of activity, counting the start and the end', () => {
    expect(idleStretches([5_000, 7_000, 40_000, 45_000], 0, 100_000)).toEqual([
      { fromMs: 7_000, toMs: 40_000 },
      { fromMs: 45_000, toMs: 100_000 },
    ]);
    expect(idleStretches([], 0, 9_000)).toEqual([]);
    // Activity outside the session is ignored; exactly 10 s is not idle.
    expect(idleStretches([50_000, 1_000_000], 0, 60_000)).toEqual([{ fromMs: 0, toMs: 50_000 }]);
  });
});

describe('PlayTimeMap', () => {
  it('is the identity without stretches', () => {
    const map = new PlayTimeMap(1_000, 61_000);
    expect(map.toPlay(31_000)).toBe(31_000);
    expect(map.toReal(31_000)).toBe(31_000);
    expect(map.playLengthMs).toBe(60_000);
  });

  it('squeezes each idle stretch to a second and maps back', () => {
    const map = new PlayTimeMap(0, 100_000, [
      { fromMs: 10_000, toMs: 40_000 },
      { fromMs: 50_000, toMs: 90_000 },
    ]);
    expect(map.playLengthMs).toBe(100_000 - 30_000 - 40_000 + 2 * IDLE_PLAYS_AS_MS);
    expect(map.toPlay(10_000)).toBe(10_000);
    expect(map.toPlay(25_000)).toBe(10_500); // halfway through the first stretch
    expect(map.toPlay(40_000)).toBe(11_000);
    expect(map.toPlay(45_000)).toBe(16_000);
    expect(map.toPlay(100_000)).toBe(32_000);
    for (const real of [0, 5_000, 25_000, 40_000, 47_000, 60_000, 95_000, 100_000])
      expect(map.toReal(map.toPlay(real))).toBeCloseTo(real, 6);
    expect(map.toPlay(-5)).toBe(0);
    expect(map.toReal(1e9)).toBe(100_000);
  });

  it('handles stretches that touch', () => {
    const map = new PlayTimeMap(0, 60_000, [
      { fromMs: 0, toMs: 30_000 },
      { fromMs: 30_000, toMs: 60_000 },
    ]);
    expect(map.playLengthMs).toBe(2 * IDLE_PLAYS_AS_MS);
    expect(map.toReal(map.toPlay(30_000))).toBe(30_000);
    expect(map.toReal(1_500)).toBe(45_000);
  });
});
