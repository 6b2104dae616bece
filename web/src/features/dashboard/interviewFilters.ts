// Pure helpers behind the dashboard's tabs and filters: which interviews belong to which
// tab, which tab opens first, text/language filtering, and a sensible order per tab.
import type { Interview, InterviewStatus, Language } from '../../api/types';

export type InterviewTab = 'upcoming' | 'live' | 'past';
export const INTERVIEW_TABS: { id: InterviewTab; label: string; status: InterviewStatus }[] = [
  { id: 'upcoming', label: 'Upcoming', status: 'scheduled' },
  { id: 'live', label: 'Live', status: 'live' },
  { id: 'past', label: 'Past', status: 'ended' },
];

/** The tab a `?tab=` names, or null when it names none (then `defaultTab` decides). */
export function parseTab(value: string | null): InterviewTab | null {
  return value === 'upcoming' || value === 'live' || value === 'past' ? value : null;
}

/** Where the dashboard opens: on Live while an interview is live (it needs you now), else Upcoming. */
export function defaultTab(all: readonly Interview[]): InterviewTab {
  return all.some((i) => i.status === 'live') ? 'live' : 'upcoming';
}

export interface InterviewFilter {
  q: string;
  language: Language | '';
}

const time = (iso: string | null) => (iso ? new Date(iso).getTime() : Number.NaN);

function compare(tab: InterviewTab) {
  return (a: Interview, b: Interview): number => {
    if (tab === 'upcoming') {
      // Soonest first; unscheduled ones last, newest created first among them.
      const ta = time(a.scheduled_at ?? null);
      const tb = time(b.scheduled_at ?? null);
      if (Number.isNaN(ta) && Number.isNaN(tb)) return time(b.created_at) - time(a.created_at);
      if (Number.isNaN(ta)) return 1;
      if (Number.isNaN(tb)) return -1;
      return ta - tb;
    }
    if (tab === 'live') return time(b.started_at ?? b.created_at) - time(a.started_at ?? a.created_at);
    return time(b.ended_at ?? b.created_at) - time(a.ended_at ?? a.created_at);
  };
}

export function matchesFilter(interview: Interview, filter: InterviewFilter): boolean {
  if (filter.language && interview.language !== filter.language) return false;
  const q = filter.q.trim().toLowerCase();
  if (!q) return true;
  return [interview.title, interview.candidate_name, interview.candidate_email, interview.room_code]
    .filter((v): v is string => typeof v === 'string')
    .some((v) => v.toLowerCase().includes(q));
}

export function interviewsForTab(all: Interview[], tab: InterviewTab, filter: InterviewFilter): Interview[] {
  const status = INTERVIEW_TABS.find((t) => t.id === tab)?.status ?? 'scheduled';
  return all.filter((i) => i.status === status && matchesFilter(i, filter)).sort(compare(tab));
}

export function countByTab(all: Interview[]): Record<InterviewTab, number> {
  const counts: Record<InterviewTab, number> = { upcoming: 0, live: 0, past: 0 };
  for (const i of all) {
    if (i.status === 'scheduled') counts.upcoming += 1;
    else if (i.status === 'live') counts.live += 1;
    else counts.past += 1;
  }
  return counts;
}
