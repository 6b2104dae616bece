// Human labels and colour tones for run statuses and test-case outcomes, the words that say
// what ended a run or a test case ("Runtime error (exit code 1)"), plus the small formatters
// the panel shares (milliseconds, kilobytes, language names, signals).
import { LANGUAGE_LABELS, type Language } from '../../../api/types';
import type { ExceededLimit } from './types';

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

/** What is known about how a program ended (a stored run's or a test case's fields). */
export interface EndFacts {
  exit_code?: number | null | undefined;
  signal?: number | null | undefined;
  time_ms?: number | null | undefined;
  memory_kb?: number | null | undefined;
  /** The limit that ended it, when the server says which. */
  limit?: ExceededLimit | null | undefined;
}

/**
 * How a run or a test case ended, in words: "Runtime error (exit code 1)", "Time limit exceeded
 * (2 s CPU)", "Process exited with code 0"… The facts add what is known: the limit that ended
 * it, else what it used (a signal the runner sent for a limit is its own, so it is not
 * mentioned). Cancelled runs say who cancelled them elsewhere (the server's message).
 */
export function statusWords(status: string, facts: EndFacts = {}): string {
  const { exit_code: code, signal, time_ms: time, memory_kb: memory, limit } = facts;
  if (limit && status.endsWith('_limit')) return `${statusInfo(status).label} (${limitWords(limit)})`;
  const known = (n: number | null | undefined): n is number => n !== null && n !== undefined;
  switch (status) {
    case 'finished':
      return known(code) ? `Process exited with code ${code}` : 'Finished';
    case 'runtime_error':
      if (known(signal)) return `Runtime error (${signalWords(signal)})`;
      return known(code) ? `Runtime error (exit code ${code})` : 'Runtime error';
    case 'time_limit':
      return known(time) ? `Time limit exceeded (used ${formatMs(time)})` : 'Time limit exceeded';
    case 'memory_limit':
      return known(memory) ? `Memory limit exceeded (used ${formatKb(memory)})` : 'Memory limit exceeded';
    case 'output_limit':
      return 'Output limit exceeded (the program printed too much)';
    case 'compile_error':
      return 'Compile error';
    case 'internal_error':
      return 'Internal error (the runner failed, not the program; try again)';
    case 'cancelled':
      return 'Cancelled';
    case 'queued':
      return 'Queued';
    case 'running':
      return 'Running';
    default:
      return statusInfo(status).label;
  }
}

/**
 * One test case's outcome: a wrong answer is still status `finished` with `passed: false`;
 * a case that did not finish says why, with its exit code or signal when known.
 */
export function caseOutcome(
  status: string,
  passed: boolean | null,
  facts: Pick<EndFacts, 'exit_code' | 'signal' | 'limit'> = {},
): { label: string; tone: Tone } {
  if (passed === true) return { label: 'Passed', tone: 'success' };
  if (passed === false && status === 'finished') return { label: 'Wrong answer', tone: 'danger' };
  if (status === 'finished') return { label: 'Finished', tone: 'neutral' };
  const tone = statusInfo(status).tone;
  return { label: statusWords(status, facts), tone: tone === 'success' ? 'neutral' : tone };
}

/** The limit in words: "2 s CPU", "5 s wall clock", "256 MB", "1 MB per stream". */
export function limitWords({ kind, value }: ExceededLimit): string {
  switch (kind) {
    case 'cpu_time':
      return `${roundMs(value)} CPU`;
    case 'wall_time':
      return `${roundMs(value)} wall clock`;
    case 'memory':
      return roundBytes(value);
    case 'output':
      return `${roundBytes(value)} per stream`;
    case 'file_size':
      return `${roundBytes(value)} per file`;
  }
}

/** A limit's milliseconds without noise: "2 s", "2.5 s", "500 ms". */
function roundMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(2))} s`;
}

/** A limit's bytes without noise: "256 MB", "1.5 MB", "64 KB", "100 bytes". */
function roundBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
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

/** Well-known signals (Linux x86-64): name, and what they usually mean for a program. */
const SIGNALS: Record<number, { name: string; meaning?: string }> = {
  1: { name: 'SIGHUP' },
  2: { name: 'SIGINT' },
  4: { name: 'SIGILL', meaning: 'illegal instruction' },
  6: { name: 'SIGABRT', meaning: 'aborted' },
  7: { name: 'SIGBUS', meaning: 'bus error' },
  8: { name: 'SIGFPE', meaning: 'arithmetic error' },
  9: { name: 'SIGKILL' },
  11: { name: 'SIGSEGV', meaning: 'segmentation fault' },
  13: { name: 'SIGPIPE', meaning: 'broken pipe' },
  14: { name: 'SIGALRM' },
  15: { name: 'SIGTERM', meaning: 'terminated' },
  24: { name: 'SIGXCPU', meaning: 'CPU time limit' },
  25: { name: 'SIGXFSZ', meaning: 'file size limit' },
  31: { name: 'SIGSYS', meaning: 'forbidden system call' },
};

/** "segmentation fault, SIGSEGV", "killed by SIGKILL", "killed by signal 64". */
export function signalWords(signal: number): string {
  const known = SIGNALS[signal];
  if (!known) return `killed by signal ${signal}`;
  return known.meaning ? `${known.meaning}, ${known.name}` : `killed by ${known.name}`;
}
