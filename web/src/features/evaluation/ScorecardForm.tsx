// The caller's own draft scorecard: per criterion a 1–4 rating (a native radio group, so the
// arrow keys move between scores) and a comment, the overall recommendation and a summary.
// Autosaved as the user types (useAutosave); Submit checks what is missing first, asks for
// confirmation, then locks the scorecard (only the host can reopen it).
import { useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { submitMyScorecard } from '../../api/scorecards';
import type { Criterion, Scorecard } from '../../api/types';
import { Alert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import {
  MAX_COMMENT,
  MAX_SUMMARY,
  RECOMMENDATION_LABELS,
  RECOMMENDATIONS,
  SCORE_LABELS,
  SCORES,
  draftOf,
  missingForSubmit,
  ratingError,
  withRating,
  type DraftErrors,
} from './scorecardForm';
import { useAutosave, type SaveState } from './useAutosave';

export interface ScorecardFormProps {
  interviewId: string;
  rubric: Criterion[];
  scorecard: Scorecard;
  onSubmitted: (scorecard: Scorecard) => void;
  /** How long a pause in typing before the draft is saved. */
  autosaveDelayMs?: number;
}

export function ScorecardForm({ interviewId, rubric, scorecard, onSubmitted, autosaveDelayMs }: ScorecardFormProps) {
  const formId = useId();
  const [saved, setSaved] = useState(scorecard);
  const autosave = useAutosave(interviewId, draftOf(scorecard), setSaved, autosaveDelayMs);
  const { draft, update } = autosave;
  // Once Submit was pressed, what is still missing shows (and clears as it is filled in).
  const [triedSubmit, setTriedSubmit] = useState(false);
  const missing: DraftErrors = triedSubmit ? missingForSubmit(rubric, draft) : {};
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const errors = { ...missing, ...autosave.fieldErrors };

  const askToSubmit = () => {
    setSubmitError(null);
    const lacking = missingForSubmit(rubric, draft);
    setTriedSubmit(true);
    if (Object.keys(lacking).length === 0) setConfirming(true);
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    try {
      if (!(await autosave.flush())) {
        setSubmitError('Your latest changes are not saved yet. Fix the problem above, then submit again.');
        return;
      }
      const submitted = await submitMyScorecard(interviewId);
      setConfirming(false);
      onSubmitted(submitted);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setTriedSubmit(true);
      setSubmitError(err instanceof Error ? err.message : 'The scorecard could not be submitted.');
      setConfirming(false);
    } finally {
      setSubmitting(false);
    }
  };

  const missingList = Object.values(missing);
  return (
    <div className="scorecard-form" data-testid="scorecard-form">
      <div className="scorecard-form__status">
        <SaveStatus state={autosave.state} error={autosave.error} onRetry={autosave.retry} />
        {saved.reopened_at && (
          <span className="muted small">
            Reopened by {saved.reopened_by ?? 'the host'}: change it and submit again.
          </span>
        )}
      </div>
      {rubric.map((criterion) => {
        const rating = draft.ratings.find((r) => r.criterion_id === criterion.id);
        const scoreError = ratingError(errors, draft, criterion.id, 'score');
        const commentError = ratingError(errors, draft, criterion.id, 'comment');
        const commentId = `${formId}-${criterion.id}-comment`;
        return (
          <fieldset
            key={criterion.id}
            className={`criterion${scoreError ? ' criterion--invalid' : ''}`}
            aria-describedby={scoreError ? `${formId}-${criterion.id}-error` : undefined}
          >
            <legend className="criterion__name">{criterion.name}</legend>
            {criterion.description && <p className="criterion__description muted small">{criterion.description}</p>}
            <div className="score-options">
              {SCORES.map((score) => (
                <label key={score} className="score-option">
                  <input
                    type="radio"
                    name={`${formId}-${criterion.id}`}
                    value={score}
                    checked={rating?.score === score}
                    onChange={() => update(withRating(draft, criterion.id, { score }))}
                  />
                  <span>
                    <strong>{score}</strong> {SCORE_LABELS[score]}
                  </span>
                </label>
              ))}
            </div>
            {scoreError && (
              <p className="field__error" id={`${formId}-${criterion.id}-error`}>
                {scoreError}
              </p>
            )}
            <label className="field__label criterion__comment-label" htmlFor={commentId}>
              Comment on {criterion.name.toLowerCase()}
            </label>
            <textarea
              id={commentId}
              className="textarea"
              rows={2}
              value={rating?.comment ?? ''}
              aria-invalid={commentError ? true : undefined}
              aria-describedby={commentError ? `${commentId}-error` : undefined}
              onChange={(e) => update(withRating(draft, criterion.id, { comment: e.target.value }))}
            />
            {commentError && (
              <p className="field__error" id={`${commentId}-error`}>
                {commentError} ({(rating?.comment.length ?? 0).toLocaleString()} / {MAX_COMMENT.toLocaleString()})
              </p>
            )}
          </fieldset>
        );
      })}
      <fieldset
        className={`criterion${errors['recommendation'] ? ' criterion--invalid' : ''}`}
        aria-describedby={errors['recommendation'] ? `${formId}-recommendation-error` : undefined}
      >
        <legend className="criterion__name">Overall recommendation</legend>
        <div className="score-options">
          {RECOMMENDATIONS.map((rec) => (
            <label key={rec} className={`score-option score-option--${rec}`}>
              <input
                type="radio"
                name={`${formId}-recommendation`}
                value={rec}
                checked={draft.recommendation === rec}
                onChange={() => update({ ...draft, recommendation: rec })}
              />
              <span>{RECOMMENDATION_LABELS[rec]}</span>
            </label>
          ))}
        </div>
        {errors['recommendation'] && (
          <p className="field__error" id={`${formId}-recommendation-error`}>
            {errors['recommendation']}
          </p>
        )}
      </fieldset>
      <div className={`field${errors['summary'] ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor={`${formId}-summary`}>
          Summary
        </label>
        <textarea
          id={`${formId}-summary`}
          className="textarea"
          rows={4}
          value={draft.summary}
          aria-invalid={errors['summary'] ? true : undefined}
          aria-describedby={errors['summary'] ? `${formId}-summary-error` : undefined}
          onChange={(e) => update({ ...draft, summary: e.target.value })}
        />
        {errors['summary'] && (
          <p className="field__error" id={`${formId}-summary-error`}>
            {errors['summary']} ({draft.summary.length.toLocaleString()} / {MAX_SUMMARY.toLocaleString()})
          </p>
        )}
      </div>
      {missingList.length > 0 && (
        // No alert title: the error tone's title colour is below 4.5:1 on its background.
        <Alert tone="error">
          <strong>Not ready to submit:</strong>
          <ul className="scorecard-form__missing">
            {missingList.map((why) => (
              <li key={why}>{why}</li>
            ))}
          </ul>
        </Alert>
      )}
      {submitError && missingList.length === 0 && <Alert tone="error">{submitError}</Alert>}
      <div className="scorecard-form__actions">
        <button type="button" className="btn btn--primary" onClick={askToSubmit} disabled={submitting}>
          Submit scorecard
        </button>
        <span className="muted small">Drafts are private. Once submitted, only the host can reopen it.</span>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Submit your scorecard?"
        confirmLabel="Submit"
        danger={false}
        busy={submitting}
        onConfirm={() => void submit()}
        onCancel={() => setConfirming(false)}
      >
        <p>You will not be able to change it afterwards unless the host reopens it. You will then see the others’.</p>
      </ConfirmDialog>
    </div>
  );
}

function SaveStatus({ state, error, onRetry }: { state: SaveState; error: ApiError | null; onRetry: () => void }) {
  if (state === 'error') {
    return (
      <span className="save-status save-status--error" role="alert">
        Not saved: {error?.message ?? 'the draft could not be saved.'}{' '}
        <button type="button" className="btn btn--small btn--secondary" onClick={onRetry}>
          Retry
        </button>
      </span>
    );
  }
  const text: Record<Exclude<SaveState, 'error'>, string> = {
    saved: 'Saved',
    pending: 'Unsaved changes',
    saving: 'Saving…',
    invalid: 'Not saved: fix the field marked below',
  };
  return (
    <span className={`save-status save-status--${state}`} role="status" data-testid="save-status">
      {text[state]}
    </span>
  );
}
