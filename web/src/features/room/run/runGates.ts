// Who may start what in the run panel, and the sentence that says why not: the reasons shown
// under the toolbar and as the buttons' tooltips. Pure, so they are unit-tested directly.
import type { LanguageInfo, QuestionView } from './types';

/** The question a Test runs against: the active one, else the interview's first. */
export function activeQuestionOf(
  questions: QuestionView[],
  activeQuestionId: string | undefined,
): QuestionView | undefined {
  return questions.find((q) => q.id === activeQuestionId) ?? questions[0];
}

/** How many cases a Test runs: interviewers see them all; others also count the hidden ones. */
export function testCaseCount(question: QuestionView, isInterviewer: boolean): number {
  return question.test_cases.length + (isInterviewer ? 0 : (question.hidden_test_count ?? 0));
}

/** The reason shown to the candidate while the interviewers have paused running code. */
export const RUNS_PAUSED_REASON = 'The interviewer has paused running code.';

/** Why Run is disabled, or null when it is not. `runsDisabled`: the interview control, which
 *  stops everyone but interviewers (the server answers 403 `runs_disabled`). */
export function disabledReason(
  canRun: boolean,
  isInterviewer: boolean,
  role: string | null,
  language: LanguageInfo | null,
  runsDisabled = false,
): string | null {
  if (!canRun) {
    if (role === 'observer') return "Observers can't run code.";
    if (role === 'candidate' || (role === null && !isInterviewer)) return 'Code can be run once the interview is live.';
    return "You can't run code in this room.";
  }
  if (runsDisabled && !isInterviewer) return RUNS_PAUSED_REASON;
  if (language && !language.available)
    return `${language.name} is unavailable: ${language.reason ?? 'not installed on this server'}.`;
  return null;
}

/** Why Test is disabled (whatever disables Run, or no test to run), or null when it is not. */
export function testDisabledReason(
  runReason: string | null,
  question: QuestionView | undefined,
  isInterviewer: boolean,
): string | null {
  if (runReason !== null) return runReason;
  if (!question) return 'This interview has no question to test against.';
  if (testCaseCount(question, isInterviewer) === 0) return 'This question has no test cases.';
  return null;
}
