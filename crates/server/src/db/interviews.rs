//! Interviews and their participants in the store: the `InterviewStore` trait and its one
//! SQL implementation, expanded for each backend by `impl_interview_store!`.
//!
//! Status changes are compare-and-set (`WHERE status = …`), so two interviewers pressing
//! Start at once cannot both succeed. Ending an interview also deletes its candidate
//! sessions: the candidate is locked out of every route and socket at once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::InterviewControls;

use super::{
    InterviewPlan, InterviewRecord, InterviewWithRole, NewInterview, NewParticipant, ParticipantRecord,
    ParticipantStanding, StoreResult,
};

#[async_trait]
pub trait InterviewStore {
    /// Creates the interview, its question list and its host participant in one transaction.
    async fn create_interview(&self, new: &NewInterview) -> StoreResult<()>;
    async fn update_interview_plan(&self, id: Uuid, plan: &InterviewPlan, at: DateTime<Utc>) -> StoreResult<()>;
    async fn find_interview(&self, id: Uuid) -> StoreResult<Option<InterviewRecord>>;
    async fn find_interview_by_code(&self, room_code: &str) -> StoreResult<Option<InterviewRecord>>;
    /// The interviews `user_id` takes part in, with their role and questions, newest first.
    /// The interviews `user_id` takes part in, of one status and one workspace when given.
    async fn list_interviews_for_user(
        &self,
        user_id: Uuid,
        status: Option<&str>,
        workspace: Option<Uuid>,
    ) -> StoreResult<Vec<InterviewWithRole>>;
    /// Every interview of a workspace (the export).
    async fn workspace_interviews(&self, workspace_id: Uuid) -> StoreResult<Vec<InterviewRecord>>;
    async fn interview_question_ids(&self, id: Uuid) -> StoreResult<Vec<Uuid>>;
    /// `scheduled → live`; false when the interview was not scheduled.
    async fn start_interview(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// `scheduled | live → ended`, ending candidate sessions; false when already ended.
    async fn end_interview(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn delete_interview(&self, id: Uuid) -> StoreResult<()>;
    /// Stores the interview's controls; false when the interview is gone.
    async fn set_interview_controls(
        &self,
        id: Uuid,
        controls: &InterviewControls,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    async fn add_participant(&self, new: &NewParticipant) -> StoreResult<ParticipantRecord>;
    async fn list_participants(&self, interview_id: Uuid) -> StoreResult<Vec<ParticipantRecord>>;
    async fn find_participant_for_user(
        &self,
        interview_id: Uuid,
        user_id: Uuid,
    ) -> StoreResult<Option<ParticipantRecord>>;
    /// The interview's candidate participant, once someone has joined.
    async fn find_candidate(&self, interview_id: Uuid) -> StoreResult<Option<ParticipantRecord>>;
    async fn rename_participant(&self, id: Uuid, name: &str) -> StoreResult<()>;
    async fn delete_participant(&self, id: Uuid) -> StoreResult<()>;
    /// Replaces the candidate invite secret, and with `end_candidate_sessions` ends the
    /// candidate's sessions in the same transaction: the old link joins nothing, and whoever
    /// used it is signed out unless the host chose to keep them in.
    async fn rotate_invite(&self, id: Uuid, invite_secret: &str, end_candidate_sessions: bool) -> StoreResult<()>;
    /// Of `ids`, the participants that still exist, with their role and interview status.
    async fn participant_standings(&self, ids: &[Uuid]) -> StoreResult<Vec<ParticipantStanding>>;
    /// The questions of every interview `user_id` takes part in as an observer or candidate.
    async fn questions_seen_as_guest(&self, user_id: Uuid) -> StoreResult<Vec<Uuid>>;
    /// Live interviews with `auto_end` on that started at or before `started_by`, oldest
    /// first, at most `limit`: each with its start and duration (the caller picks the overdue).
    async fn auto_end_candidates(&self, started_by: DateTime<Utc>, limit: i64) -> StoreResult<Vec<AutoEndCandidate>>;
}

/// A live interview the server may have to end by itself (`auto_end`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AutoEndCandidate {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    pub duration_minutes: i32,
}

pub(super) const INTERVIEW_COLUMNS: &str = "id, workspace_id, title, status, room_code, invite_secret, language, scheduled_at, \
     duration_minutes, candidate_name, candidate_email, created_by, created_at, updated_at, started_at, ended_at, \
     candidate_autocomplete, active_question_id, editor_locked, runs_disabled, auto_end";

pub(super) const PARTICIPANT_COLUMNS: &str = "id, interview_id, user_id, role, name, email, created_at";

/// Signs the candidate of interview `$1` out (the interview ended, or its invite was renewed);
/// `$2` is the role candidate.
pub(crate) const END_CANDIDATE_SESSIONS: &str = "DELETE FROM sessions WHERE participant_id IN \
     (SELECT id FROM participants WHERE interview_id = $1 AND role = $2)";

macro_rules! impl_interview_store {
    ($store:ty) => {
        impl $store {
            async fn replace_interview_questions(
                tx: &mut sqlx::Transaction<'_, <$store as $crate::db::Backend>::Database>,
                id: uuid::Uuid,
                question_ids: &[uuid::Uuid],
            ) -> $crate::db::StoreResult<()> {
                sqlx::query("DELETE FROM interview_questions WHERE interview_id = $1").bind(id).execute(&mut **tx).await?;
                for (position, question_id) in question_ids.iter().enumerate() {
                    sqlx::query("INSERT INTO interview_questions (interview_id, position, question_id) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(position as i32)
                        .bind(question_id)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::db::InterviewStore for $store {
            async fn create_interview(&self, new: &$crate::db::NewInterview) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let p = &new.plan;
                sqlx::query(
                    "INSERT INTO interviews (id, title, status, room_code, invite_secret, language, scheduled_at, \
                     duration_minutes, candidate_name, candidate_email, created_by, created_at, updated_at, workspace_id) \
                     VALUES ($1, $2, $13, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
                )
                .bind(new.id)
                .bind(&p.title)
                .bind(&new.room_code)
                .bind(&new.invite_secret)
                .bind(p.language.as_str())
                .bind(p.scheduled_at)
                .bind(p.duration_minutes)
                .bind(&p.candidate_name)
                .bind(&p.candidate_email)
                .bind(new.host.user_id)
                .bind(new.created_at)
                .bind(new.workspace_id)
                .bind($crate::domain::InterviewStatus::Scheduled.as_str())
                .execute(&mut *tx)
                .await
                .map_err($crate::db::conflict_on_unique("an interview with this room code"))?;
                Self::replace_interview_questions(&mut tx, new.id, &p.question_ids).await?;
                insert_participant(&mut *tx, &new.host).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_interview_plan(
                &self,
                id: uuid::Uuid,
                p: &$crate::db::InterviewPlan,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE interviews SET title = $1, language = $2, scheduled_at = $3, duration_minutes = $4, \
                     candidate_name = $5, candidate_email = $6, updated_at = $7 WHERE id = $8 AND status = $9",
                )
                .bind(&p.title)
                .bind(p.language.as_str())
                .bind(p.scheduled_at)
                .bind(p.duration_minutes)
                .bind(&p.candidate_name)
                .bind(&p.candidate_email)
                .bind(at)
                .bind(id)
                .bind($crate::domain::InterviewStatus::Scheduled.as_str())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("scheduled interview"));
                }
                Self::replace_interview_questions(&mut tx, id, &p.question_ids).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn find_interview(
                &self,
                id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::InterviewRecord>> {
                let sql = format!("SELECT {} FROM interviews WHERE id = $1", $crate::db::interviews::INTERVIEW_COLUMNS);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn find_interview_by_code(
                &self,
                room_code: &str,
            ) -> $crate::db::StoreResult<Option<$crate::db::InterviewRecord>> {
                let sql = format!("SELECT {} FROM interviews WHERE room_code = $1", $crate::db::interviews::INTERVIEW_COLUMNS);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(room_code).fetch_optional(&self.pool).await?)
            }

            async fn list_interviews_for_user(
                &self,
                user_id: uuid::Uuid,
                status: Option<&str>,
                workspace: Option<uuid::Uuid>,
            ) -> $crate::db::StoreResult<Vec<$crate::db::InterviewWithRole>> {
                let columns = $crate::db::interviews::INTERVIEW_COLUMNS
                    .split(", ")
                    .map(|c| format!("i.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "SELECT {columns}, p.role AS my_role FROM interviews i JOIN participants p ON p.interview_id = i.id \
                     WHERE p.user_id = $1 AND (CAST($2 AS TEXT) IS NULL OR i.status = $2) \
                     AND (CAST($3 AS UUID) IS NULL OR i.workspace_id = $3) \
                     ORDER BY i.created_at DESC, i.id"
                );
                // One transaction, two queries: the list, then every listed interview's
                // questions (not one query per interview).
                let mut tx = self.pool.begin().await?;
                let mut listed: Vec<$crate::db::InterviewWithRole> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(user_id)
                        .bind(status)
                        .bind(workspace)
                        .fetch_all(&mut *tx)
                        .await?;
                let questions: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
                    "SELECT q.interview_id, q.question_id FROM interview_questions q JOIN interviews i ON i.id = q.interview_id \
                     WHERE q.interview_id IN (SELECT p.interview_id FROM participants p WHERE p.user_id = $1) \
                     AND (CAST($2 AS TEXT) IS NULL OR i.status = $2) \
                     AND (CAST($3 AS UUID) IS NULL OR i.workspace_id = $3) ORDER BY q.interview_id, q.position",
                )
                .bind(user_id)
                .bind(status)
                .bind(workspace)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut by_interview: std::collections::HashMap<uuid::Uuid, Vec<uuid::Uuid>> =
                    std::collections::HashMap::new();
                for (interview_id, question_id) in questions {
                    by_interview.entry(interview_id).or_default().push(question_id);
                }
                for entry in &mut listed {
                    entry.question_ids = by_interview.get(&entry.interview.id).cloned().unwrap_or_default();
                }
                Ok(listed)
            }

            async fn workspace_interviews(
                &self,
                workspace_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::InterviewRecord>> {
                let sql = format!(
                    "SELECT {} FROM interviews WHERE workspace_id = $1 ORDER BY created_at, id",
                    $crate::db::interviews::INTERVIEW_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(workspace_id).fetch_all(&self.pool).await?)
            }

            async fn interview_question_ids(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                Ok(sqlx::query_scalar(
                    "SELECT question_id FROM interview_questions WHERE interview_id = $1 ORDER BY position",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn start_interview(
                &self,
                id: uuid::Uuid,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE interviews SET status = $3, started_at = $1, updated_at = $1 \
                     WHERE id = $2 AND status = $4",
                )
                .bind(at)
                .bind(id)
                .bind($crate::domain::InterviewStatus::Live.as_str())
                .bind($crate::domain::InterviewStatus::Scheduled.as_str())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn end_interview(
                &self,
                id: uuid::Uuid,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE interviews SET status = $3, ended_at = $1, updated_at = $1 \
                     WHERE id = $2 AND status <> $3",
                )
                .bind(at)
                .bind(id)
                .bind($crate::domain::InterviewStatus::Ended.as_str())
                .execute(&mut *tx)
                .await?;
                sqlx::query($crate::db::interviews::END_CANDIDATE_SESSIONS)
                .bind(id)
                .bind($crate::domain::Role::Candidate.as_str())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_interview(&self, id: uuid::Uuid) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "DELETE FROM sessions WHERE participant_id IN (SELECT id FROM participants WHERE interview_id = $1)",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let done = sqlx::query("DELETE FROM interviews WHERE id = $1").bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("interview"));
                }
                Ok(())
            }

            async fn set_interview_controls(
                &self,
                id: uuid::Uuid,
                controls: &$crate::domain::InterviewControls,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE interviews SET candidate_autocomplete = $1, updated_at = $2, \
                     active_question_id = $4, editor_locked = $5, runs_disabled = $6, auto_end = $7 WHERE id = $3",
                )
                .bind(controls.candidate_autocomplete)
                .bind(at)
                .bind(id)
                .bind(controls.active_question_id)
                .bind(controls.editor_locked)
                .bind(controls.runs_disabled)
                .bind(controls.auto_end)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn add_participant(
                &self,
                new: &$crate::db::NewParticipant,
            ) -> $crate::db::StoreResult<$crate::db::ParticipantRecord> {
                insert_participant(&self.pool, new).await
            }

            async fn list_participants(
                &self,
                interview_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::ParticipantRecord>> {
                let sql = format!(
                    "SELECT {} FROM participants WHERE interview_id = $1 ORDER BY created_at, id",
                    $crate::db::interviews::PARTICIPANT_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(interview_id).fetch_all(&self.pool).await?)
            }

            async fn find_participant_for_user(
                &self,
                interview_id: uuid::Uuid,
                user_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::ParticipantRecord>> {
                let sql = format!(
                    "SELECT {} FROM participants WHERE interview_id = $1 AND user_id = $2",
                    $crate::db::interviews::PARTICIPANT_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(interview_id)
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn find_candidate(
                &self,
                interview_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::ParticipantRecord>> {
                let sql = format!(
                    "SELECT {} FROM participants WHERE interview_id = $1 AND role = $2 ORDER BY created_at LIMIT 1",
                    $crate::db::interviews::PARTICIPANT_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(interview_id)
                    .bind($crate::domain::Role::Candidate.as_str())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn rename_participant(&self, id: uuid::Uuid, name: &str) -> $crate::db::StoreResult<()> {
                sqlx::query("UPDATE participants SET name = $1 WHERE id = $2").bind(name).bind(id).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_participant(&self, id: uuid::Uuid) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE participant_id = $1").bind(id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM participants WHERE id = $1").bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn rotate_invite(
                &self,
                id: uuid::Uuid,
                invite_secret: &str,
                end_candidate_sessions: bool,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query("UPDATE interviews SET invite_secret = $1 WHERE id = $2")
                    .bind(invite_secret)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("interview"));
                }
                if end_candidate_sessions {
                    sqlx::query($crate::db::interviews::END_CANDIDATE_SESSIONS)
                        .bind(id)
                        .bind($crate::domain::Role::Candidate.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn auto_end_candidates(
                &self,
                started_by: chrono::DateTime<chrono::Utc>,
                limit: i64,
            ) -> $crate::db::StoreResult<Vec<$crate::db::AutoEndCandidate>> {
                Ok(sqlx::query_as(
                    "SELECT id, started_at, duration_minutes FROM interviews \
                     WHERE status = $1 AND auto_end = TRUE AND started_at <= $2 ORDER BY started_at LIMIT $3",
                )
                .bind($crate::domain::InterviewStatus::Live.as_str())
                .bind(started_by)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn participant_standings(
                &self,
                ids: &[uuid::Uuid],
            ) -> $crate::db::StoreResult<Vec<$crate::db::ParticipantStanding>> {
                let mut standings = Vec::new();
                for chunk in ids.chunks($crate::db::accounts::MAX_IN_LIST) {
                    let sql = format!(
                        "SELECT p.id, p.user_id, p.role, i.status FROM participants p JOIN interviews i ON i.id = p.interview_id \
                         WHERE p.id IN ({})",
                        $crate::db::accounts::placeholders(1, chunk.len())
                    );
                    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                    for id in chunk {
                        query = query.bind(id);
                    }
                    standings.extend(query.fetch_all(&self.pool).await?);
                }
                Ok(standings)
            }

            async fn questions_seen_as_guest(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                Ok(sqlx::query_scalar(
                    "SELECT DISTINCT q.question_id FROM interview_questions q \
                     JOIN participants p ON p.interview_id = q.interview_id \
                     WHERE p.user_id = $1 AND p.role IN ($2, $3)",
                )
                .bind(user_id)
                .bind($crate::domain::Role::Observer.as_str())
                .bind($crate::domain::Role::Candidate.as_str())
                .fetch_all(&self.pool)
                .await?)
            }
        }

        async fn insert_participant<'e, E>(
            executor: E,
            new: &$crate::db::NewParticipant,
        ) -> $crate::db::StoreResult<$crate::db::ParticipantRecord>
        where
            E: sqlx::Executor<'e, Database = <$store as $crate::db::Backend>::Database>,
        {
            let sql = format!(
                "INSERT INTO participants ({}) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {}",
                $crate::db::interviews::PARTICIPANT_COLUMNS,
                $crate::db::interviews::PARTICIPANT_COLUMNS
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(new.id)
                .bind(new.interview_id)
                .bind(new.user_id)
                .bind(new.role.as_str())
                .bind(&new.name)
                .bind(&new.email)
                .bind(new.created_at)
                .fetch_one(executor)
                .await
                .map_err($crate::db::conflict_on_unique("this participant"))
        }
    };
}

pub(crate) use impl_interview_store;
