//! Rubrics and scorecards in the store: the `ScorecardStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_scorecard_store!`.
//!
//! The rules that must hold under concurrency are compare-and-set statements: a draft is saved
//! only while it is a draft (`ON CONFLICT … DO UPDATE … WHERE status = 'draft'`), a scorecard
//! is submitted only when complete, a rubric changes only while unlocked. Submitting locks the
//! rubric in the same transaction, after taking the rubric's row, so a rubric change and a
//! submission cannot interleave.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Criterion, DraftContent, Rating, Recommendation, ScorecardStatus};

/// An interview's rubric as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRubric {
    /// In the host's order.
    pub criteria: Vec<Criterion>,
    /// A scorecard was submitted: the criteria no longer change.
    pub locked: bool,
}

/// One interviewer's scorecard, as stored and as the API sends it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Scorecard {
    /// Nil for a fresh draft not saved yet.
    pub id: Uuid,
    pub interview_id: Uuid,
    /// Whose scorecard it is (the host's or a co-interviewer's participant id).
    pub participant_id: Uuid,
    pub author_name: String,
    pub status: ScorecardStatus,
    /// One per criterion of the rubric, in its order (unrated ones with a null score).
    pub ratings: Vec<Rating>,
    pub recommendation: Option<Recommendation>,
    pub summary: String,
    pub submitted_at: Option<DateTime<Utc>>,
    /// The last time the host reopened it after a submission, and that host's name.
    pub reopened_at: Option<DateTime<Utc>>,
    pub reopened_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A draft to store for `participant_id` (created with `id` when they have none yet).
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub content: DraftContent,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ScorecardRow {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub author_name: String,
    #[sqlx(try_from = "String")]
    pub status: ScorecardStatus,
    pub recommendation: Option<String>,
    pub summary: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reopened_at: Option<DateTime<Utc>>,
    pub reopened_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RatingRow {
    pub scorecard_id: Uuid,
    pub criterion_id: String,
    pub score: Option<i32>,
    pub comment: String,
}

/// The scorecards of `rows` with their ratings.
pub(crate) fn assemble(rows: Vec<ScorecardRow>, ratings: Vec<RatingRow>) -> StoreResult<Vec<Scorecard>> {
    rows.into_iter()
        .map(|row| {
            let recommendation = match row.recommendation {
                Some(raw) => {
                    Some(Recommendation::parse(&raw).map_err(|why| anyhow::anyhow!("stored recommendation {why}"))?)
                }
                None => None,
            };
            let ratings = ratings
                .iter()
                .filter(|r| r.scorecard_id == row.id)
                .map(|r| Rating {
                    criterion_id: r.criterion_id.clone(),
                    score: r.score.and_then(|s| u8::try_from(s).ok()),
                    comment: r.comment.clone(),
                })
                .collect();
            Ok(Scorecard {
                id: row.id,
                interview_id: row.interview_id,
                participant_id: row.participant_id,
                author_name: row.author_name,
                status: row.status,
                ratings,
                recommendation,
                summary: row.summary,
                submitted_at: row.submitted_at,
                reopened_at: row.reopened_at,
                reopened_by: row.reopened_by,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

#[async_trait]
pub trait ScorecardStore {
    /// The interview's rubric, `None` until it was first created.
    async fn find_rubric(&self, interview_id: Uuid) -> StoreResult<Option<StoredRubric>>;
    /// Creates the interview's rubric with `criteria` unless it has one already.
    async fn create_rubric(&self, interview_id: Uuid, criteria: &[Criterion], at: DateTime<Utc>) -> StoreResult<()>;
    /// Replaces the criteria (ratings of removed ones go with them); false when locked.
    async fn replace_rubric(&self, interview_id: Uuid, criteria: &[Criterion], at: DateTime<Utc>) -> StoreResult<bool>;
    /// Every scorecard of the interview, drafts included, oldest first; ratings as stored.
    async fn list_scorecards(&self, interview_id: Uuid) -> StoreResult<Vec<Scorecard>>;
    /// Stores the participant's draft; false when their scorecard is submitted.
    async fn save_draft(&self, draft: &NewDraft) -> StoreResult<bool>;
    /// Submits the participant's draft when it rates every criterion and has a
    /// recommendation, locking the rubric; false when it is not a complete draft.
    async fn submit_scorecard(&self, interview_id: Uuid, participant_id: Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Turns a submitted scorecard of the interview back into a draft, recording who and
    /// when; false when there is no such submitted scorecard.
    async fn reopen_scorecard(
        &self,
        interview_id: Uuid,
        scorecard_id: Uuid,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

macro_rules! impl_scorecard_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::ScorecardStore for $store {
            async fn find_rubric(
                &self,
                interview_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::StoredRubric>> {
                let mut tx = self.pool.begin().await?;
                let locked_at: Option<Option<chrono::DateTime<chrono::Utc>>> =
                    sqlx::query_scalar("SELECT locked_at FROM interview_rubrics WHERE interview_id = $1")
                        .bind(interview_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(locked_at) = locked_at else { return Ok(None) };
                let criteria = sqlx::query_as(
                    "SELECT id, name, description FROM rubric_criteria WHERE interview_id = $1 ORDER BY position",
                )
                .bind(interview_id)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some($crate::db::StoredRubric { criteria, locked: locked_at.is_some() }))
            }

            async fn create_rubric(
                &self,
                interview_id: uuid::Uuid,
                criteria: &[$crate::domain::Criterion],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let created = sqlx::query(
                    "INSERT INTO interview_rubrics (interview_id, updated_at) VALUES ($1, $2) \
                     ON CONFLICT (interview_id) DO NOTHING",
                )
                .bind(interview_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if created.rows_affected() == 1 {
                    upsert_criteria(&mut tx, interview_id, criteria).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn replace_rubric(
                &self,
                interview_id: uuid::Uuid,
                criteria: &[$crate::domain::Criterion],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let unlocked = sqlx::query(
                    "UPDATE interview_rubrics SET updated_at = $2 WHERE interview_id = $1 AND locked_at IS NULL",
                )
                .bind(interview_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if unlocked.rows_affected() == 0 {
                    return Ok(false);
                }
                let sql = format!(
                    "DELETE FROM rubric_criteria WHERE interview_id = $1 AND id NOT IN ({})",
                    $crate::db::accounts::placeholders(2, criteria.len())
                );
                let mut delete = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(interview_id);
                for criterion in criteria {
                    delete = delete.bind(&criterion.id);
                }
                delete.execute(&mut *tx).await?;
                upsert_criteria(&mut tx, interview_id, criteria).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn list_scorecards(
                &self,
                interview_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::Scorecard>> {
                let mut tx = self.pool.begin().await?;
                let rows: Vec<$crate::db::scorecards::ScorecardRow> = sqlx::query_as(
                    "SELECT s.id, s.interview_id, s.participant_id, p.name AS author_name, s.status, s.recommendation, \
                     s.summary, s.submitted_at, s.reopened_at, s.reopened_by, s.updated_at \
                     FROM scorecards s JOIN participants p ON p.id = s.participant_id \
                     WHERE s.interview_id = $1 ORDER BY s.created_at, s.id",
                )
                .bind(interview_id)
                .fetch_all(&mut *tx)
                .await?;
                let ratings: Vec<$crate::db::scorecards::RatingRow> = sqlx::query_as(
                    "SELECT r.scorecard_id, r.criterion_id, r.score, r.comment FROM scorecard_ratings r \
                     JOIN scorecards s ON s.id = r.scorecard_id WHERE s.interview_id = $1",
                )
                .bind(interview_id)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                $crate::db::scorecards::assemble(rows, ratings)
            }

            async fn save_draft(&self, draft: &$crate::db::NewDraft) -> $crate::db::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let content = &draft.content;
                let draft_status = $crate::domain::ScorecardStatus::Draft.as_str();
                let id: Option<uuid::Uuid> = sqlx::query_scalar(
                    "INSERT INTO scorecards (id, interview_id, participant_id, status, recommendation, summary, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                     ON CONFLICT (participant_id) DO UPDATE SET recommendation = excluded.recommendation, \
                     summary = excluded.summary, updated_at = excluded.updated_at \
                     WHERE scorecards.status = $4 RETURNING id",
                )
                .bind(draft.id)
                .bind(draft.interview_id)
                .bind(draft.participant_id)
                .bind(draft_status)
                .bind(content.recommendation.map(|r| r.as_str()))
                .bind(&content.summary)
                .bind(draft.at)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else { return Ok(false) };
                sqlx::query("DELETE FROM scorecard_ratings WHERE scorecard_id = $1").bind(id).execute(&mut *tx).await?;
                for rating in &content.ratings {
                    sqlx::query(
                        "INSERT INTO scorecard_ratings (scorecard_id, interview_id, criterion_id, score, comment) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(draft.interview_id)
                    .bind(&rating.criterion_id)
                    .bind(rating.score.map(i32::from))
                    .bind(&rating.comment)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn submit_scorecard(
                &self,
                interview_id: uuid::Uuid,
                participant_id: uuid::Uuid,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                // Takes the rubric's row first: a concurrent rubric change waits, then finds it locked.
                sqlx::query("UPDATE interview_rubrics SET locked_at = COALESCE(locked_at, $2) WHERE interview_id = $1")
                    .bind(interview_id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                let done = sqlx::query(
                    "UPDATE scorecards SET status = $3, submitted_at = $2, updated_at = $2 \
                     WHERE participant_id = $1 AND interview_id = $5 AND status = $4 AND recommendation IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM rubric_criteria c WHERE c.interview_id = scorecards.interview_id \
                       AND NOT EXISTS (SELECT 1 FROM scorecard_ratings r WHERE r.scorecard_id = scorecards.id \
                         AND r.criterion_id = c.id AND r.score IS NOT NULL))",
                )
                .bind(participant_id)
                .bind(at)
                .bind($crate::domain::ScorecardStatus::Submitted.as_str())
                .bind($crate::domain::ScorecardStatus::Draft.as_str())
                .bind(interview_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn reopen_scorecard(
                &self,
                interview_id: uuid::Uuid,
                scorecard_id: uuid::Uuid,
                by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE scorecards SET status = $3, submitted_at = NULL, reopened_at = $4, reopened_by = $5, \
                     updated_at = $4 WHERE id = $1 AND interview_id = $2 AND status = $6",
                )
                .bind(scorecard_id)
                .bind(interview_id)
                .bind($crate::domain::ScorecardStatus::Draft.as_str())
                .bind(at)
                .bind(by)
                .bind($crate::domain::ScorecardStatus::Submitted.as_str())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }

        async fn upsert_criteria(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::db::Backend>::Database>,
            interview_id: uuid::Uuid,
            criteria: &[$crate::domain::Criterion],
        ) -> $crate::db::StoreResult<()> {
            for (position, criterion) in criteria.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO rubric_criteria (interview_id, id, position, name, description) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (interview_id, id) DO UPDATE SET position = excluded.position, name = excluded.name, \
                     description = excluded.description",
                )
                .bind(interview_id)
                .bind(&criterion.id)
                .bind(position as i32)
                .bind(&criterion.name)
                .bind(&criterion.description)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }
    };
}

pub(crate) use impl_scorecard_store;
