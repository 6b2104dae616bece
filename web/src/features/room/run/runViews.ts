// The run panel's views (Output, Tests, History, and the interactive Terminal) as data: which tabs there are for the shown
// run, with their counts, and which one a run opens on. Pure; useRunTab keeps the choice.
import { formatTally, tally, type RunState } from './runReducer';

export type RunTab = 'output' | 'tests' | 'history' | 'terminal';

/** Element ids of a tab and of its panel (each names the other). */
export const tabId = (tab: RunTab) => `run-tab-${tab}`;
export const tabPanelId = (tab: RunTab) => `run-tabpanel-${tab}`;

export interface RunTabSpec {
  id: RunTab;
  label: string;
  /** Shown beside the label: the tally of a test run, the number of runs in the history. */
  count?: string | number;
}

/** The view a newly shown run opens on: its test results for a test run, its output otherwise. */
export function naturalTab(mode: string | null): RunTab {
  return mode === 'test' ? 'tests' : 'output';
}

/** The tab actually open: Tests exists only while a test run is shown. */
export function openTab(chosen: RunTab, shown: RunState | null): RunTab {
  return chosen === 'tests' && shown?.mode !== 'test' ? 'output' : chosen;
}

/** Output, Tests (for a test run) and History, in that order. */
export function runTabs(shown: RunState | null, historyCount: number): RunTabSpec[] {
  const testTally = shown ? tally(shown) : null;
  return [
    { id: 'output', label: 'Output' },
    ...(shown?.mode === 'test'
      ? [{ id: 'tests' as const, label: 'Tests', ...(testTally ? { count: formatTally(testTally) } : {}) }]
      : []),
    { id: 'history', label: 'History', ...(historyCount > 0 ? { count: historyCount } : {}) },
  ];
}
