// The replay clock: play, pause, speed, stopping at the end, skipping idle stretches.
import { describe, expect, it } from 'vitest';
import { advance, initialPlayback, seek, stepSpeed, togglePlaying, type Span } from './playback';
import { PlayTimeMap } from './playTime';

const plain: Span = { startMs: 0, endMs: 60_000, map: new PlayTimeMap(0, 60_000) };

describe('playback', () => {
  it('advances by wall time × speed while playing, and not while paused', () => {
    let state = initialPlayback(0);
    expect(advance(state, 1_000, plain)).toBe(state);
    state = togglePlaying(state, plain);
    expect(state.playing).toBe(true);
    expect(advance(state, 1_000, plain).positionMs).toBe(1_000);
    state = stepSpeed(stepSpeed(stepSpeed(state, 1), 1), 1);
    expect(state.speed).toBe(8);
    expect(advance(state, 1_000, plain).positionMs).toBe(8_000);
  });

  it('stops at the end and plays again from the start', () => {
    let state = togglePlaying(seek(initialPlayback(0), 59_000, plain), plain);
    state = advance(state, 5_000, plain);
    expect(state).toMatchObject({ positionMs: 60_000, playing: false });
    state = togglePlaying(state, plain);
    expect(state).toMatchObject({ positionMs: 0, playing: true });
  });

  it('keeps speeds within 1× to 32× and seeks within the session', () => {
    let state = initialPlayback(0);
    expect(stepSpeed(state, -1)).toBe(state);
    for (let i = 0; i < 10; i++) state = stepSpeed(state, 1);
    expect(state.speed).toBe(32);
    expect(seek(state, -5, plain).positionMs).toBe(0);
    expect(seek(state, 1e12, plain).positionMs).toBe(60_000);
  });

  it('crosses an idle stretch in about a second of play', () => {
    const span: Span = {
      startMs: 0,
      endMs: 60_000,
      map: new PlayTimeMap(0, 60_000, [{ fromMs: 10_000, toMs: 50_000 }]),
    };
    let state = togglePlaying(seek(initialPlayback(0), 10_000, span), span);
    state = advance(state, 500, span);
    expect(state.positionMs).toBe(30_000);
    state = advance(state, 500, span);
    expect(state.positionMs).toBe(50_000);
  });
});
