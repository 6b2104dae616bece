// "Skip idle": stretches longer than IDLE_AFTER_MS with nothing in them (no edit, no event)
// play as if they lasted IDLE_PLAYS_AS_MS. Play time is session time with those stretches
// squeezed; the map between the two is piecewise linear (a knot at each stretch's ends), so
// the clock advances in play time and the page shows session time. Without skipping, the map
// is the identity.

/** A gap between two moments of activity longer than this is idle. */
export const IDLE_AFTER_MS = 10_000;
/** An idle stretch plays in this long (at 1×). */
export const IDLE_PLAYS_AS_MS = 1_000;

export interface IdleStretch {
  fromMs: number;
  toMs: number;
}

/**
 * The idle stretches of a session from `startMs` to `endMs`, given when something happened
 * (any order; outside the session ignored). The session's start and end count as activity.
 */
export function idleStretches(activityMs: readonly number[], startMs: number, endMs: number): IdleStretch[] {
  const moments = activityMs.filter((t) => t > startMs && t < endMs).sort((a, b) => a - b);
  moments.unshift(startMs);
  moments.push(endMs);
  const stretches: IdleStretch[] = [];
  for (let i = 1; i < moments.length; i++) {
    const from = moments[i - 1] as number;
    const to = moments[i] as number;
    if (to - from > IDLE_AFTER_MS) stretches.push({ fromMs: from, toMs: to });
  }
  return stretches;
}

/** Session time ⇄ play time. */
export class PlayTimeMap {
  /** Knots: session times and the play times they map to, both increasing. */
  private readonly real: number[];
  private readonly play: number[];

  /** `stretches` sorted and inside [startMs, endMs]; none: the identity. */
  constructor(startMs: number, endMs: number, stretches: readonly IdleStretch[] = []) {
    this.real = [startMs];
    this.play = [startMs];
    let squeezed = 0;
    for (const { fromMs, toMs } of stretches) {
      const kept = Math.min(IDLE_PLAYS_AS_MS, toMs - fromMs);
      this.real.push(fromMs, toMs);
      this.play.push(fromMs - squeezed, fromMs - squeezed + kept);
      squeezed += toMs - fromMs - kept;
    }
    this.real.push(Math.max(endMs, startMs));
    this.play.push(Math.max(endMs, startMs) - squeezed);
  }

  get startMs(): number {
    return this.real[0] as number;
  }

  get endMs(): number {
    return this.real[this.real.length - 1] as number;
  }

  /** How long the whole session plays, in play milliseconds at 1×. */
  get playLengthMs(): number {
    return (this.play[this.play.length - 1] as number) - (this.play[0] as number);
  }

  toPlay(realMs: number): number {
    return interpolate(this.real, this.play, realMs);
  }

  toReal(playMs: number): number {
    return interpolate(this.play, this.real, playMs);
  }
}

/** y at x on the polyline through (xs[i], ys[i]) (xs non-decreasing), clamped to its ends. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const last = xs.length - 1;
  if (x <= (xs[0] as number)) return ys[0] as number;
  if (x >= (xs[last] as number)) return ys[last] as number;
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if ((xs[mid] as number) <= x) low = mid;
    else high = mid;
  }
  const x0 = xs[low] as number;
  const x1 = xs[high] as number;
  const y0 = ys[low] as number;
  const y1 = ys[high] as number;
  return x1 === x0 ? y1 : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
}
