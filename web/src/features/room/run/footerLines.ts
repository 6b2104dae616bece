// The lines under a finished run's output: the runner's message (unless the output already says
// it, as with a compiler's or interpreter's error), then the exit code or the signal. Pure.
import type { RunState } from './runReducer';
import { signalLabel } from './status';

/** Whitespace runs made one space, so a message matches however the output wrapped it. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export function footerLines(run: RunState, outputText = ''): string[] {
  const result = run.result;
  const lines: string[] = [];
  if (run.status === 'cancelled') {
    lines.push(result?.message ?? 'Run cancelled.');
    return lines;
  }
  if (!result) return lines;
  if (result.message && !squash(outputText).includes(squash(result.message))) lines.push(result.message);
  if (result.signal !== null && result.signal !== undefined) lines.push(`Killed by ${signalLabel(result.signal)}`);
  else if (
    result.exit_code !== null &&
    result.exit_code !== undefined &&
    run.mode !== 'test' &&
    run.status !== 'compile_error'
  )
    lines.push(`Process exited with code ${result.exit_code}`);
  return lines;
}
