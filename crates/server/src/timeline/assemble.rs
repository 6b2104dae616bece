//! An interview's timeline (`GET /api/interviews/{id}/timeline`), assembled from where each
//! fact is kept: `started` and `ended` from the interview, `run_started` and `run_finished` from
//! its runs, joins, leaves, question and control changes and signals from its stored events,
//! language changes and notes edits from its documents' history. In time order; events at the
//! same instant keep that order (the start first, the end last).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::doc_history::doc_history_events;
use super::event::{TimelineDetail, TimelineEvent};
use crate::db::InterviewRecord;
use crate::domain::Role;
use crate::error::AppResult;
use crate::runs::views::RunSummary;
use crate::state::AppState;

/// Runs read per page of the run history.
const RUN_PAGE: usize = 200;
/// Runs on a timeline, at most (the newest).
pub const MAX_TIMELINE_RUNS: usize = 5_000;

/// The interview's timeline as of now.
pub async fn interview_timeline(state: &AppState, interview: &InterviewRecord) -> AppResult<Vec<TimelineEvent>> {
    let mut events = Vec::new();
    if let Some(at) = interview.started_at {
        events.push(event(at, None, TimelineDetail::Started {}));
    }
    for run in all_runs(state, interview.id).await? {
        events.extend(run_events(&run));
    }
    for stored in state.store.list_events(interview.id).await? {
        events.push(event(stored.at, stored.participant_id, stored.detail));
    }
    events.extend(doc_history_events(state, interview.id).await?);
    if let Some(at) = interview.ended_at {
        events.push(event(at, None, TimelineDetail::Ended {}));
    }
    Ok(in_time_order(events))
}

fn event(at: DateTime<Utc>, participant_id: Option<Uuid>, detail: TimelineDetail) -> TimelineEvent {
    TimelineEvent { at, participant_id, detail }
}

/// Every run of the interview (the newest `MAX_TIMELINE_RUNS`), as an interviewer sees it.
async fn all_runs(state: &AppState, interview_id: Uuid) -> AppResult<Vec<RunSummary>> {
    let mut runs = Vec::new();
    let mut before = None;
    while runs.len() < MAX_TIMELINE_RUNS {
        let page = state.store.list_runs(interview_id, true, before, RUN_PAGE as i64).await?;
        let last_page = page.len() < RUN_PAGE;
        before = page.last().map(|run| run.id);
        runs.extend(page.into_iter().map(|record| RunSummary::new(record, Role::Host)));
        if last_page {
            break;
        }
    }
    runs.truncate(MAX_TIMELINE_RUNS);
    Ok(runs)
}

/// A run's events: asked for (when it was queued, by its requester), and finished once it is.
fn run_events(run: &RunSummary) -> Vec<TimelineEvent> {
    let requester = Some(run.participant_id);
    let started = TimelineDetail::RunStarted { run_id: run.id, language: run.language, mode: run.mode };
    let mut events = vec![event(run.created_at, requester, started)];
    if let Some(finished_at) = run.finished_at.filter(|_| run.status.is_finished()) {
        let finished = TimelineDetail::RunFinished { run_id: run.id, status: run.status, verdict: run.verdict };
        events.push(event(finished_at, requester, finished));
    }
    events
}

/// `events` sorted by time; a stable sort, so events at one instant keep their order.
fn in_time_order(mut events: Vec<TimelineEvent>) -> Vec<TimelineEvent> {
    events.sort_by_key(|event| event.at);
    events
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::{Language, RunMode, RunStatus, Verdict};

    fn run(status: RunStatus, finished_at: Option<DateTime<Utc>>) -> RunSummary {
        RunSummary {
            id: Uuid::now_v7(),
            interview_id: Uuid::nil(),
            status,
            language: Language::Python,
            mode: RunMode::Test,
            participant_id: Uuid::now_v7(),
            requested_by: "Casey".into(),
            question_id: None,
            interviewers_only: false,
            created_at: Utc::now(),
            started_at: None,
            finished_at,
            verdict: Some(Verdict::Passed),
            time_ms: None,
            memory_kb: None,
            tests_passed: None,
            tests_total: None,
            output_truncated: false,
        }
    }

    #[test]
    fn a_run_is_asked_for_and_finishes_once_it_has() {
        let queued = run(RunStatus::Queued, None);
        let kinds = |run: &RunSummary| run_events(run).iter().map(|e| e.detail.kind()).collect::<Vec<_>>();
        assert_eq!(kinds(&queued), ["run_started"]);
        let done = run(RunStatus::Finished, Some(Utc::now() + Duration::seconds(2)));
        assert_eq!(kinds(&done), ["run_started", "run_finished"]);
        let events = run_events(&done);
        assert!(events.iter().all(|e| e.participant_id == Some(done.participant_id)), "the requester's");
        assert_eq!(events[1].at, done.finished_at.unwrap());
        assert!(matches!(
            events[1].detail,
            TimelineDetail::RunFinished { status: RunStatus::Finished, verdict: Some(Verdict::Passed), .. }
        ));
    }

    #[test]
    fn events_are_in_time_order_and_ties_keep_theirs() {
        let t0 = Utc::now();
        let at = |s: i64| t0 + Duration::seconds(s);
        let events = vec![
            event(at(0), None, TimelineDetail::Started {}),
            event(at(5), None, TimelineDetail::Joined { role: Role::Candidate }),
            event(at(1), None, TimelineDetail::Joined { role: Role::Host }),
            event(at(5), None, TimelineDetail::Ended {}),
        ];
        let kinds: Vec<_> = in_time_order(events).into_iter().map(|e| (e.at, e.detail.kind())).collect();
        assert_eq!(kinds, [(at(0), "started"), (at(1), "joined"), (at(5), "joined"), (at(5), "ended")]);
    }
}
