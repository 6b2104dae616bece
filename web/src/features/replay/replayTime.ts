// Times on the replay page: "m:ss" (from an hour on "h:mm:ss") since the session's start, as
// the room's timer writes them, and the same in words for screen readers (the scrub bar's
// aria-valuetext), and the `?t=` of a link to a moment.
import { formatDuration } from '../room/timer/interviewClock';

/** "12:34" for 754,000 ms. */
export function clockText(ms: number): string {
  return formatDuration(Math.floor(Math.max(0, ms) / 1000));
}

/** "1 hour 2 minutes 5 seconds", "0 seconds". */
export function spokenTime(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const parts: string[] = [];
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) parts.push(`${h} ${h === 1 ? 'hour' : 'hours'}`);
  if (m) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  if (s || parts.length === 0) parts.push(`${s} ${s === 1 ? 'second' : 'seconds'}`);
  return parts.join(' ');
}

/** `?t=754` or `?t=12:34`: where the replay opens, in seconds since the start; null when absent or unreadable. */
export function openingSecond(param: string | null): number | null {
  if (!param) return null;
  const parts = param.split(':').map(Number);
  if (parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return parts.reduce((total, n) => total * 60 + n, 0);
}
