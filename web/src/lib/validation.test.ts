// Unit tests for the client-side form rules.
import { describe, expect, it } from 'vitest';
import {
  characterCount,
  hasErrors,
  isEmail,
  parseTags,
  validateInterview,
  validateLogin,
  validateQuestion,
  validateRegistration,
} from './validation';

describe('validateRegistration', () => {
  it('accepts a complete registration', () => {
    expect(validateRegistration('Ada', 'ada@example.com', 'long enough')).toEqual({});
  });
  it('names every missing field', () => {
    const errors = validateRegistration(' ', '', '');
    expect(Object.keys(errors).sort()).toEqual(['email', 'name', 'password']);
  });
  it('rejects short and overlong passwords', () => {
    expect(validateRegistration('A', 'a@b.co', 'short')['password']).toMatch(/at least 8/);
    expect(validateRegistration('A', 'a@b.co', 'x'.repeat(257))['password']).toMatch(/at most 256/);
    expect(validateRegistration('A', 'a@b.co', 'x'.repeat(256))).toEqual({});
  });
  it('counts password characters as the server does (code points, not UTF-16 units)', () => {
    const passphrase = '🔑'.repeat(200);
    expect(passphrase.length).toBe(400);
    expect(characterCount(passphrase)).toBe(200);
    expect(validateRegistration('A', 'a@b.co', passphrase)).toEqual({});
    expect(validateRegistration('A', 'a@b.co', '🔑'.repeat(257))['password']).toMatch(/at most 256/);
    expect(validateRegistration('A', 'a@b.co', '🔑'.repeat(4))['password']).toMatch(/at least 8/);
  });
  it('rejects malformed emails', () => {
    expect(validateRegistration('A', 'not-an-email', 'long enough')['email']).toMatch(/valid email/);
  });
});

describe('validateLogin', () => {
  it('needs both fields', () => {
    expect(validateLogin('', '')).toEqual({ email: 'Enter your email address.', password: 'Enter your password.' });
    expect(hasErrors(validateLogin('a@b.co', 'x'))).toBe(false);
  });
});

describe('isEmail', () => {
  it('is lenient but needs an @ and a dot in the domain', () => {
    expect(isEmail(' ada@example.com ')).toBe(true);
    expect(isEmail('ada@localhost')).toBe(false);
    expect(isEmail('a b@c.d')).toBe(false);
  });
});

describe('validateInterview', () => {
  const ok = { title: 'Screen', scheduledAt: '', durationMinutes: '60', candidateEmail: '' };
  it('accepts a minimal interview', () => {
    expect(validateInterview(ok)).toEqual({});
  });
  it('requires a title', () => {
    expect(validateInterview({ ...ok, title: '  ' })['title']).toBeDefined();
  });
  it('rejects negative, zero, fractional and huge durations', () => {
    for (const d of ['-5', '0', '4', '2.5', '481', 'abc']) {
      expect(validateInterview({ ...ok, durationMinutes: d })['duration_minutes']).toBeDefined();
    }
  });
  it('checks the candidate email only when given', () => {
    expect(validateInterview({ ...ok, candidateEmail: 'nope' })['candidate_email']).toBeDefined();
    expect(validateInterview({ ...ok, candidateEmail: 'c@d.io' })).toEqual({});
  });
  it('rejects an invalid date', () => {
    expect(validateInterview({ ...ok, scheduledAt: 'tomorrow-ish' })['scheduled_at']).toBeDefined();
  });
});

describe('validateQuestion', () => {
  it('requires title, prompt and category', () => {
    expect(Object.keys(validateQuestion('', '', '')).sort()).toEqual(['category', 'prompt', 'title']);
    expect(validateQuestion('t', 'p', 'c')).toEqual({});
  });
});

describe('parseTags', () => {
  it('splits, trims, lowercases and de-duplicates', () => {
    expect(parseTags(' Graphs, bfs,, BFS , dp ')).toEqual(['graphs', 'bfs', 'dp']);
    expect(parseTags('')).toEqual([]);
  });
});
