// "Autocomplete for candidate": the interviewers' switch for the candidate's editor
// completions, an interview control stored by the server (PATCH /api/interviews/{id}/controls),
// so the candidate cannot turn it back on. The room learns the stored value from the answer
// and, everywhere else, from the `controls` room event.
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { updateControls } from '../../../api/interviews';
import type { InterviewControls } from '../../../api/types';

export interface AutocompleteToggleProps {
  interviewId: string;
  controls: InterviewControls;
  onChange: (controls: InterviewControls) => void;
}

export function AutocompleteToggle({ interviewId, controls, onChange }: AutocompleteToggleProps) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async (enabled: boolean) => {
    setSaving(true);
    setError(null);
    try {
      onChange(await updateControls(interviewId, { candidate_autocomplete: enabled }));
    } catch (failure) {
      setError(`Autocomplete was not changed: ${errorMessage(failure)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <span className="autocomplete-toggle">
      <label className="checkbox" title="Suggestions, snippets and parameter hints in the candidate's editor">
        <input
          type="checkbox"
          checked={controls.candidate_autocomplete}
          disabled={saving}
          aria-describedby={error ? 'autocomplete-toggle-error' : undefined}
          onChange={(event) => void toggle(event.target.checked)}
          data-testid="candidate-autocomplete"
        />
        Autocomplete for candidate
      </label>
      {error && (
        <span id="autocomplete-toggle-error" role="alert" className="field__error">
          {error}
        </span>
      )}
    </span>
  );
}
