// The interview's questions above the prompt. The host and co-interviewers switch the room's
// active question with the tabs (everyone's prompt and editor follow); the candidate and
// observers see which question is active and where it stands, without switching.
import type { InterviewDetail } from '../../api/types';
import { onTabListKeyDown } from '../../lib/tablistKeys';
import type { ActiveQuestion } from './activeQuestion';

export interface QuestionTabsProps {
  questions: InterviewDetail['questions'];
  active: ActiveQuestion;
  canSwitch: boolean;
}

export function QuestionTabs({ questions, active, canSwitch }: QuestionTabsProps) {
  if (questions.length < 2) return null;
  const index = Math.max(
    0,
    questions.findIndex((q) => q.id === active.activeId),
  );
  if (!canSwitch) {
    return (
      <p className="room__question-position muted" data-testid="question-position">
        Question {index + 1} of {questions.length}
      </p>
    );
  }
  return (
    <>
      <div
        className="tabs"
        role="tablist"
        aria-label="Questions (switches the question for everyone)"
        onKeyDown={onTabListKeyDown}
      >
        {questions.map((q, i) => (
          <button
            key={q.id}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={i === index}
            tabIndex={i === index ? 0 : -1}
            data-testid="question-tab"
            onClick={() => {
              if (i !== index) void active.choose(q.id);
            }}
          >
            {i + 1}. {q.title}
          </button>
        ))}
      </div>
      {active.error && (
        <p role="alert" className="field__error">
          {active.error}
        </p>
      )}
    </>
  );
}
