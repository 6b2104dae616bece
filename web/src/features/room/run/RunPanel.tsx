// The run panel of the interview room: Run / Test buttons, stdin, live output, test results,
// history. Mounted by RoomPage; everything about runs lives in this folder.
import { useState, type JSX } from 'react';
import { errorMessage } from '../../../api/client';
import { createRun } from './api';
import type { QuestionView } from './types';

export type { QuestionView } from './types';

export interface RunPanelProps {
  interviewId: string;
  language: string;
  canRun: boolean;
  isInterviewer: boolean;
  getCode: () => string;
  questions: QuestionView[];
  // `| undefined` so a caller can pass a possibly-missing id under exactOptionalPropertyTypes.
  activeQuestionId?: string | undefined;
}

export function RunPanel(props: RunPanelProps): JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const [lastRun, setLastRun] = useState<string | null>(null);
  const start = async (mode: 'run' | 'test') => {
    setError(null);
    try {
      const qid = props.activeQuestionId ?? props.questions[0]?.id;
      const out = await createRun(props.interviewId, {
        language: props.language,
        code: props.getCode(),
        mode,
        ...(mode === 'test' && qid ? { question_id: qid } : {}),
      });
      setLastRun(out.run.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section className="run-panel" aria-label="Run code" data-testid="run-panel">
      <button type="button" className="btn btn--primary btn--small" disabled={!props.canRun} onClick={() => void start('run')}>
        Run
      </button>
      <button type="button" className="btn btn--secondary btn--small" disabled={!props.canRun} onClick={() => void start('test')}>
        Test
      </button>
      {lastRun && <p className="muted small">Queued run {lastRun}</p>}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
