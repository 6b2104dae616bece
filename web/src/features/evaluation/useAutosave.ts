// Autosave for the scorecard draft: every change is kept locally at once and sent (one PUT at a
// time) after the user pauses; a failed save keeps everything typed and offers a retry. The
// form's text is never replaced by the server's answer, so nothing typed meanwhile is lost.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { saveMyScorecard } from '../../api/scorecards';
import type { Scorecard } from '../../api/types';
import { draftProblems, toInput, type Draft, type DraftErrors } from './scorecardForm';

/** `invalid`: a field is over its limit, so nothing is sent until it is fixed. */
export type SaveState = 'saved' | 'pending' | 'saving' | 'error' | 'invalid';

export interface Autosave {
  draft: Draft;
  update: (next: Draft) => void;
  state: SaveState;
  /** Why the last save failed (shown with a retry). */
  error: ApiError | null;
  /** Per-field problems: over a limit here, or refused by the server. */
  fieldErrors: DraftErrors;
  retry: () => void;
  /** Saves what is pending now; true when everything typed is stored. */
  flush: () => Promise<boolean>;
}

export function useAutosave(
  interviewId: string,
  initial: Draft,
  onSaved: (scorecard: Scorecard) => void,
  delayMs = 800,
): Autosave {
  const [draft, setDraft] = useState(initial);
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<ApiError | null>(null);
  const [serverFields, setServerFields] = useState<DraftErrors>({});
  const latest = useRef(initial);
  const version = useRef(0);
  const savedVersion = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const onSavedRef = useRef(onSaved);
  useEffect(() => {
    onSavedRef.current = onSaved;
  }, [onSaved]);

  // The save a timer calls: the latest one (a save schedules the next through it).
  const saveRef = useRef<() => Promise<boolean>>(() => Promise.resolve(true));
  const save = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    if (savedVersion.current === version.current) return true;
    if (Object.keys(draftProblems(latest.current)).length > 0) {
      setState('invalid');
      return false;
    }
    const sending = version.current;
    setState('saving');
    const request = saveMyScorecard(interviewId, toInput(latest.current)).then(
      (scorecard) => {
        savedVersion.current = Math.max(savedVersion.current, sending);
        setError(null);
        setServerFields({});
        onSavedRef.current(scorecard);
        const more = version.current !== sending;
        setState(more ? 'pending' : 'saved');
        if (more) timer.current = window.setTimeout(() => void saveRef.current(), delayMs);
      },
      (err: unknown) => {
        const apiError = err instanceof ApiError ? err : new ApiError(0, 'network', 'The draft could not be saved.');
        setError(apiError);
        setServerFields(apiError.fields);
        setState('error');
      },
    );
    inFlight.current = request.finally(() => {
      inFlight.current = null;
    });
    await inFlight.current;
    return savedVersion.current === version.current;
  }, [interviewId, delayMs]);
  useEffect(() => {
    saveRef.current = save;
  }, [save]);

  const update = useCallback(
    (next: Draft) => {
      latest.current = next;
      version.current += 1;
      setDraft(next);
      const invalid = Object.keys(draftProblems(next)).length > 0;
      setState(invalid ? 'invalid' : 'pending');
      window.clearTimeout(timer.current);
      if (!invalid) timer.current = window.setTimeout(() => void save(), delayMs);
    },
    [save, delayMs],
  );

  // Leaving with unsaved changes: send them now rather than drop them.
  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      if (savedVersion.current !== version.current && Object.keys(draftProblems(latest.current)).length === 0) {
        void saveMyScorecard(interviewId, toInput(latest.current)).catch(() => undefined);
      }
    },
    [interviewId],
  );

  const retry = useCallback(() => void save(), [save]);
  const fieldErrors = { ...serverFields, ...draftProblems(draft) };
  return { draft, update, state, error, fieldErrors, retry, flush: save };
}
