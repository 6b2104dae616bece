// The room timer's formatting: elapsed and planned time, what is left, the amber last minutes,
// over time, before the start and after the end, and a screen-reader label in whole minutes.
import { describe, expect, it } from 'vitest';
import { formatDuration, interviewClock, type ClockInput } from './interviewClock';

const START = Date.parse('2024-05-01T10:00:00Z');
const at = (seconds: number) => START + seconds * 1000;
const live: ClockInput = { status: 'live', started_at: '2024-05-01T10:00:00Z', ended_at: null, duration_minutes: 45 };

describe('formatDuration', () => {
  it('writes minutes and seconds, hours from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(45 * 60)).toBe('45:00');
    expect(formatDuration(3600 + 65)).toBe('1:01:05');
    expect(formatDuration(-5)).toBe('0:00');
    expect(formatDuration(59.9)).toBe('0:59');
  });
});

describe('interviewClock', () => {
  it('shows elapsed against the planned duration with the minutes left', () => {
    const clock = interviewClock(live, at(754));
    expect(clock).toMatchObject({ elapsed: '12:34', total: '45:00', remaining: '33 min left', tone: 'normal' });
    expect(clock.label).toBe('12 minutes elapsed of 45 minutes, 33 min left');
  });

  it('turns amber in the last five minutes', () => {
    expect(interviewClock(live, at(40 * 60 - 1)).tone).toBe('normal');
    expect(interviewClock(live, at(40 * 60))).toMatchObject({ remaining: '5 min left', tone: 'warning' });
    expect(interviewClock(live, at(44 * 60 + 30))).toMatchObject({
      remaining: 'Less than a minute left',
      tone: 'warning',
    });
  });

  it('says how far over time it is', () => {
    expect(interviewClock(live, at(45 * 60 + 10))).toMatchObject({ remaining: 'Over time by 1 min', tone: 'over' });
    const clock = interviewClock(live, at(48 * 60 + 30));
    expect(clock).toMatchObject({ elapsed: '48:30', remaining: 'Over time by 3 min', tone: 'over' });
    expect(clock.label).toBe('48 minutes elapsed of 45 minutes, over time by 3 min');
  });

  it('shows the planned duration before the start', () => {
    const scheduled: ClockInput = { ...live, status: 'scheduled', started_at: null };
    expect(interviewClock(scheduled, at(0))).toEqual({
      elapsed: null,
      total: '45:00',
      remaining: '45 min planned',
      tone: 'normal',
      label: 'Not started yet, 45 minutes planned',
    });
  });

  it('stops at the end', () => {
    const ended: ClockInput = { ...live, status: 'ended', ended_at: '2024-05-01T10:30:00Z' };
    const clock = interviewClock(ended, at(4 * 3600));
    expect(clock).toMatchObject({ elapsed: '30:00', remaining: null, tone: 'normal' });
    expect(clock.label).toBe('Ended after 30 minutes of 45 minutes');
  });

  it('counts up without a duration', () => {
    const open: ClockInput = { ...live, duration_minutes: 0 };
    expect(interviewClock(open, at(61))).toEqual({
      elapsed: '1:01',
      total: null,
      remaining: null,
      tone: 'normal',
      label: '1 minute elapsed',
    });
  });

  it('keeps the label the same within a minute', () => {
    expect(interviewClock(live, at(125)).label).toBe(interviewClock(live, at(170)).label);
  });
});
