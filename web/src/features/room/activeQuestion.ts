// The room's active question, shared by everyone in the room: an interview control
// (`controls.active_question_id`, null for the first question) that the host and
// co-interviewers change with PATCH /api/interviews/{id}/controls. Everyone's room (the
// prompt panel and the editor, which binds to that question's text) follows the `controls`
// room event; our own switch shows at once and falls back if the server refuses it.
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { updateControls } from '../../api/interviews';
import type { InterviewDetail } from '../../api/types';
import { activeQuestionId } from './collab/codeTexts';
import { useRoomEvents } from './run/useRoomEvents';

export interface ActiveQuestion {
  /** The active question's id; undefined for an interview without questions. */
  activeId: string | undefined;
  /** Makes `id` the active question for everyone (interviewers only: the server checks). */
  choose: (id: string) => Promise<void>;
  switching: boolean;
  error: string | null;
}

export function useActiveQuestion(detail: InterviewDetail): ActiveQuestion {
  const stored = detail.controls.active_question_id ?? null;
  const [chosen, setChosen] = useState<string | null>(stored);
  const [seen, setSeen] = useState<string | null>(stored);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Adjusted while rendering (not in an effect) when the stored value changes (a reload).
  if (seen !== stored) {
    setSeen(stored);
    setChosen(stored);
  }
  useRoomEvents(detail.interview.id, {
    onEvents: (events) => {
      const latest = events.findLast((event) => event.type === 'controls');
      if (latest) setChosen(latest.controls.active_question_id ?? null);
    },
  });

  const choose = async (id: string) => {
    const before = chosen;
    setChosen(id);
    setSwitching(true);
    setError(null);
    try {
      const controls = await updateControls(detail.interview.id, { active_question_id: id });
      setChosen(controls.active_question_id ?? null);
    } catch (failure) {
      setChosen(before);
      setError(`The question was not switched: ${errorMessage(failure)}`);
    } finally {
      setSwitching(false);
    }
  };

  const ids = detail.questions.map((q) => q.id);
  return { activeId: activeQuestionId(ids, chosen), choose, switching, error };
}
