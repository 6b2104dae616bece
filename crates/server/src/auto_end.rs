//! `auto_end`: when the host turned it on (an interview control), the server ends a live
//! interview once `started_at + duration_minutes` has passed, exactly as `POST …/end` does
//! (`http::interviews::end_now`). A background task sweeps every few seconds
//! (`--auto-end-check-ms`); each sweep reads a bounded page of candidates, oldest start first.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::db::AutoEndCandidate;
use crate::error::AppResult;
use crate::http::interviews::{MIN_DURATION_MINUTES, end_now};
use crate::state::AppState;

/// Live auto-ending interviews one sweep looks at (the oldest starts: the first to be due).
const SWEEP_LIMIT: i64 = 200;

/// Whether `interview` is due to end at `now`.
fn is_overdue(interview: &AutoEndCandidate, now: DateTime<Utc>) -> bool {
    interview.started_at + chrono::Duration::minutes(i64::from(interview.duration_minutes)) <= now
}

/// Ends every live `auto_end` interview whose time is up at `now`; returns how many it ended.
pub async fn sweep(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    // No interview is shorter than the shortest duration: later starts cannot be due yet.
    let started_by = now - chrono::Duration::minutes(MIN_DURATION_MINUTES);
    let candidates = state.store.auto_end_candidates(started_by, SWEEP_LIMIT).await?;
    let mut ended = 0;
    for interview in candidates.iter().filter(|i| is_overdue(i, now)) {
        if end_now(state, interview.id).await? {
            tracing::info!(interview_id = %interview.id, "interview ended automatically: its time is up");
            ended += 1;
        }
    }
    Ok(ended)
}

/// Sweeps every `every` until the process stops.
pub async fn keep_sweeping(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(err) = sweep(&state, Utc::now()).await {
            tracing::warn!(error = %err, "ending overdue interviews failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_interview_is_due_once_its_duration_has_passed() {
        let started_at = Utc.with_ymd_and_hms(2024, 1, 1, 10, 0, 0).unwrap();
        let interview = AutoEndCandidate { id: uuid::Uuid::nil(), started_at, duration_minutes: 45 };
        assert!(!is_overdue(&interview, started_at + chrono::Duration::minutes(44)));
        assert!(is_overdue(&interview, started_at + chrono::Duration::minutes(45)));
        assert!(is_overdue(&interview, started_at + chrono::Duration::hours(3)));
    }
}
