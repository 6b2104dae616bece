// The naming rule of the questions' texts (the same as crates/collab `code_text_name`) and the
// active question's fallback (the same as `InterviewControls::active_question`).
import { describe, expect, it } from 'vitest';
import { activeQuestionId, codeTextName } from './codeTexts';

const Q1 = '0190a5f4-1b2c-7d3e-8f40-123456789abc';
const Q2 = '0190a5f4-1b2c-7d3e-8f40-123456789abd';

describe('codeTextName', () => {
  it('keeps the plain code text for the first question and names the others by id', () => {
    expect(codeTextName([Q1, Q2], Q1)).toBe('code');
    expect(codeTextName([Q1, Q2], Q2)).toBe(`code:${Q2}`);
  });

  it('uses the code text without questions, or for an id that is not one of them', () => {
    expect(codeTextName([], undefined)).toBe('code');
    expect(codeTextName([], Q2)).toBe('code');
    expect(codeTextName([Q1], 'someone-else')).toBe('code');
  });
});

describe('activeQuestionId', () => {
  it('is the chosen question while it belongs to the interview, else the first', () => {
    expect(activeQuestionId([Q1, Q2], Q2)).toBe(Q2);
    expect(activeQuestionId([Q1, Q2], null)).toBe(Q1);
    expect(activeQuestionId([Q1], Q2)).toBe(Q1);
    expect(activeQuestionId([], null)).toBeUndefined();
  });
});
