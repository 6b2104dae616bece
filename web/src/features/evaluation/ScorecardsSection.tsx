// Scorecards for one interview, for the room's Scorecard tab and the review page: the caller's
// own scorecard (a form while it is a draft), then — once they may see them — the aggregate
// and the others' submitted scorecards. An interviewer is blind until they submit ("Submit
// yours to see the others'"); the host sees every submitted one and may reopen it. Observers
// and candidates keep no scorecard and see none (the server refuses them anyway).
import { useState } from 'react';
import { getMyScorecard, getRubric, listScorecards, reopenScorecard } from '../../api/scorecards';
import type { Role, Scorecard } from '../../api/types';
import { Alert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { Spinner } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { AggregateView } from './AggregateView';
import { ScorecardForm } from './ScorecardForm';
import { ScorecardView } from './ScorecardView';
import './evaluation.css';

export interface ScorecardsSectionProps {
  interviewId: string;
  role: Role | null | undefined;
  /** Passed on to the form (tests shorten it). */
  autosaveDelayMs?: number;
}

export function ScorecardsSection({ interviewId, role, autosaveDelayMs }: ScorecardsSectionProps) {
  const keeps = role === 'host' || role === 'interviewer';
  if (!keeps) {
    return (
      <section className="scorecards" aria-label="Scorecards">
        <p className="muted">Scorecards are private to the interviewers.</p>
      </section>
    );
  }
  return <KeptScorecards interviewId={interviewId} isHost={role === 'host'} autosaveDelayMs={autosaveDelayMs} />;
}

function KeptScorecards({
  interviewId,
  isHost,
  autosaveDelayMs,
}: {
  interviewId: string;
  isHost: boolean;
  autosaveDelayMs: number | undefined;
}) {
  const { data, error, loading, reload } = useAsync(
    async (signal) => {
      const [rubric, mine, list] = await Promise.all([
        getRubric(interviewId, signal),
        getMyScorecard(interviewId, signal),
        listScorecards(interviewId, signal),
      ]);
      return { rubric, mine, list };
    },
    [interviewId],
  );
  const [reopening, setReopening] = useState<Scorecard | null>(null);
  const [reopenBusy, setReopenBusy] = useState(false);
  const [reopenError, setReopenError] = useState<string | null>(null);

  if (!data) {
    if (error) return <ErrorState error={error} onRetry={reload} />;
    return <Spinner label="Loading scorecards…" />;
  }
  const { rubric, mine, list } = data;
  const others = list.scorecards.filter((s) => s.participant_id !== mine.participant_id);

  const reopen = async () => {
    if (!reopening) return;
    setReopenBusy(true);
    setReopenError(null);
    try {
      await reopenScorecard(interviewId, reopening.id);
      setReopening(null);
      reload();
    } catch (err) {
      setReopenError(err instanceof Error ? err.message : 'The scorecard could not be reopened.');
      setReopening(null);
    } finally {
      setReopenBusy(false);
    }
  };

  return (
    <section className="scorecards" aria-label="Scorecards" data-testid="scorecards-section">
      {reopenError && <Alert tone="error">{reopenError}</Alert>}
      {mine.status === 'draft' ? (
        // Keyed by the saved version, so a reopened or reloaded scorecard starts a fresh form.
        <ScorecardForm
          key={`${mine.id}-${mine.reopened_at ?? ''}`}
          interviewId={interviewId}
          rubric={rubric.criteria}
          scorecard={mine}
          onSubmitted={reload}
          {...(autosaveDelayMs === undefined ? {} : { autosaveDelayMs })}
        />
      ) : (
        <ScorecardView
          scorecard={mine}
          rubric={rubric.criteria}
          own
          onReopen={isHost ? () => setReopening(mine) : undefined}
        />
      )}
      <div className="scorecards__others">
        <div className="scorecards__others-head">
          <h3 className="scorecards__title">Team’s scorecards</h3>
          <button type="button" className="btn btn--small btn--ghost" onClick={reload} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        {list.blind ? (
          <Alert tone="info" title="Submit yours to see the others’">
            The other interviewers’ scorecards stay hidden until you submit your own, so each view is formed
            independently.
          </Alert>
        ) : (
          <>
            {list.aggregate && <AggregateView aggregate={list.aggregate} />}
            {others.length === 0 ? (
              <p className="muted small">No other interviewer has submitted a scorecard yet.</p>
            ) : (
              others.map((s) => (
                <ScorecardView
                  key={s.id}
                  scorecard={s}
                  rubric={rubric.criteria}
                  onReopen={isHost ? () => setReopening(s) : undefined}
                />
              ))
            )}
          </>
        )}
      </div>
      <ConfirmDialog
        open={reopening !== null}
        title="Reopen this scorecard?"
        confirmLabel="Reopen"
        busy={reopenBusy}
        onConfirm={() => void reopen()}
        onCancel={() => setReopening(null)}
      >
        <p>
          {reopening?.participant_id === mine.participant_id ? 'Your' : `${reopening?.author_name ?? 'Their'}’s`}{' '}
          scorecard becomes a draft again that its author can change and submit. The reopening is recorded.
        </p>
      </ConfirmDialog>
    </section>
  );
}
