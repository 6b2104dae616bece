//! Code runs in the store: the durable queue and the run history (`RunStore`), with its one
//! SQL implementation expanded for each backend by `impl_run_store!`.
//!
//! Claiming is a single compare-and-set `UPDATE … WHERE id = (oldest queued) AND status =
//! 'queued'`, correct on both backends without `SKIP LOCKED`: of two workers racing for one
//! run, exactly one updates the row; the other finds nothing and tries again. A claimed run
//! carries a heartbeat; one whose heartbeat stops (its worker died) is failed, never re-run,
//! so no program runs twice.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

/// A run as stored. `cases` and `result` are JSON documents.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub requested_by: String,
    pub language: String,
    pub mode: String,
    pub code: String,
    pub stdin: String,
    pub question_id: Option<Uuid>,
    pub cases: String,
    pub status: String,
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
    pub language: String,
    pub mode: String,
    pub code: String,
    pub stdin: String,
    pub question_id: Option<Uuid>,
    pub cases: String,
    pub created_at: DateTime<Utc>,
}

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
    async fn enqueue_run(&self, run: &NewRun) -> StoreResult<()>;
    /// Claims the oldest queued run for `worker`, or `None` when the queue is empty.
    async fn claim_run(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<Option<RunRecord>>;
    /// Proves the run's worker is alive; returns who asked to cancel the run, if anyone did.
    async fn heartbeat_run(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<String>>;
    /// Cancels a queued run at once (storing `result`), or flags a running one for its worker.
    async fn cancel_run(&self, id: Uuid, by: &str, result: &str, now: DateTime<Utc>) -> StoreResult<CancelOutcome>;
    async fn finish_run(&self, id: Uuid, status: &str, result: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// Fails running runs whose heartbeat is older than `stale_before`; returns their ids.
    async fn fail_abandoned_runs(
        &self,
        stale_before: DateTime<Utc>,
        result: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Uuid>>;
    async fn find_run(&self, id: Uuid) -> StoreResult<Option<RunRecord>>;
    /// The interview's runs, newest first.
    async fn list_runs(&self, interview_id: Uuid, limit: i64) -> StoreResult<Vec<RunRecord>>;
    /// Runs requested since `since` in the interview, and by the participant.
    async fn count_recent_runs(
        &self,
        interview_id: Uuid,
        participant_id: Uuid,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, i64)>;
}

pub(super) const RUN_COLUMNS: &str = "id, interview_id, participant_id, requested_by, language, mode, code, stdin, \
     question_id, cases, status, result, created_at, started_at, finished_at";

macro_rules! impl_run_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::RunStore for $store {
            async fn enqueue_run(&self, run: &$crate::db::NewRun) -> $crate::db::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO runs (id, interview_id, participant_id, requested_by, language, mode, code, stdin, \
                     question_id, cases, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11)",
                )
                .bind(run.id)
                .bind(run.interview_id)
                .bind(run.participant_id)
                .bind(&run.requested_by)
                .bind(&run.language)
                .bind(&run.mode)
                .bind(&run.code)
                .bind(&run.stdin)
                .bind(run.question_id)
                .bind(&run.cases)
                .bind(run.created_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn claim_run(
                &self,
                worker: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<$crate::db::RunRecord>> {
                let sql = format!(
                    "UPDATE runs SET status = 'running', claimed_by = $1, started_at = $2, heartbeat_at = $2 \
                     WHERE id = (SELECT id FROM runs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1) \
                     AND status = 'queued' RETURNING {}",
                    $crate::db::runs::RUN_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker).bind(now).fetch_optional(&self.pool).await?)
            }

            async fn heartbeat_run(
                &self,
                id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<String>> {
                let flag: Option<Option<String>> = sqlx::query_scalar(
                    "UPDATE runs SET heartbeat_at = $1 WHERE id = $2 AND status = 'running' RETURNING cancel_requested_by",
                )
                .bind(now)
                .bind(id)
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
                    "UPDATE runs SET status = 'cancelled', cancel_requested_by = $1, result = $2, finished_at = $3 \
                     WHERE id = $4 AND status = 'queued'",
                )
                .bind(by)
                .bind(result)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if queued.rows_affected() == 1 {
                    return Ok($crate::db::CancelOutcome::Cancelled);
                }
                let running = sqlx::query(
                    "UPDATE runs SET cancel_requested_by = COALESCE(cancel_requested_by, $1) \
                     WHERE id = $2 AND status = 'running'",
                )
                .bind(by)
                .bind(id)
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
                status: &str,
                result: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                sqlx::query("UPDATE runs SET status = $1, result = $2, finished_at = $3 WHERE id = $4 AND status = 'running'")
                    .bind(status)
                    .bind(result)
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn fail_abandoned_runs(
                &self,
                stale_before: chrono::DateTime<chrono::Utc>,
                result: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                Ok(sqlx::query_scalar(
                    "UPDATE runs SET status = 'internal_error', result = $1, finished_at = $3 \
                     WHERE status = 'running' AND heartbeat_at < $2 RETURNING id",
                )
                .bind(result)
                .bind(stale_before)
                .bind(now)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn find_run(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Option<$crate::db::RunRecord>> {
                let sql = format!("SELECT {} FROM runs WHERE id = $1", $crate::db::runs::RUN_COLUMNS);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn list_runs(
                &self,
                interview_id: uuid::Uuid,
                limit: i64,
            ) -> $crate::db::StoreResult<Vec<$crate::db::RunRecord>> {
                let sql = format!(
                    "SELECT {} FROM runs WHERE interview_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                    $crate::db::runs::RUN_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(interview_id).bind(limit).fetch_all(&self.pool).await?)
            }

            async fn count_recent_runs(
                &self,
                interview_id: uuid::Uuid,
                participant_id: uuid::Uuid,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<(i64, i64)> {
                Ok(sqlx::query_as(
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN participant_id = $2 THEN 1 ELSE 0 END), 0) \
                     FROM runs WHERE interview_id = $1 AND created_at >= $3",
                )
                .bind(interview_id)
                .bind(participant_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_run_store;
