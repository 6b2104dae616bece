// Unit tests for the dashboard's tab split, filters and ordering.
import { describe, expect, it } from 'vitest';
import type { Interview } from '../../api/types';
import { countByTab, defaultTab, interviewsForTab, parseTab } from './interviewFilters';

function interview(over: Partial<Interview>): Interview {
  return {
    id: over.id ?? 'i',
    title: 'Interview',
    status: 'scheduled',
    room_code: 'ABC123',
    language: 'python',
    scheduled_at: null,
    duration_minutes: 60,
    question_ids: [],
    candidate_name: null,
    candidate_email: null,
    created_by: 'u',
    created_at: '2026-11-01T00:00:00Z',
    started_at: null,
    ended_at: null,
    my_role: 'host',
    ...over,
  };
}

const all = [
  interview({ id: 'later', scheduled_at: '2026-12-10T10:00:00Z', title: 'Backend' }),
  interview({ id: 'unscheduled', title: 'Frontend', candidate_name: 'Casey' }),
  interview({ id: 'soon', scheduled_at: '2026-12-01T10:00:00Z', title: 'Data', language: 'go' }),
  interview({ id: 'live', status: 'live', started_at: '2026-11-25T10:00:00Z' }),
  interview({ id: 'old', status: 'ended', ended_at: '2026-10-01T00:00:00Z' }),
  interview({ id: 'recent', status: 'ended', ended_at: '2026-11-20T00:00:00Z' }),
];
const none = { q: '', language: '' as const };

describe('interviewsForTab', () => {
  it('orders upcoming by schedule, unscheduled last', () => {
    expect(interviewsForTab(all, 'upcoming', none).map((i) => i.id)).toEqual(['soon', 'later', 'unscheduled']);
  });
  it('orders past by most recently ended', () => {
    expect(interviewsForTab(all, 'past', none).map((i) => i.id)).toEqual(['recent', 'old']);
  });
  it('filters by text across title, candidate and room code', () => {
    expect(interviewsForTab(all, 'upcoming', { q: 'casey', language: '' }).map((i) => i.id)).toEqual(['unscheduled']);
    expect(interviewsForTab(all, 'upcoming', { q: 'abc1', language: '' })).toHaveLength(3);
  });
  it('filters by language', () => {
    expect(interviewsForTab(all, 'upcoming', { q: '', language: 'go' }).map((i) => i.id)).toEqual(['soon']);
  });
});

describe('countByTab / parseTab', () => {
  it('counts each status', () => {
    expect(countByTab(all)).toEqual({ upcoming: 3, live: 1, past: 2 });
  });
  it('reads the named tab, or none', () => {
    expect(parseTab('live')).toBe('live');
    expect(parseTab('upcoming')).toBe('upcoming');
    expect(parseTab('nonsense')).toBeNull();
    expect(parseTab(null)).toBeNull();
  });
  it('opens on Live while an interview is live, else on Upcoming', () => {
    expect(defaultTab(all)).toBe('live');
    expect(defaultTab(all.filter((i) => i.status !== 'live'))).toBe('upcoming');
    expect(defaultTab([])).toBe('upcoming');
  });
});
