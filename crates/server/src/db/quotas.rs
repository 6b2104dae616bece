//! What an account holds, counted for its quotas (`crate::quotas`): the `QuotaStore` trait and
//! its one SQL implementation, expanded for each backend by `impl_quota_store!`. Candidates have
//! no account: their interviews' runs count against the interview's host.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

#[async_trait]
pub trait QuotaStore {
    /// Interviews the account created that have not ended (scheduled or live).
    async fn count_open_interviews(&self, user_id: Uuid) -> StoreResult<i64>;
    /// Questions the account created that are not deleted.
    async fn count_own_questions(&self, user_id: Uuid) -> StoreResult<i64>;
    /// API tokens of the account that have not expired at `now`.
    async fn count_live_tokens(&self, user_id: Uuid, now: DateTime<Utc>) -> StoreResult<i64>;
    /// Runs queued since `since` in the interviews the account created, whoever asked for them.
    async fn count_hosted_runs_since(&self, user_id: Uuid, since: DateTime<Utc>) -> StoreResult<i64>;
    /// Runs queued since `since` in the workspace's interviews (its own `runs_per_day`).
    async fn count_workspace_runs_since(&self, workspace_id: Uuid, since: DateTime<Utc>) -> StoreResult<i64>;
    /// Workspaces the account owns.
    async fn count_owned_workspaces(&self, user_id: Uuid) -> StoreResult<i64>;
    /// Invites of the workspace neither accepted nor expired at `now`.
    async fn count_pending_invites(&self, workspace_id: Uuid, now: DateTime<Utc>) -> StoreResult<i64>;
}

macro_rules! impl_quota_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::QuotaStore for $store {
            async fn count_workspace_runs_since(
                &self,
                workspace_id: uuid::Uuid,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM runs JOIN interviews ON interviews.id = runs.interview_id \
                     WHERE interviews.workspace_id = $1 AND runs.created_at >= $2",
                )
                .bind(workspace_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn count_owned_workspaces(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM workspace_members WHERE user_id = $1 AND role = $2")
                    .bind(user_id)
                    .bind($crate::domain::WorkspaceRole::Owner.as_str())
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn count_pending_invites(
                &self,
                workspace_id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM workspace_invites WHERE workspace_id = $1 AND accepted_at IS NULL AND expires_at > $2",
                )
                .bind(workspace_id)
                .bind(now)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn count_open_interviews(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM interviews WHERE created_by = $1 AND status <> $2")
                    .bind(user_id)
                    .bind($crate::domain::InterviewStatus::Ended.as_str())
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn count_own_questions(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE created_by = $1 AND deleted_at IS NULL")
                    .bind(user_id)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn count_live_tokens(
                &self,
                user_id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND expires_at > $2")
                    .bind(user_id)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn count_hosted_runs_since(
                &self,
                user_id: uuid::Uuid,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM runs JOIN interviews ON interviews.id = runs.interview_id \
                     WHERE interviews.created_by = $1 AND runs.created_at >= $2",
                )
                .bind(user_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_quota_store;
