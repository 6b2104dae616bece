// Unit tests for the run panel's tabs: which exist, their counts, and which one is open.
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, runReducer } from './runReducer';
import { naturalTab, openTab, runTabs } from './runViews';
import { runView, testResult } from './testFixtures';
import type { RunMode } from './types';

const shownRun = (mode: RunMode, passed: boolean[] = []) =>
  runReducer(INITIAL_STATE, {
    type: 'result',
    run: runView({
      id: 'r',
      mode,
      tests: passed.map((p, index) => testResult({ index, passed: p })),
    }),
  }).runs['r']!;

describe('runTabs', () => {
  it('has Tests only for a test run, with its tally, and counts the history', () => {
    expect(runTabs(null, 0)).toEqual([
      { id: 'output', label: 'Output' },
      { id: 'history', label: 'History' },
    ]);
    expect(runTabs(shownRun('test', [true, false]), 3)).toEqual([
      { id: 'output', label: 'Output' },
      { id: 'tests', label: 'Tests', count: '1/2' },
      { id: 'history', label: 'History', count: 3 },
    ]);
  });
});

describe('openTab and naturalTab', () => {
  it('opens a test run on its results and falls back to Output when Tests is gone', () => {
    expect(naturalTab('test')).toBe('tests');
    expect(naturalTab('run')).toBe('output');
    expect(openTab('tests', shownRun('run'))).toBe('output');
    expect(openTab('tests', shownRun('test'))).toBe('tests');
    expect(openTab('history', null)).toBe('history');
  });
});
