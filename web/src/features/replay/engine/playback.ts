// The replay's clock as plain values: where the playhead is (session time, unix ms), whether it
// plays, and how fast. Every change is a pure function of the previous state and the session's
// span, whose play time map squeezes idle stretches or not (the page keeps the state in React
// and ticks it once per animation frame).
import { PlayTimeMap } from './playTime';

export const SPEEDS = [1, 2, 4, 8, 16, 32] as const;
export type Speed = (typeof SPEEDS)[number];

export interface Playback {
  positionMs: number;
  playing: boolean;
  speed: Speed;
}

/** The session's span (unix ms) and, for the current "Skip idle" choice, its play time map. */
export interface Span {
  startMs: number;
  endMs: number;
  map: PlayTimeMap;
}

export function initialPlayback(positionMs: number): Playback {
  return { positionMs, playing: false, speed: 1 };
}

function clamp(ms: number, span: Span): number {
  return Math.min(Math.max(ms, span.startMs), span.endMs);
}

/** `wallMs` of real time later: the playhead moves `wallMs × speed` of play time and stops at the end. */
export function advance(state: Playback, wallMs: number, span: Span): Playback {
  if (!state.playing || wallMs <= 0) return state;
  const played = span.map.toPlay(clamp(state.positionMs, span)) + wallMs * state.speed;
  const positionMs = clamp(span.map.toReal(played), span);
  return { ...state, positionMs, playing: positionMs < span.endMs };
}

export function seek(state: Playback, positionMs: number, span: Span): Playback {
  return { ...state, positionMs: clamp(positionMs, span) };
}

/** Play (from the start again when at the end) or pause. */
export function togglePlaying(state: Playback, span: Span): Playback {
  if (state.playing) return { ...state, playing: false };
  const atEnd = state.positionMs >= span.endMs;
  return { ...state, playing: span.endMs > span.startMs, positionMs: atEnd ? span.startMs : state.positionMs };
}

/** One step along SPEEDS (`+1` faster, `-1` slower), staying within it. */
export function stepSpeed(state: Playback, direction: 1 | -1): Playback {
  const index = SPEEDS.indexOf(state.speed) + direction;
  const speed = SPEEDS[Math.min(Math.max(index, 0), SPEEDS.length - 1)] as Speed;
  return speed === state.speed ? state : { ...state, speed };
}

export function isSpeed(value: number): value is Speed {
  return (SPEEDS as readonly number[]).includes(value);
}
