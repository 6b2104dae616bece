// The replay clock in React: its state, and while it plays an animation-frame loop that moves
// it by the time since the last frame (at most a quarter second, so a tab coming back from the
// background does not leap).
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { advance, type Playback, type Span } from './engine/playback';

const LONGEST_FRAME_MS = 250;

export function usePlayback(span: Span, initial: () => Playback): [Playback, Dispatch<SetStateAction<Playback>>] {
  const [playback, setPlayback] = useState(initial);
  const { playing } = playback;

  useEffect(() => {
    if (!playing) return undefined;
    let last = performance.now();
    let frame = 0;
    const step = (now: number) => {
      const wallMs = Math.min(Math.max(0, now - last), LONGEST_FRAME_MS);
      last = now;
      setPlayback((current) => advance(current, wallMs, span));
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, span]);

  return [playback, setPlayback];
}
