// The room timer's words and numbers, from the interview's times and the current time: elapsed
// time since the start ("12:34"), the planned duration ("45:00"), what is left ("10 min left",
// "Over time by 3 min"), the tone (amber in the last 5 minutes, red once over), and a label for
// screen readers that changes once a minute at most. Pure, so it is unit-tested directly.

/** The interview fields the clock reads. */
export interface ClockInput {
  status: 'scheduled' | 'live' | 'ended';
  started_at?: string | null | undefined;
  ended_at?: string | null | undefined;
  /** The planned length; 0 or less means none. */
  duration_minutes: number;
}

export type ClockTone = 'normal' | 'warning' | 'over';

export interface ClockView {
  /** Elapsed time, "m:ss" or "h:mm:ss"; null before the start. */
  elapsed: string | null;
  /** The planned duration in the same format; null without one. */
  total: string | null;
  /** "10 min left", "Less than a minute left", "Over time by 3 min", "45 min planned", or null. */
  remaining: string | null;
  tone: ClockTone;
  /** A sentence for `aria-label`, in whole minutes (it changes at most once a minute). */
  label: string;
}

/** The last minutes before the end shown in amber. */
export const WARNING_MINUTES = 5;

/** "m:ss" under an hour, "h:mm:ss" from an hour on; negative inputs count as 0. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** The clock at `now` (milliseconds since the epoch). */
export function interviewClock(interview: ClockInput, now: number): ClockView {
  const planned = interview.duration_minutes > 0 ? interview.duration_minutes * 60 : null;
  const total = planned === null ? null : formatDuration(planned);
  const started = interview.started_at ? Date.parse(interview.started_at) : NaN;
  if (interview.status === 'scheduled' || Number.isNaN(started)) {
    return {
      elapsed: null,
      total,
      remaining: planned === null ? null : `${interview.duration_minutes} min planned`,
      tone: 'normal',
      label: planned === null ? 'Not started yet' : `Not started yet, ${minutes(interview.duration_minutes)} planned`,
    };
  }
  const until = interview.status === 'ended' && interview.ended_at ? Date.parse(interview.ended_at) : now;
  const elapsedSeconds = Math.max(0, Math.floor((until - started) / 1000));
  const elapsedMinutes = Math.floor(elapsedSeconds / 60);
  const ended = interview.status === 'ended';
  const lead = ended ? `Ended after ${minutes(elapsedMinutes)}` : `${minutes(elapsedMinutes)} elapsed`;
  if (planned === null) {
    return { elapsed: formatDuration(elapsedSeconds), total, remaining: null, tone: 'normal', label: lead };
  }
  const left = planned - elapsedSeconds;
  let remaining: string | null;
  let tone: ClockTone;
  if (left < 0) {
    remaining = `Over time by ${Math.max(1, Math.floor(-left / 60))} min`;
    tone = 'over';
  } else if (left < 60) {
    remaining = 'Less than a minute left';
    tone = 'warning';
  } else {
    const leftMinutes = Math.ceil(left / 60);
    remaining = `${leftMinutes} min left`;
    tone = left <= WARNING_MINUTES * 60 ? 'warning' : 'normal';
  }
  if (ended) {
    tone = 'normal';
    remaining = left < 0 ? remaining : null;
  }
  return {
    elapsed: formatDuration(elapsedSeconds),
    total,
    remaining,
    tone,
    label: `${lead} of ${minutes(interview.duration_minutes)}${remaining ? `, ${remaining.toLowerCase()}` : ''}`,
  };
}
