// Which Y.Text of the code document holds which question's code, and which question is the
// room's active one. The server writes the same rules once in Rust (crates/collab `roots.rs`
// `code_text_name`, `InterviewControls::active_question`): the interview's first question (and
// an interview without questions) keeps the plain `code` text, so external Yjs clients and
// older runs keep working; every other question's code is `code:{question_id}`.

/** The Y.Text of the interview's first question (and of an interview without questions). */
export const CODE_TEXT = 'code';
/** Every other question's Y.Text is this prefix followed by the question's id. */
export const CODE_TEXT_PREFIX = 'code:';

/**
 * The Y.Text holding the code of `questionId` among the interview's `questionIds` (in order):
 * `code` for the first question, for none, and for an id that is not one of them.
 */
export function codeTextName(questionIds: readonly string[], questionId: string | null | undefined): string {
  if (!questionId || questionIds[0] === questionId || !questionIds.includes(questionId)) return CODE_TEXT;
  return `${CODE_TEXT_PREFIX}${questionId}`;
}

/**
 * The room's active question: the interviewers' choice while it is one of the interview's
 * questions, else the first; undefined for an interview without questions.
 */
export function activeQuestionId(
  questionIds: readonly string[],
  chosen: string | null | undefined,
): string | undefined {
  return chosen && questionIds.includes(chosen) ? chosen : questionIds[0];
}
