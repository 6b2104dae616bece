// Unit tests for the date/duration helpers, in particular the datetime-local round trip.
import { describe, expect, it } from 'vitest';
import { formatDuration, fromLocalInput, initials, toLocalInput } from './format';

describe('datetime-local round trip', () => {
  it('converts UTC → local input → UTC without drift', () => {
    const iso = '2026-12-01T14:30:00Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });
  it('treats blank and invalid values as null/empty', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('garbage')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});

describe('formatDuration', () => {
  it('formats minutes and hours', () => {
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration(60)).toBe('1 h');
    expect(formatDuration(90)).toBe('1 h 30 min');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('initials', () => {
  it('takes first and last initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('Grace Brewster Hopper')).toBe('GH');
    expect(initials('linus')).toBe('L');
    expect(initials('   ')).toBe('?');
  });
});
