// The lines under a finished run's output: the runner's message (unless the output already says
// it, as with a compiler's or interpreter's error), then how the run ended in words — a test
// run's verdict ("2 of 3 tests passed"), or a plain run's status with its exit code, signal,
// time or memory ("Runtime error (exit code 1)", "Time limit exceeded (used 2.00 s)"). Pure.
import { tally, type RunState, type Tally } from './runReducer';
import { statusWords } from './status';

/** Whitespace runs made one space, so a message matches however the output wrapped it. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** "All 3 tests passed", "2 of 3 tests passed", "0 of 1 test passed". */
export function verdictSentence({ passed, total }: Tally): string {
  if (passed === total && total > 1) return `All ${total} tests passed`;
  return `${passed} of ${total} test${total === 1 ? '' : 's'} passed`;
}

export function footerLines(run: RunState, outputText = ''): string[] {
  const result = run.result;
  // The server says who cancelled it ("Cancelled by Ada.").
  if (run.status === 'cancelled') return [result?.message ?? 'Run cancelled.'];
  if (!result) return [];
  const lines: string[] = [];
  if (result.message && !squash(outputText).includes(squash(result.message))) lines.push(result.message);
  const counts = run.mode === 'test' ? tally(run) : null;
  if (counts && counts.total > 0) lines.push(verdictSentence(counts));
  // A test run in which no case ran (a compile error) says its status, without a case's numbers.
  else lines.push(statusWords(run.status, run.mode === 'test' ? {} : result));
  return lines;
}
