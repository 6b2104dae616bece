// One scorecard, read only: the author, its status, each criterion's score and comment, the
// recommendation and the summary. The host gets a Reopen button on a submitted one.
import type { Criterion, Scorecard } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { RECOMMENDATION_LABELS, SCORE_LABELS } from './scorecardForm';

export interface ScorecardViewProps {
  scorecard: Scorecard;
  rubric: Criterion[];
  /** "Your scorecard" instead of the author's name. */
  own?: boolean;
  /** Shown for the host on a submitted scorecard. */
  onReopen?: (() => void) | undefined;
}

export function ScorecardView({ scorecard, rubric, own = false, onReopen }: ScorecardViewProps) {
  const name = (id: string) => rubric.find((c) => c.id === id)?.name ?? id;
  const submitted = scorecard.status === 'submitted';
  return (
    <article className="scorecard-view" aria-label={own ? 'Your scorecard' : `Scorecard of ${scorecard.author_name}`}>
      <header className="scorecard-view__head">
        <h3 className="scorecard-view__author">{own ? 'Your scorecard' : scorecard.author_name}</h3>
        <span className={`badge ${submitted ? 'badge--status-ended' : 'badge--status-scheduled'}`}>
          {submitted ? 'Submitted' : 'Draft'}
        </span>
        {onReopen && submitted && (
          <button type="button" className="btn btn--small btn--secondary" onClick={onReopen}>
            Reopen
          </button>
        )}
      </header>
      <p className="muted small">
        {scorecard.submitted_at && <>Submitted {formatDateTime(scorecard.submitted_at)}. </>}
        {scorecard.reopened_at && (
          <>
            Reopened by {scorecard.reopened_by ?? 'the host'} {formatDateTime(scorecard.reopened_at)}.
          </>
        )}
      </p>
      <dl className="scorecard-view__ratings">
        {scorecard.ratings.map((r) => (
          <div key={r.criterion_id} className="scorecard-view__rating">
            <dt>{name(r.criterion_id)}</dt>
            <dd>
              <strong>
                {r.score === null
                  ? 'Not rated'
                  : `${r.score} – ${SCORE_LABELS[r.score as keyof typeof SCORE_LABELS] ?? ''}`}
              </strong>
              {r.comment && <p className="scorecard-view__text">{r.comment}</p>}
            </dd>
          </div>
        ))}
        <div className="scorecard-view__rating">
          <dt>Recommendation</dt>
          <dd>
            <strong>{scorecard.recommendation ? RECOMMENDATION_LABELS[scorecard.recommendation] : 'None yet'}</strong>
          </dd>
        </div>
      </dl>
      {scorecard.summary && <p className="scorecard-view__text">{scorecard.summary}</p>}
    </article>
  );
}
