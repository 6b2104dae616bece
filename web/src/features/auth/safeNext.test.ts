// Unit tests for the post-login redirect target (no open redirects).
import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/questions?q=x')).toBe('/questions?q=x');
  });
  it('refuses other origins and odd inputs', () => {
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'questions']) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
