// Unit tests for the question form's draft ↔ API conversion.
import { describe, expect, it } from 'vitest';
import type { Question } from '../../api/types';
import {
  BLANK_TEST_CASE,
  draftToInput,
  emptyDraft,
  firstTestCaseErrorId,
  isSqlDraft,
  questionToDraft,
  testCaseFieldError,
  validateQuestionDraft,
} from './questionDraft';

const question: Question = {
  id: 'q1',
  workspace_id: 'w1',
  title: 'Two Sum',
  prompt: 'Find two numbers.',
  difficulty: 'easy',
  category: 'Arrays',
  tags: ['hash-map', 'arrays'],
  starter_code: { python: 'def f(): pass\n', go: 'package main\n' },
  test_cases: [{ id: 't1', input: '1 2', expected_output: '3', hidden: true, ordered: true }],
  hidden_test_count: 1,
  sql_schema: null,
  builtin: false,
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:00Z',
};

describe('questionDraft', () => {
  it('round-trips a question through the draft', () => {
    const input = draftToInput(questionToDraft(question));
    expect(input).toEqual({
      title: 'Two Sum',
      prompt: 'Find two numbers.',
      difficulty: 'easy',
      category: 'Arrays',
      tags: ['hash-map', 'arrays'],
      starter_code: { python: 'def f(): pass\n', go: 'package main\n' },
      test_cases: [{ id: 't1', input: '1 2', expected_output: '3', hidden: true, ordered: true }],
      sql_schema: '',
    });
  });

  it("round-trips a SQL question: its schema and each case's order flag", () => {
    const sql: Question = {
      ...question,
      starter_code: { sql: 'SELECT 1;' },
      sql_schema: 'CREATE TABLE t (x);',
      test_cases: [
        { id: 't1', input: 'INSERT INTO t VALUES (1);', expected_output: "'x'\n1\n", hidden: false, ordered: false },
      ],
    };
    const draft = questionToDraft(sql);
    expect(isSqlDraft(draft)).toBe(true);
    expect(isSqlDraft(questionToDraft(question))).toBe(false);
    const input = draftToInput(draft);
    expect(input.sql_schema).toBe('CREATE TABLE t (x);');
    expect(input.test_cases?.[0]?.ordered).toBe(false);
    expect(input.starter_code).toEqual({ sql: 'SELECT 1;' });
  });

  it('sends every test row, drops empty starter code, trims title and category', () => {
    const draft = emptyDraft();
    draft.title = '  Title  ';
    draft.category = ' Graphs ';
    draft.prompt = 'p';
    draft.starterCode.rust = '   ';
    draft.testCases = [
      { key: 'a', input: '', expected_output: '  ', hidden: false, ordered: true },
      { key: 'b', input: '', expected_output: '0', hidden: false, ordered: false },
    ];
    const input = draftToInput(draft);
    expect(input.title).toBe('Title');
    expect(input.category).toBe('Graphs');
    expect(input.starter_code).toEqual({});
    expect(input.test_cases).toEqual([
      { input: '', expected_output: '  ', hidden: false, ordered: true },
      { input: '', expected_output: '0', hidden: false, ordered: false },
    ]);
  });

  it('gives each row a distinct key', () => {
    const draft = questionToDraft({
      ...question,
      test_cases: [...question.test_cases, { ...question.test_cases[0]!, id: 't2' }],
    });
    const keys = draft.testCases.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('starts a new question without a blank test row', () => {
    expect(emptyDraft().testCases).toEqual([]);
  });

  it('refuses a blank new test row under its input (no silent loss), but not a saved one', () => {
    const draft = { ...emptyDraft(), title: 't', prompt: 'p', category: 'c' };
    draft.testCases = [
      { key: 'a', input: '1', expected_output: '', hidden: false, ordered: true },
      { key: 'b', input: ' ', expected_output: '\n', hidden: false, ordered: true },
      { key: 'c', id: 't9', input: '', expected_output: '', hidden: false, ordered: true },
    ];
    const errors = validateQuestionDraft(draft);
    expect(errors).toEqual({ 'test_cases[1].input': BLANK_TEST_CASE });
    expect(firstTestCaseErrorId(draft.testCases, errors)).toBe('b-input');
  });

  it('finds server errors for a row in either field-path style', () => {
    expect(testCaseFieldError({ 'test_cases[1].input': 'too long' }, 1, 'input')).toBe('too long');
    expect(testCaseFieldError({ 'test_cases.0.expected_output': 'required' }, 0, 'expected_output')).toBe('required');
    expect(testCaseFieldError({}, 0, 'input')).toBeUndefined();
  });
});
