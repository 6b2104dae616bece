// The signals in plain words for the interviewers: the badge's count ("2 signals"), each entry's
// description ("Pasted 412 characters from outside the editor", "Left the tab for 1 min 12 s",
// "Large insert of 350 characters without a paste") and its time — into the interview, as the
// room's timer counts, with the clock time as well. Descriptions say what happened, never what
// it means.
import { formatDuration as formatClock } from '../timer/interviewClock';
import type { SignalEntry } from './roomSignals';

const numbers = new Intl.NumberFormat('en-US');

export function signalCountText(count: number): string {
  if (count === 0) return 'No signals';
  return count === 1 ? '1 signal' : `${numbers.format(count)} signals`;
}

function characters(length: number | null): string {
  if (length === null) return 'text';
  return length === 1 ? '1 character' : `${numbers.format(length)} characters`;
}

/** How long someone was away: "under a second", "45 s", "1 min 12 s", "2 min", "1 h 5 min". */
export function formatAwayDuration(ms: number): string {
  if (ms < 1000) return 'under a second';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** One entry in words; `live`: the interview is still going (someone away may come back). */
export function describeSignalEntry(entry: SignalEntry, live: boolean): string {
  switch (entry.type) {
    case 'paste':
      if (entry.external === true) return `Pasted ${characters(entry.length)} from outside the editor`;
      if (entry.external === false) return `Pasted ${characters(entry.length)} copied in the editor`;
      return `Pasted ${characters(entry.length)}`;
    case 'copy': {
      const share = entry.share === null ? 'most' : `${Math.round(entry.share * 100)} %`;
      return entry.length === null
        ? `Copied ${share} of the code`
        : `Copied ${share} of the code (${characters(entry.length)})`;
    }
    case 'large_insert':
      return `Large insert of ${characters(entry.length)} without a paste`;
    case 'away': {
      const place = entry.where === 'tab' ? 'Left the tab' : 'Left the browser window';
      if (!entry.back) return live ? `${place} — not back yet` : `${place} — no return noted`;
      return entry.durationMs === null ? place : `${place} for ${formatAwayDuration(entry.durationMs)}`;
    }
  }
}

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * When an entry happened: `label` is the time into the interview ("12:34", as the room's timer
 * shows it) when the start is known, else the clock time; `clock` is always the clock time.
 */
export function signalTime(atMs: number, startedAt: string | null | undefined): { label: string; clock: string } {
  const clock = clockTime.format(new Date(atMs));
  const started = startedAt ? Date.parse(startedAt) : Number.NaN;
  if (Number.isNaN(started)) return { label: clock, clock };
  return { label: formatClock((atMs - started) / 1000), clock };
}
