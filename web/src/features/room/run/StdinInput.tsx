// The standard input a Run passes to the program (Test feeds each case's own input instead).
import type { JSX } from 'react';

/** The textarea's id, which the toolbar's stdin toggle controls. */
export const STDIN_INPUT_ID = 'run-stdin';

export function StdinInput({ value, onChange }: { value: string; onChange: (value: string) => void }): JSX.Element {
  return (
    <label className="run-panel__stdin">
      <span className="small muted">Standard input for Run</span>
      <textarea
        id={STDIN_INPUT_ID}
        className="input run-panel__stdin-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={4}
        spellCheck={false}
        placeholder="Input passed to the program on Run (Test uses the question's cases)"
      />
    </label>
  );
}
