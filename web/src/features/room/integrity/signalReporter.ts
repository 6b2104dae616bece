// Turns what happens in the candidate's browser (the tab hidden and shown, the window losing and
// regaining focus, pastes and large copies in the editor) into the signal reports the server
// stores, and decides what not to report:
// - the window losing focus is reported only once it has stayed unfocused for FOCUS_GRACE_MS, so
//   focus flapping (a click in the address bar) is not noise, and a blur that is the start of a
//   tab switch is reported once, as `tab_hidden`, not also as `focus_lost`; `focus_gained` comes
//   only after a reported `focus_lost`, with how long it lasted;
// - pastes (and copies) are reported at once, then at most one report per MERGE_WINDOW_MS: a
//   burst (Ctrl+V held down) is merged into the next report (lengths summed, external if any was);
// - a budget below the server's rate limit drops what a runaway page would send anyway in vain.
// Pure apart from the clock it is given (tests pass a fake one); it never throws to its caller.
import { SIGNAL_LIMITS, type SignalReport } from '../../../api/signalTypes';

/** A blur shorter than this is not reported (nor one that turns into the tab being hidden). */
export const FOCUS_GRACE_MS = 1000;
/** Pastes (and copies) are reported at most once per this window; a burst is merged. */
export const MERGE_WINDOW_MS = 2000;
/** Reports allowed at once, and per minute after that: under the server's 60 / 30 a minute, which
 * a second tab of the candidate's shares. */
export const REPORT_BUDGET = { burst: 40, perMinute: 24 } as const;

export interface ReporterClock {
  now(): number;
  /** Calls `callback` after `ms`; returns what cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const browserClock: ReporterClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

export interface Paste {
  /** Characters. */
  length: number;
  external: boolean;
}

export interface Copy {
  /** Characters. */
  length: number;
  /** Share of the document, 0..1. */
  share: number;
}

export class SignalReporter {
  private hiddenSince: number | null = null;
  private blurredSince: number | null = null;
  private focusLostReported = false;
  private cancelFocusGrace: (() => void) | null = null;
  private readonly pastes: ThrottledReport<Paste>;
  private readonly copies: ThrottledReport<Copy>;
  private readonly budget: TokenBucket;
  private disposed = false;

  constructor(
    private readonly deliver: (report: SignalReport) => void,
    private readonly clock: ReporterClock = browserClock,
  ) {
    this.budget = new TokenBucket(REPORT_BUDGET.burst, REPORT_BUDGET.perMinute / 60_000, clock.now());
    this.pastes = new ThrottledReport<Paste>(
      clock,
      (a, b) => ({ length: a.length + b.length, external: a.external || b.external }),
      (paste) => this.emit({ kind: 'paste', length: clampLength(paste.length), external: paste.external }),
    );
    this.copies = new ThrottledReport<Copy>(
      clock,
      (a, b) => (b.share >= a.share ? b : a),
      (copy) => this.emit({ kind: 'copy', length: clampLength(copy.length), share: clampShare(copy.share) }),
    );
  }

  /** The page became hidden (another tab, a minimised window). */
  tabHidden(): void {
    if (this.disposed || this.hiddenSince !== null) return;
    this.hiddenSince = this.clock.now();
    // A blur just before is this same leaving: not a `focus_lost` of its own.
    this.stopFocusGrace();
    this.emit({ kind: 'tab_hidden' });
  }

  /** The page is visible again. */
  tabShown(): void {
    if (this.disposed || this.hiddenSince === null) return;
    const hiddenFor = this.clock.now() - this.hiddenSince;
    this.hiddenSince = null;
    this.emit({ kind: 'tab_visible', duration_ms: clampDuration(hiddenFor) });
  }

  /** The browser window lost focus (another window or application, devtools…). */
  windowBlurred(): void {
    if (this.disposed || this.blurredSince !== null) return;
    this.blurredSince = this.clock.now();
    if (this.hiddenSince !== null) return;
    this.cancelFocusGrace = this.clock.setTimer(() => {
      this.cancelFocusGrace = null;
      if (this.blurredSince === null || this.hiddenSince !== null) return;
      this.focusLostReported = true;
      this.emit({ kind: 'focus_lost' });
    }, FOCUS_GRACE_MS);
  }

  /** The browser window has focus again. */
  windowFocused(): void {
    if (this.disposed) return;
    this.stopFocusGrace();
    const since = this.blurredSince;
    const reported = this.focusLostReported;
    this.blurredSince = null;
    this.focusLostReported = false;
    if (reported && since !== null)
      this.emit({ kind: 'focus_gained', duration_ms: clampDuration(this.clock.now() - since) });
  }

  pasted(paste: Paste): void {
    if (this.disposed || paste.length <= 0) return;
    this.pastes.add(paste);
  }

  copied(copy: Copy): void {
    if (this.disposed || copy.length <= 0) return;
    this.copies.add(copy);
  }

  /** Stops for good; pastes and copies still held back in a merge window are sent first. */
  dispose(): void {
    if (this.disposed) return;
    this.stopFocusGrace();
    this.pastes.flush();
    this.copies.flush();
    this.disposed = true;
  }

  private stopFocusGrace() {
    this.cancelFocusGrace?.();
    this.cancelFocusGrace = null;
  }

  private emit(report: SignalReport) {
    if (this.disposed || !this.budget.take(this.clock.now())) return;
    try {
      this.deliver(report);
    } catch {
      // Reporting must never break the page it watches.
    }
  }
}

/**
 * Sends a value at once, then holds later ones until MERGE_WINDOW_MS after the last send,
 * merging them into one (leading and trailing throttle).
 */
class ThrottledReport<T> {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending: T | null = null;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly clock: ReporterClock,
    private readonly merge: (held: T, next: T) => T,
    private readonly send: (value: T) => void,
  ) {}

  add(value: T) {
    this.pending = this.pending === null ? value : this.merge(this.pending, value);
    if (this.cancel) return;
    const wait = this.lastSentAt + MERGE_WINDOW_MS - this.clock.now();
    if (wait <= 0) this.flush();
    else
      this.cancel = this.clock.setTimer(() => {
        this.cancel = null;
        this.flush();
      }, wait);
  }

  flush() {
    this.cancel?.();
    this.cancel = null;
    const value = this.pending;
    this.pending = null;
    if (value === null) return;
    this.lastSentAt = this.clock.now();
    this.send(value);
  }
}

/** `capacity` tokens, refilled at `perMs` a millisecond. */
class TokenBucket {
  private tokens: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private updatedAt: number,
  ) {
    this.tokens = capacity;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, Math.round(value)));
const clampLength = (length: number) => clamp(length, SIGNAL_LIMITS.maxLength);
const clampDuration = (ms: number) => clamp(ms, SIGNAL_LIMITS.maxDurationMs);
/** Within 0..1, to four decimals. */
const clampShare = (share: number) => Math.min(1, Math.max(0, Math.round(share * 10_000) / 10_000));
