// The submitted scorecards side by side: the average per criterion with each score, and every
// interviewer's recommendation.
import type { ScorecardAggregate } from '../../api/types';
import { formatAverage, RECOMMENDATION_LABELS } from './scorecardForm';

export function AggregateView({ aggregate }: { aggregate: ScorecardAggregate }) {
  if (aggregate.submitted === 0) {
    return <p className="muted">No scorecard has been submitted yet.</p>;
  }
  return (
    <section className="aggregate" aria-label="Aggregate of the submitted scorecards">
      <p className="muted small">
        Over {aggregate.submitted} submitted scorecard{aggregate.submitted === 1 ? '' : 's'}.
      </p>
      <div className="aggregate__scroll">
        <table className="aggregate__table">
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Average</th>
              <th scope="col">Scores</th>
            </tr>
          </thead>
          <tbody>
            {aggregate.criteria.map((c) => (
              <tr key={c.criterion_id}>
                <th scope="row">{c.name}</th>
                <td>{formatAverage(c.average ?? null)}</td>
                <td>{c.scores.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="aggregate__recommendations" aria-label="Recommendations">
        {aggregate.recommendations.map((r) => (
          <li key={r.participant_id} className={`recommendation recommendation--${r.recommendation}`}>
            <span>{r.author_name}</span> <strong>{RECOMMENDATION_LABELS[r.recommendation]}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
