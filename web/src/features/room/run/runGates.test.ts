// Unit tests for who may start a run or a test, and the reasons shown when they may not.
import { describe, expect, it } from 'vitest';
import { activeQuestionOf, disabledReason, testCaseCount, testDisabledReason } from './runGates';

const GO_MISSING = { id: 'go', name: 'Go', version: '1.19', available: false, reason: 'go is not installed' };
const SUM = { id: 'q1', title: 'Sum', test_cases: [], hidden_test_count: 2 };
const EMPTY = { id: 'q2', title: 'Empty', test_cases: [] };

describe('disabledReason', () => {
  it('tells each role why it cannot run', () => {
    expect(disabledReason(false, false, 'observer', null)).toBe("Observers can't run code.");
    expect(disabledReason(false, false, 'candidate', null)).toBe('Code can be run once the interview is live.');
    expect(disabledReason(false, false, null, null)).toBe('Code can be run once the interview is live.');
    expect(disabledReason(false, true, null, null)).toBe("You can't run code in this room.");
  });

  it('stops the candidate, not interviewers, while runs are paused', () => {
    expect(disabledReason(true, false, 'candidate', null, true)).toBe('The interviewer has paused running code.');
    expect(disabledReason(true, true, 'host', null, true)).toBeNull();
    expect(disabledReason(false, false, 'candidate', null, true)).toBe('Code can be run once the interview is live.');
    expect(testDisabledReason(disabledReason(true, false, 'candidate', null, true), SUM, false)).toBe(
      'The interviewer has paused running code.',
    );
  });

  it('names an unavailable language, and is null when Run may go', () => {
    expect(disabledReason(true, true, 'host', GO_MISSING)).toBe('Go is unavailable: go is not installed.');
    expect(disabledReason(true, false, 'candidate', { ...GO_MISSING, available: true })).toBeNull();
    expect(disabledReason(true, false, 'candidate', null)).toBeNull();
  });
});

describe('testDisabledReason', () => {
  it('needs Run allowed, a question, and a test case the viewer runs', () => {
    expect(testDisabledReason('Nope.', SUM, false)).toBe('Nope.');
    expect(testDisabledReason(null, undefined, false)).toBe('This interview has no question to test against.');
    expect(testDisabledReason(null, EMPTY, false)).toBe('This question has no test cases.');
    expect(testDisabledReason(null, SUM, false)).toBeNull();
  });

  it('counts hidden cases for candidates only (interviewers have them among the visible ones)', () => {
    expect(testCaseCount(SUM, false)).toBe(2);
    expect(testCaseCount(SUM, true)).toBe(0);
  });
});

describe('activeQuestionOf', () => {
  it('is the active question, else the first', () => {
    expect(activeQuestionOf([SUM, EMPTY], 'q2')).toBe(EMPTY);
    expect(activeQuestionOf([SUM, EMPTY], undefined)).toBe(SUM);
    expect(activeQuestionOf([], 'q2')).toBeUndefined();
  });
});
