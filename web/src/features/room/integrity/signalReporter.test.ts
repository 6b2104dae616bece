// Unit tests for what the reporter sends and when, on a fake clock: tab absences with their
// durations, focus losses only past the grace period and never doubled with a tab switch,
// merged paste bursts, the copy merge, the budget, and reports clamped to the server's bounds.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SignalReport } from '../../../api/signalTypes';
import { FOCUS_GRACE_MS, MERGE_WINDOW_MS, REPORT_BUDGET, SignalReporter, type ReporterClock } from './signalReporter';

class FakeClock implements ReporterClock {
  time = 1_000_000;
  private timers: { at: number; callback: () => void; live: boolean }[] = [];
  now = () => this.time;
  setTimer = (callback: () => void, ms: number) => {
    const timer = { at: this.time + ms, callback, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      next.live = false;
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }
}

let clock: FakeClock;
let sent: SignalReport[];
let reporter: SignalReporter;

beforeEach(() => {
  clock = new FakeClock();
  sent = [];
  reporter = new SignalReporter((report) => sent.push(report), clock);
});

describe('tab and window', () => {
  it('reports the tab hidden, then visible with how long it was hidden', () => {
    reporter.tabHidden();
    clock.advance(72_400);
    reporter.tabShown();
    expect(sent).toEqual([{ kind: 'tab_hidden' }, { kind: 'tab_visible', duration_ms: 72_400 }]);
  });

  it('ignores a repeated hidden or a visible without a hidden', () => {
    reporter.tabShown();
    reporter.tabHidden();
    clock.advance(500);
    reporter.tabHidden();
    clock.advance(500);
    reporter.tabShown();
    expect(sent).toEqual([{ kind: 'tab_hidden' }, { kind: 'tab_visible', duration_ms: 1000 }]);
  });

  it('reports a lost focus once it lasted the grace period, and its return with the whole duration', () => {
    reporter.windowBlurred();
    clock.advance(FOCUS_GRACE_MS - 1);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent).toEqual([{ kind: 'focus_lost' }]);
    clock.advance(39_000);
    reporter.windowFocused();
    expect(sent).toEqual([{ kind: 'focus_lost' }, { kind: 'focus_gained', duration_ms: 40_000 }]);
  });

  it('does not report focus flapping shorter than the grace period', () => {
    for (let i = 0; i < 10; i++) {
      reporter.windowBlurred();
      clock.advance(200);
      reporter.windowFocused();
      clock.advance(200);
    }
    clock.advance(5000);
    expect(sent).toEqual([]);
  });

  it('reports a tab switch once: the blur that comes with it is not a focus loss', () => {
    reporter.windowBlurred();
    clock.advance(5);
    reporter.tabHidden();
    clock.advance(30_000);
    reporter.tabShown();
    reporter.windowFocused();
    expect(sent.map((r) => r.kind)).toEqual(['tab_hidden', 'tab_visible']);
  });

  it('keeps a focus loss that began before the tab was hidden', () => {
    reporter.windowBlurred();
    clock.advance(FOCUS_GRACE_MS + 1000);
    reporter.tabHidden();
    clock.advance(10_000);
    reporter.tabShown();
    reporter.windowFocused();
    expect(sent).toEqual([
      { kind: 'focus_lost' },
      { kind: 'tab_hidden' },
      { kind: 'tab_visible', duration_ms: 10_000 },
      { kind: 'focus_gained', duration_ms: FOCUS_GRACE_MS + 11_000 },
    ]);
  });

  it('clamps a duration to the server’s bound (a day)', () => {
    reporter.tabHidden();
    clock.advance(2 * 86_400_000);
    reporter.tabShown();
    expect(sent[1]).toEqual({ kind: 'tab_visible', duration_ms: 86_400_000 });
  });
});

describe('pastes and copies', () => {
  it('reports a paste at once', () => {
    reporter.pasted({ length: 412, external: true });
    expect(sent).toEqual([{ kind: 'paste', length: 412, external: true }]);
  });

  it('merges a burst of pastes into one report after the window', () => {
    reporter.pasted({ length: 10, external: false });
    for (let i = 0; i < 20; i++) {
      clock.advance(50);
      reporter.pasted({ length: 10, external: i === 7 });
    }
    expect(sent).toHaveLength(1);
    clock.advance(MERGE_WINDOW_MS);
    expect(sent).toEqual([
      { kind: 'paste', length: 10, external: false },
      { kind: 'paste', length: 200, external: true },
    ]);
  });

  it('reports two pastes far apart separately', () => {
    reporter.pasted({ length: 5, external: false });
    clock.advance(MERGE_WINDOW_MS);
    reporter.pasted({ length: 7, external: true });
    expect(sent).toEqual([
      { kind: 'paste', length: 5, external: false },
      { kind: 'paste', length: 7, external: true },
    ]);
  });

  it('keeps the largest copy of a burst, and rounds the share', () => {
    reporter.copied({ length: 60, share: 0.6 });
    reporter.copied({ length: 90, share: 0.912345 });
    reporter.copied({ length: 70, share: 0.7 });
    clock.advance(MERGE_WINDOW_MS);
    expect(sent).toEqual([
      { kind: 'copy', length: 60, share: 0.6 },
      { kind: 'copy', length: 90, share: 0.9123 },
    ]);
  });

  it('sends what a merge window still holds when disposed, then nothing more', () => {
    reporter.pasted({ length: 1, external: true });
    reporter.pasted({ length: 2, external: true });
    reporter.dispose();
    reporter.pasted({ length: 3, external: true });
    reporter.tabHidden();
    clock.advance(10_000);
    expect(sent).toEqual([
      { kind: 'paste', length: 1, external: true },
      { kind: 'paste', length: 2, external: true },
    ]);
  });

  it('clamps a paste’s length to the server’s bound', () => {
    reporter.pasted({ length: 20_000_000, external: true });
    expect(sent).toEqual([{ kind: 'paste', length: 10_000_000, external: true }]);
  });
});

describe('budget and failures', () => {
  it('stops at the burst budget and refills over time', () => {
    for (let i = 0; i < REPORT_BUDGET.burst + 10; i++) {
      reporter.tabHidden();
      reporter.tabShown();
    }
    expect(sent).toHaveLength(REPORT_BUDGET.burst);
    clock.advance(60_000);
    reporter.tabHidden();
    expect(sent).toHaveLength(REPORT_BUDGET.burst + 1);
  });

  it('never throws when delivery fails', () => {
    const failing = new SignalReporter(() => {
      throw new Error('socket gone');
    }, clock);
    expect(() => {
      failing.tabHidden();
      failing.pasted({ length: 3, external: true });
    }).not.toThrow();
  });
});
