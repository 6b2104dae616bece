// One question of the review: its title and difficulty, the prompt (collapsed by default) and
// the final code, read-only. Observers, who do not get the final code here, are pointed at the
// room, which shows it read-only.
import { Link } from 'react-router';
import { DifficultyBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { Markdown } from '../../components/Markdown';
import { languageLabel } from '../room/run/status';
import type { ReviewQuestion } from './reviewData';

export function QuestionReview({
  question,
  number,
  language,
  interviewId,
}: {
  question: ReviewQuestion;
  number: number;
  language: string;
  interviewId: string;
}) {
  return (
    <Card title={`${number}. ${question.title}`} aside={<DifficultyBadge difficulty={question.difficulty} />}>
      <div className="stack">
        <details className="review-prompt">
          <summary>Prompt</summary>
          <Markdown source={question.prompt} />
        </details>
        {question.finalCode === null ? (
          <p className="muted small">
            The final code is in the <Link to={`/interviews/${interviewId}/room`}>room</Link>, read only.
          </p>
        ) : (
          <FinalCode code={question.finalCode} language={language} label={`Final code of ${question.title}`} />
        )}
      </div>
    </Card>
  );
}

export function FinalCode({ code, language, label }: { code: string; language: string; label: string }) {
  return (
    <div>
      <h3 className="review-label">Final code ({languageLabel(language)})</h3>
      <pre className="review-code" tabIndex={0} aria-label={label} data-testid="final-code">
        {code || <span className="muted">(empty)</span>}
      </pre>
    </div>
  );
}
