// The headline of a run, as the run bar, the history and the test summary show it: for a test
// run its verdict (all passed / some failed / none passed, with the tally), for any other run
// its status; the colour follows the headline, so a test run whose program ran fine but failed
// its tests is never green. Pure.
import type { RunState } from './runReducer';
import { tally, type Tally } from './runReducer';
import { isFinishedStatus, statusInfo, type Tone } from './status';

export interface Headline {
  label: string;
  tone: Tone;
}

/** Statuses that say more than a verdict: nothing was judged (no case ran, or it was stopped). */
const NOT_JUDGED = new Set(['cancelled', 'internal_error']);

/**
 * Headline of a run from its status, its verdict (`passed | failed`, null for plain runs and
 * unfinished ones) and its tally (test runs, once known).
 */
export function runHeadline(status: string, verdict: string | null, counts: Tally | null): Headline {
  if (status === 'queued') return { label: 'Queued…', tone: 'neutral' };
  if (status === 'running') return { label: 'Running…', tone: 'info' };
  const byStatus = statusInfo(status);
  const ran = counts !== null && counts.total > 0 ? counts : null;
  if (NOT_JUDGED.has(status) || (verdict === null && ran === null)) return byStatus;
  const of = ran ? ` · ${ran.passed}/${ran.total}` : '';
  if (verdict === 'passed' || (verdict === null && ran !== null && ran.passed === ran.total))
    return { label: `All tests passed${of}`, tone: 'success' };
  // Failed: by how many, when the cases are known; else the status says why (a compile error).
  if (!ran) return status === 'finished' ? { label: 'Tests failed', tone: 'danger' } : byStatus;
  if (ran.passed === 0) return { label: `No tests passed${of}`, tone: 'danger' };
  return { label: `Some tests failed${of}`, tone: 'warning' };
}

/** The headline of a run the panel holds. */
export function headlineOf(run: RunState): Headline {
  if (!isFinishedStatus(run.status)) return runHeadline(run.status, null, null);
  return runHeadline(run.status, run.mode === 'test' ? run.verdict : null, run.mode === 'test' ? tally(run) : null);
}
