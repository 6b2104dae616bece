// Human labels and colour tones for run statuses and test-case outcomes, plus the small
// formatters the panel shares (milliseconds, kilobytes, language names).
import { LANGUAGE_LABELS, type Language } from '../../../api/types';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

const STATUS: Record<string, { label: string; tone: Tone }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'info' },
  finished: { label: 'Finished', tone: 'success' },
  compile_error: { label: 'Compile error', tone: 'danger' },
  time_limit: { label: 'Time limit exceeded', tone: 'warning' },
  memory_limit: { label: 'Memory limit exceeded', tone: 'warning' },
  output_limit: { label: 'Output limit exceeded', tone: 'warning' },
  runtime_error: { label: 'Runtime error', tone: 'danger' },
  internal_error: { label: 'Internal error', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

/** Label and tone of a run status; an unknown status is shown as its words, in neutral. */
export function statusInfo(status: string): { label: string; tone: Tone } {
  const known = STATUS[status];
  if (known) return known;
  const words = status.replace(/_/g, ' ');
  return { label: words.charAt(0).toUpperCase() + words.slice(1), tone: 'neutral' };
}

export function isFinishedStatus(status: string): boolean {
  return status !== 'queued' && status !== 'running';
}

/** One test case's outcome: a wrong answer is still status `finished` with `passed: false`. */
export function caseOutcome(status: string, passed: boolean | null): { label: string; tone: Tone } {
  if (passed === true) return { label: 'Passed', tone: 'success' };
  if (passed === false && status === 'finished') return { label: 'Wrong answer', tone: 'danger' };
  if (status === 'finished') return { label: 'Finished', tone: 'neutral' };
  const info = statusInfo(status);
  return { label: info.label, tone: info.tone === 'success' ? 'neutral' : info.tone };
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatKb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined) return '—';
  if (kb < 1024) return `${kb} KB`;
  return `${(kb / 1024).toFixed(1)} MB`;
}

export function languageLabel(id: string): string {
  return (LANGUAGE_LABELS as Record<string, string>)[id as Language] ?? id;
}

/** Well-known signal numbers (Linux x86-64), for "Killed by SIGKILL (9)". */
const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  31: 'SIGSYS',
};

export function signalLabel(signal: number): string {
  const name = SIGNALS[signal];
  return name ? `${name} (${signal})` : `signal ${signal}`;
}
