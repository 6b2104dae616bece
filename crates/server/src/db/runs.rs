//! Code runs in the store: the durable queue and the run history (`RunStore`), with its one
//! SQL implementation expanded for each backend by `impl_run_store!`.
//!
//! Queueing checks the budgets and inserts in one transaction that serialises per interview
//! (SQLite `BEGIN IMMEDIATE`; PostgreSQL locks the interview's row), so concurrent requests
//! cannot all pass a check made before any of them inserted.
//!
//! Claiming is a single compare-and-set `UPDATE … WHERE id = (next run) AND status =
//! queued`, correct on both backends without `SKIP LOCKED`: of two workers racing for one
//! run, exactly one updates the row; the other finds nothing and tries again. The next run is
//! the oldest queued run of the interview with the fewest runs running, the least recently
//! served first: round-robin across interviews, so one interview's queue never delays
//! another's runs by more than a run. A claimed run carries a heartbeat; one whose heartbeat
//! stops (its worker died) is failed, never re-run, so no program runs twice.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Language, RunMode, RunStatus};

/// A run as stored. `cases` and `result` are JSON documents.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub requested_by: String,
    #[sqlx(try_from = "String")]
    pub language: Language,
    #[sqlx(try_from = "String")]
    pub mode: RunMode,
    pub code: String,
    pub stdin: String,
    pub question_id: Option<Uuid>,
    pub interviewers_only: bool,
    pub cases: String,
    /// The SQL schema the run set up before each case (SQL runs of a question with one).
    pub setup_sql: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: RunStatus,
    pub result: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A run as the history lists it: no code, no output. `result` is read only for runs without
/// a `summary` (those that never finished normally, whose result is small).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunSummaryRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub requested_by: String,
    #[sqlx(try_from = "String")]
    pub language: Language,
    #[sqlx(try_from = "String")]
    pub mode: RunMode,
    pub question_id: Option<Uuid>,
    pub interviewers_only: bool,
    #[sqlx(try_from = "String")]
    pub status: RunStatus,
    pub summary: Option<String>,
    pub result: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewRun {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub requested_by: String,
    pub language: Language,
    pub mode: RunMode,
    pub code: String,
    pub stdin: String,
    pub question_id: Option<Uuid>,
    pub interviewers_only: bool,
    pub cases: String,
    pub setup_sql: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The limits a new run must fit, checked atomically with its insertion.
#[derive(Debug, Clone, Copy)]
pub struct RunBudget {
    /// Runs created since then count against the per-minute limits.
    pub since: DateTime<Utc>,
    pub per_minute_in_interview: i64,
    pub per_minute_by_participant: i64,
    /// Runs waiting (queued, not yet running).
    pub queued_in_interview: i64,
    pub queued_by_participant: i64,
}

/// Which limit refused a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetExceeded {
    RunsPerMinute,
    QueuedInInterview,
    QueuedByParticipant,
}

impl RunBudget {
    /// The first limit that `counts` (`[per minute in the interview, per minute by the
    /// participant, queued in the interview, queued by the participant]`) reach.
    pub fn check(&self, counts: [i64; 4]) -> Result<(), BudgetExceeded> {
        let [minute_interview, minute_participant, queued_interview, queued_participant] = counts;
        if queued_participant >= self.queued_by_participant {
            Err(BudgetExceeded::QueuedByParticipant)
        } else if queued_interview >= self.queued_in_interview {
            Err(BudgetExceeded::QueuedInInterview)
        } else if minute_interview >= self.per_minute_in_interview
            || minute_participant >= self.per_minute_by_participant
        {
            Err(BudgetExceeded::RunsPerMinute)
        } else {
            Ok(())
        }
    }
}

/// Where a page of the history starts: strictly before this run.
pub type HistoryCursor = Uuid;

/// What asking to cancel a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// It was queued: it is now `cancelled` and will never run.
    Cancelled,
    /// It is running: its worker will stop it and store `cancelled`.
    Requested,
    /// It had already finished (or does not exist).
    TooLate,
}

#[async_trait]
pub trait RunStore {
    /// Inserts the run if it fits `budget`, atomically with the check. `announce` is called once
    /// the run is accepted and before it is committed, so that no worker can claim it (and
    /// announce its start) before it was announced as queued.
    async fn enqueue_run(
        &self,
        run: &NewRun,
        budget: &RunBudget,
        announce: &(dyn Fn() + Send + Sync),
    ) -> StoreResult<Result<(), BudgetExceeded>>;
    /// Claims the next queued run (fairly across interviews) for `worker`, or `None`.
    async fn claim_run(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<Option<RunRecord>>;
    /// Proves the run's worker is alive; returns who asked to cancel the run, if anyone did.
    async fn heartbeat_run(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<String>>;
    /// Cancels a queued run at once (storing `result`), or flags a running one for its worker.
    async fn cancel_run(&self, id: Uuid, by: &str, result: &str, now: DateTime<Utc>) -> StoreResult<CancelOutcome>;
    /// Stores the end of a run: its status, result and history digest (`summary`).
    async fn finish_run(
        &self,
        id: Uuid,
        status: RunStatus,
        result: &str,
        summary: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Fails running runs whose heartbeat is older than `stale_before`; returns their ids and
    /// languages.
    async fn fail_abandoned_runs(
        &self,
        stale_before: DateTime<Utc>,
        result: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(Uuid, String)>>;
    /// How many runs wait in the queue, across every process.
    async fn count_queued_runs(&self) -> StoreResult<i64>;
    async fn find_run(&self, id: Uuid) -> StoreResult<Option<RunRecord>>;
    /// A run's interview and whether it is interviewers-only, without its code or output.
    async fn run_visibility(&self, id: Uuid) -> StoreResult<Option<(Uuid, bool)>>;
    /// A page of the interview's history, newest first: up to `limit` runs created before the
    /// run `before` (if given), interviewers-only runs included when `with_private`.
    async fn list_runs(
        &self,
        interview_id: Uuid,
        with_private: bool,
        before: Option<HistoryCursor>,
        limit: i64,
    ) -> StoreResult<Vec<RunSummaryRecord>>;
}

pub(super) const RUN_COLUMNS: &str = "id, interview_id, participant_id, requested_by, language, mode, code, stdin, \
     question_id, interviewers_only, cases, setup_sql, status, result, created_at, started_at, finished_at";

/// The next run to claim: the oldest queued run of the interview with the fewest runs running,
/// the least recently served interview first. Parameters 3 and 4: the statuses queued, running.
pub(super) const NEXT_RUN: &str = "SELECT q.id FROM runs q WHERE q.status = $3 ORDER BY \
     (SELECT COUNT(*) FROM runs r WHERE r.interview_id = q.interview_id AND r.status = $4), \
     (SELECT MAX(s.started_at) FROM runs s WHERE s.interview_id = q.interview_id) IS NOT NULL, \
     (SELECT MAX(s.started_at) FROM runs s WHERE s.interview_id = q.interview_id), \
     q.created_at, q.id LIMIT 1";

/// Parameters: interview, participant, since, the status queued. Counts in
/// [`RunBudget::check`]'s order.
pub(super) const BUDGET_COUNTS: &str = "SELECT \
     COALESCE(SUM(CASE WHEN created_at >= $3 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN created_at >= $3 AND participant_id = $2 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN status = $4 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN status = $4 AND participant_id = $2 THEN 1 ELSE 0 END), 0) \
     FROM runs WHERE interview_id = $1 AND (created_at >= $3 OR status = $4)";

/// Parameters: interview, with_private, before (or null), limit.
pub(super) const HISTORY_PAGE: &str = "SELECT id, interview_id, participant_id, requested_by, language, mode, \
     question_id, interviewers_only, status, summary, CASE WHEN summary IS NULL THEN result END AS result, \
     created_at, started_at, finished_at FROM runs \
     WHERE interview_id = $1 AND ($2 OR NOT interviewers_only) \
     AND ($3 IS NULL OR created_at < (SELECT c.created_at FROM runs c WHERE c.id = $3) \
       OR (created_at = (SELECT c.created_at FROM runs c WHERE c.id = $3) AND id < $3)) \
     ORDER BY created_at DESC, id DESC LIMIT $4";

macro_rules! impl_run_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::RunStore for $store {
            async fn enqueue_run(
                &self,
                run: &$crate::db::NewRun,
                budget: &$crate::db::RunBudget,
                announce: &(dyn Fn() + Send + Sync),
            ) -> $crate::db::StoreResult<Result<(), $crate::db::BudgetExceeded>> {
                // Serialise the check and the insert per interview: SQLite takes its one
                // write lock up front, PostgreSQL locks the interview's row.
                let mut tx = if $backend == "sqlite" {
                    self.pool.begin_with("BEGIN IMMEDIATE").await?
                } else {
                    self.pool.begin().await?
                };
                if $backend == "postgres" {
                    sqlx::query("SELECT id FROM interviews WHERE id = $1 FOR UPDATE")
                        .bind(run.interview_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                }
                let counts: (i64, i64, i64, i64) = sqlx::query_as($crate::db::runs::BUDGET_COUNTS)
                    .bind(run.interview_id)
                    .bind(run.participant_id)
                    .bind(budget.since)
                    .bind($crate::domain::RunStatus::Queued.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                if let Err(exceeded) = budget.check([counts.0, counts.1, counts.2, counts.3]) {
                    tx.rollback().await?;
                    return Ok(Err(exceeded));
                }
                sqlx::query(
                    "INSERT INTO runs (id, interview_id, participant_id, requested_by, language, mode, code, stdin, \
                     question_id, interviewers_only, cases, status, created_at, setup_sql) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(run.id)
                .bind(run.interview_id)
                .bind(run.participant_id)
                .bind(&run.requested_by)
                .bind(run.language.as_str())
                .bind(run.mode.as_str())
                .bind(&run.code)
                .bind(&run.stdin)
                .bind(run.question_id)
                .bind(run.interviewers_only)
                .bind(&run.cases)
                .bind($crate::domain::RunStatus::Queued.as_str())
                .bind(run.created_at)
                .bind(&run.setup_sql)
                .execute(&mut *tx)
                .await?;
                announce();
                tx.commit().await?;
                Ok(Ok(()))
            }

            async fn claim_run(
                &self,
                worker: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<$crate::db::RunRecord>> {
                let sql = format!(
                    "UPDATE runs SET status = $4, claimed_by = $1, started_at = $2, heartbeat_at = $2 \
                     WHERE id = ({}) AND status = $3 RETURNING {}",
                    $crate::db::runs::NEXT_RUN,
                    $crate::db::runs::RUN_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(worker)
                    .bind(now)
                    .bind($crate::domain::RunStatus::Queued.as_str())
                    .bind($crate::domain::RunStatus::Running.as_str())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn heartbeat_run(
                &self,
                id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<String>> {
                let flag: Option<Option<String>> = sqlx::query_scalar(
                    "UPDATE runs SET heartbeat_at = $1 WHERE id = $2 AND status = $3 RETURNING cancel_requested_by",
                )
                .bind(now)
                .bind(id)
                .bind($crate::domain::RunStatus::Running.as_str())
                .fetch_optional(&self.pool)
                .await?;
                Ok(flag.flatten())
            }

            async fn cancel_run(
                &self,
                id: uuid::Uuid,
                by: &str,
                result: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<$crate::db::CancelOutcome> {
                let queued = sqlx::query(
                    "UPDATE runs SET status = $5, cancel_requested_by = $1, result = $2, finished_at = $3 \
                     WHERE id = $4 AND status = $6",
                )
                .bind(by)
                .bind(result)
                .bind(now)
                .bind(id)
                .bind($crate::domain::RunStatus::Cancelled.as_str())
                .bind($crate::domain::RunStatus::Queued.as_str())
                .execute(&self.pool)
                .await?;
                if queued.rows_affected() == 1 {
                    return Ok($crate::db::CancelOutcome::Cancelled);
                }
                let running = sqlx::query(
                    "UPDATE runs SET cancel_requested_by = COALESCE(cancel_requested_by, $1) \
                     WHERE id = $2 AND status = $3",
                )
                .bind(by)
                .bind(id)
                .bind($crate::domain::RunStatus::Running.as_str())
                .execute(&self.pool)
                .await?;
                Ok(if running.rows_affected() == 1 {
                    $crate::db::CancelOutcome::Requested
                } else {
                    $crate::db::CancelOutcome::TooLate
                })
            }

            async fn finish_run(
                &self,
                id: uuid::Uuid,
                status: $crate::domain::RunStatus,
                result: &str,
                summary: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                sqlx::query(
                    "UPDATE runs SET status = $1, result = $2, summary = $3, finished_at = $4 \
                     WHERE id = $5 AND status = $6",
                )
                .bind(status.as_str())
                .bind(result)
                .bind(summary)
                .bind(now)
                .bind(id)
                .bind($crate::domain::RunStatus::Running.as_str())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn fail_abandoned_runs(
                &self,
                stale_before: chrono::DateTime<chrono::Utc>,
                result: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<(uuid::Uuid, String)>> {
                Ok(sqlx::query_as(
                    "UPDATE runs SET status = $4, result = $1, finished_at = $3 \
                     WHERE status = $5 AND heartbeat_at < $2 RETURNING id, language",
                )
                .bind(result)
                .bind(stale_before)
                .bind(now)
                .bind($crate::domain::RunStatus::InternalError.as_str())
                .bind($crate::domain::RunStatus::Running.as_str())
                .fetch_all(&self.pool)
                .await?)
            }

            async fn count_queued_runs(&self) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM runs WHERE status = $1")
                    .bind($crate::domain::RunStatus::Queued.as_str())
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn run_visibility(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Option<(uuid::Uuid, bool)>> {
                Ok(sqlx::query_as("SELECT interview_id, interviewers_only FROM runs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn find_run(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Option<$crate::db::RunRecord>> {
                let sql = format!("SELECT {} FROM runs WHERE id = $1", $crate::db::runs::RUN_COLUMNS);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn list_runs(
                &self,
                interview_id: uuid::Uuid,
                with_private: bool,
                before: Option<$crate::db::HistoryCursor>,
                limit: i64,
            ) -> $crate::db::StoreResult<Vec<$crate::db::RunSummaryRecord>> {
                Ok(sqlx::query_as($crate::db::runs::HISTORY_PAGE)
                    .bind(interview_id)
                    .bind(with_private)
                    .bind(before)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }
    };
}

pub(crate) use impl_run_store;
