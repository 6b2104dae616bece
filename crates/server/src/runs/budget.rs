//! How many runs may be asked for: per minute (per interview and per participant), and how
//! many may wait in the queue at once (per participant and per interview), so one person
//! can neither flood the sandbox nor fill the queue ahead of other interviews. The store
//! checks these atomically with the insert (`RunStore::enqueue_run`).

use chrono::{DateTime, Utc};

use crate::db::{BudgetExceeded, RunBudget};
use crate::error::AppError;

pub const RUNS_PER_MINUTE_PER_INTERVIEW: i64 = 60;
pub const RUNS_PER_MINUTE_PER_PARTICIPANT: i64 = 20;
/// Runs one participant may have waiting to start.
pub const QUEUED_PER_PARTICIPANT: i64 = 2;
/// Runs one interview may have waiting to start.
pub const QUEUED_PER_INTERVIEW: i64 = 6;
/// What a refused client is told to wait before retrying a full queue.
const QUEUE_RETRY_AFTER_SECS: u64 = 2;

/// The budget a run asked for at `now` must fit.
pub fn run_budget(now: DateTime<Utc>) -> RunBudget {
    RunBudget {
        since: now - chrono::Duration::minutes(1),
        per_minute_in_interview: RUNS_PER_MINUTE_PER_INTERVIEW,
        per_minute_by_participant: RUNS_PER_MINUTE_PER_PARTICIPANT,
        queued_in_interview: QUEUED_PER_INTERVIEW,
        queued_by_participant: QUEUED_PER_PARTICIPANT,
    }
}

impl From<BudgetExceeded> for AppError {
    fn from(exceeded: BudgetExceeded) -> AppError {
        let queue_full = |message: String| AppError::TooMany {
            code: "run_queue_full",
            message,
            retry_after_secs: Some(QUEUE_RETRY_AFTER_SECS),
        };
        match exceeded {
            BudgetExceeded::RunsPerMinute => AppError::RateLimited { retry_after_secs: 60 },
            BudgetExceeded::QueuedByParticipant => queue_full(format!(
                "You already have {QUEUED_PER_PARTICIPANT} runs waiting; wait for one to start or cancel one."
            )),
            BudgetExceeded::QueuedInInterview => queue_full(format!(
                "This interview already has {QUEUED_PER_INTERVIEW} runs waiting; wait for one to start."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_limit_reached_refuses_a_run() {
        let budget = run_budget(Utc::now());
        let ok = [0, 0, 0, 0];
        assert_eq!(budget.check(ok), Ok(()));
        assert_eq!(budget.check([0, 0, 0, QUEUED_PER_PARTICIPANT]), Err(BudgetExceeded::QueuedByParticipant));
        assert_eq!(budget.check([0, 0, QUEUED_PER_INTERVIEW, 0]), Err(BudgetExceeded::QueuedInInterview));
        assert_eq!(budget.check([RUNS_PER_MINUTE_PER_INTERVIEW, 0, 0, 0]), Err(BudgetExceeded::RunsPerMinute));
        assert_eq!(budget.check([0, RUNS_PER_MINUTE_PER_PARTICIPANT, 0, 0]), Err(BudgetExceeded::RunsPerMinute));
    }
}
