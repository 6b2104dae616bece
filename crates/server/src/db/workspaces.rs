//! Workspaces in the store: the `WorkspaceStore` trait (workspaces, members, invites) and its
//! one SQL implementation, expanded for each backend by `impl_workspace_store!`.
//!
//! The rules that must hold whatever runs concurrently are kept inside transactions here: a
//! workspace always has an owner, an invite is accepted once and only before it expires, and
//! removing a member takes their places in the workspace's interviews in the same commit.

use anyhow::Context;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    InviteRecord, MemberRecord, MemberWorkspace, NewInvite, NewWorkspace, RevokedPlace, StoreResult, WorkspaceRecord,
    WorkspaceSettings,
};
use crate::domain::{RubricCriterion, WorkspaceRole};

#[async_trait]
pub trait WorkspaceStore {
    /// Creates a workspace with its first owner.
    async fn create_workspace(&self, new: &NewWorkspace) -> StoreResult<()>;
    /// The workspaces `user_id` belongs to, by name.
    async fn list_workspaces_for_user(&self, user_id: Uuid) -> StoreResult<Vec<MemberWorkspace>>;
    /// Workspace `id`, whoever asks (for rules the workspace sets, such as its run limit).
    async fn find_workspace(&self, id: Uuid) -> StoreResult<Option<WorkspaceRecord>>;
    /// Workspace `id` as member `user_id` sees it; `None` when they are not a member.
    async fn find_member_workspace(&self, id: Uuid, user_id: Uuid) -> StoreResult<Option<MemberWorkspace>>;
    async fn update_workspace(&self, id: Uuid, settings: &WorkspaceSettings, at: DateTime<Utc>) -> StoreResult<()>;
    /// Deletes a workspace with its questions, interviews, invites and memberships; returns the
    /// ids of the interviews deleted (their sockets must close).
    async fn delete_workspace(&self, id: Uuid) -> StoreResult<Vec<Uuid>>;

    async fn list_members(&self, workspace_id: Uuid) -> StoreResult<Vec<MemberRecord>>;
    async fn find_member(&self, workspace_id: Uuid, user_id: Uuid) -> StoreResult<Option<MemberRecord>>;
    /// Changes a member's role. `Conflict("owner")` when it would leave the workspace without one.
    async fn set_member_role(&self, workspace_id: Uuid, user_id: Uuid, role: WorkspaceRole) -> StoreResult<()>;
    /// Removes a member: their places in the workspace's interviews go (the interviews they
    /// host pass to `heir`, whose own place there is replaced by the host's). Returns every
    /// place taken away. `Conflict("owner")` when no owner would be left.
    async fn remove_member(&self, workspace_id: Uuid, user_id: Uuid, heir: Uuid) -> StoreResult<Vec<RevokedPlace>>;

    /// Stores an invite, replacing a pending one for the same address in the same workspace.
    async fn create_invite(&self, new: &NewInvite) -> StoreResult<InviteRecord>;
    /// The workspace's invites neither accepted nor expired at `now`.
    async fn list_pending_invites(&self, workspace_id: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<InviteRecord>>;
    /// Deletes a pending invite; false when the workspace has no such invite.
    async fn delete_invite(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;
    async fn find_invite_by_token(&self, token_hash: &str) -> StoreResult<Option<InviteRecord>>;
    /// Makes `user_id` a member through invite `id`, once and only before it expires:
    /// `Conflict("invite")` when it was used or has expired, `Conflict("membership")` when
    /// they already are a member (the invite then stays unused).
    async fn accept_invite(&self, id: Uuid, user_id: Uuid, now: DateTime<Utc>) -> StoreResult<()>;
}

impl WorkspaceRecord {
    pub fn rubric(&self) -> StoreResult<Vec<RubricCriterion>> {
        Ok(serde_json::from_str(&self.default_rubric)
            .with_context(|| format!("decoding workspace {}'s rubric", self.id))?)
    }
}

/// The columns of a `WorkspaceRecord`, of the table aliased `w`.
pub(super) const WORKSPACE_COLUMNS: &str = "w.id, w.name, w.default_language, w.default_duration_minutes, \
     w.default_rubric, w.runs_per_day, w.created_at, w.updated_at";

/// What a member sees besides the workspace's columns: their role and the member count.
pub(super) const MEMBER_WORKSPACE_FROM: &str = "m.role AS my_role, \
     (SELECT COUNT(*) FROM workspace_members c WHERE c.workspace_id = w.id) AS member_count \
     FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id";

pub(super) const MEMBER_SELECT: &str = "SELECT m.user_id, u.name, u.email, m.role, m.created_at AS joined_at \
     FROM workspace_members m JOIN users u ON u.id = m.user_id";

pub(super) const INVITE_SELECT: &str = "SELECT v.id, v.workspace_id, w.name AS workspace_name, v.email, v.role, \
     u.name AS invited_by, v.created_at, v.expires_at, v.accepted_at \
     FROM workspace_invites v JOIN workspaces w ON w.id = v.workspace_id LEFT JOIN users u ON u.id = v.invited_by";

/// How many owners (`$2`: the role owner) workspace `$1` has (a change leaving none is rolled
/// back: `commit_if_owned`).
pub(super) const COUNT_OWNERS: &str = "SELECT COUNT(*) FROM workspace_members WHERE workspace_id = $1 AND role = $2";

/// The interviews of workspace `$1`.
pub(super) const IN_WORKSPACE: &str = "interview_id IN (SELECT id FROM interviews WHERE workspace_id = $1)";

macro_rules! impl_workspace_store {
    ($store:ty) => {
        impl $store {
            /// Commits a change to workspace `id`'s members unless it left the workspace
            /// without an owner: then `Conflict("owner")`, and the change is rolled back.
            async fn commit_if_owned(
                mut tx: sqlx::Transaction<'_, <$store as $crate::db::Backend>::Database>,
                id: uuid::Uuid,
            ) -> $crate::db::StoreResult<()> {
                let owners: i64 =
                    sqlx::query_scalar($crate::db::workspaces::COUNT_OWNERS)
                        .bind(id)
                        .bind($crate::domain::WorkspaceRole::Owner.as_str())
                        .fetch_one(&mut *tx)
                        .await?;
                if owners == 0 {
                    return Err($crate::db::StoreError::Conflict("owner"));
                }
                tx.commit().await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::db::WorkspaceStore for $store {
            async fn create_workspace(&self, new: &$crate::db::NewWorkspace) -> $crate::db::StoreResult<()> {
                use $crate::db::questions::encode_json;
                let s = &new.settings;
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO workspaces (id, name, default_language, default_duration_minutes, default_rubric, \
                     runs_per_day, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(new.id)
                .bind(&s.name)
                .bind(s.default_language.as_str())
                .bind(s.default_duration_minutes)
                .bind(encode_json(&s.default_rubric)?)
                .bind(s.runs_per_day)
                .bind(new.created_at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO workspace_members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $4, $3)",
                )
                .bind(new.id)
                .bind(new.owner)
                .bind(new.created_at)
                .bind($crate::domain::WorkspaceRole::Owner.as_str())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn list_workspaces_for_user(
                &self,
                user_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::MemberWorkspace>> {
                let sql = format!(
                    "SELECT {}, {} WHERE m.user_id = $1 ORDER BY lower(w.name), w.id",
                    $crate::db::workspaces::WORKSPACE_COLUMNS,
                    $crate::db::workspaces::MEMBER_WORKSPACE_FROM
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(&self.pool).await?)
            }

            async fn find_workspace(
                &self,
                id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::WorkspaceRecord>> {
                let sql = format!(
                    "SELECT {} FROM workspaces w WHERE w.id = $1",
                    $crate::db::workspaces::WORKSPACE_COLUMNS
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn find_member_workspace(
                &self,
                id: uuid::Uuid,
                user_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::MemberWorkspace>> {
                let sql = format!(
                    "SELECT {}, {} WHERE w.id = $1 AND m.user_id = $2",
                    $crate::db::workspaces::WORKSPACE_COLUMNS,
                    $crate::db::workspaces::MEMBER_WORKSPACE_FROM
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(user_id).fetch_optional(&self.pool).await?)
            }

            async fn update_workspace(
                &self,
                id: uuid::Uuid,
                s: &$crate::db::WorkspaceSettings,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                use $crate::db::questions::encode_json;
                let done = sqlx::query(
                    "UPDATE workspaces SET name = $1, default_language = $2, default_duration_minutes = $3, \
                     default_rubric = $4, runs_per_day = $5, updated_at = $6 WHERE id = $7",
                )
                .bind(&s.name)
                .bind(s.default_language.as_str())
                .bind(s.default_duration_minutes)
                .bind(encode_json(&s.default_rubric)?)
                .bind(s.runs_per_day)
                .bind(at)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("workspace"));
                }
                Ok(())
            }

            async fn delete_workspace(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                let mut tx = self.pool.begin().await?;
                let interviews: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM interviews WHERE workspace_id = $1")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                // Candidates' sessions name a participant, not a foreign key.
                sqlx::query(
                    "DELETE FROM sessions WHERE participant_id IN (SELECT p.id FROM participants p \
                     JOIN interviews i ON i.id = p.interview_id WHERE i.workspace_id = $1)",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // An interview of another workspace may use one of these questions (only data from
                // before workspaces can): it loses it, as the questions are deleted with their team.
                sqlx::query(
                    "DELETE FROM interview_questions WHERE question_id IN (SELECT id FROM questions WHERE workspace_id = $1)",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // Interviews, questions, members and invites go with the workspace (ON DELETE CASCADE).
                let done = sqlx::query("DELETE FROM workspaces WHERE id = $1").bind(id).execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("workspace"));
                }
                tx.commit().await?;
                Ok(interviews)
            }

            async fn list_members(
                &self,
                workspace_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::MemberRecord>> {
                let sql = format!(
                    "{} WHERE m.workspace_id = $1 ORDER BY lower(u.name), u.id",
                    $crate::db::workspaces::MEMBER_SELECT
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(workspace_id).fetch_all(&self.pool).await?)
            }

            async fn find_member(
                &self,
                workspace_id: uuid::Uuid,
                user_id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::MemberRecord>> {
                let sql =
                    format!("{} WHERE m.workspace_id = $1 AND m.user_id = $2", $crate::db::workspaces::MEMBER_SELECT);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(workspace_id)
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn set_member_role(
                &self,
                workspace_id: uuid::Uuid,
                user_id: uuid::Uuid,
                role: $crate::domain::WorkspaceRole,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query("UPDATE workspace_members SET role = $1 WHERE workspace_id = $2 AND user_id = $3")
                    .bind(role.as_str())
                    .bind(workspace_id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("member"));
                }
                Self::commit_if_owned(tx, workspace_id).await?;
                Ok(())
            }

            async fn remove_member(
                &self,
                workspace_id: uuid::Uuid,
                user_id: uuid::Uuid,
                heir: uuid::Uuid,
            ) -> $crate::db::StoreResult<Vec<$crate::db::RevokedPlace>> {
                let in_workspace = $crate::db::workspaces::IN_WORKSPACE;
                let host = $crate::domain::Role::Host.as_str();
                let hosted = format!(
                    "{in_workspace} AND interview_id IN (SELECT interview_id FROM participants WHERE user_id = $2 AND role = $4)"
                );
                let mut tx = self.pool.begin().await?;
                // Every place of the leaver, and the heir's places where the leaver hosts (the
                // heir takes the host's place instead).
                let mut revoked: Vec<$crate::db::RevokedPlace> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT interview_id, id AS participant_id FROM participants WHERE user_id = $2 AND {in_workspace}"
                )))
                .bind(workspace_id)
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await?;
                let heirs_places: Vec<$crate::db::RevokedPlace> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT interview_id, id AS participant_id FROM participants WHERE user_id = $3 AND {hosted}"
                )))
                .bind(workspace_id)
                .bind(user_id)
                .bind(heir)
                .bind(host)
                .fetch_all(&mut *tx)
                .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM participants WHERE user_id = $3 AND {hosted}")))
                    .bind(workspace_id)
                    .bind(user_id)
                    .bind(heir)
                    .bind(host)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE participants SET user_id = $3, name = (SELECT name FROM users WHERE id = $3), \
                     email = (SELECT email FROM users WHERE id = $3) \
                     WHERE user_id = $2 AND role = $4 AND {in_workspace}"
                )))
                .bind(workspace_id)
                .bind(user_id)
                .bind(heir)
                .bind(host)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE interviews SET created_by = $3 WHERE workspace_id = $1 AND created_by = $2")
                    .bind(workspace_id)
                    .bind(user_id)
                    .bind(heir)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM participants WHERE user_id = $2 AND {in_workspace}")))
                    .bind(workspace_id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                let done = sqlx::query("DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2")
                    .bind(workspace_id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::NotFound("member"));
                }
                Self::commit_if_owned(tx, workspace_id).await?;
                revoked.extend(heirs_places);
                Ok(revoked)
            }

            async fn create_invite(&self, new: &$crate::db::NewInvite) -> $crate::db::StoreResult<$crate::db::InviteRecord> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "DELETE FROM workspace_invites WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL",
                )
                .bind(new.workspace_id)
                .bind(&new.email)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO workspace_invites (id, workspace_id, email, role, token_hash, invited_by, created_at, \
                     expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(new.id)
                .bind(new.workspace_id)
                .bind(&new.email)
                .bind(new.role.as_str())
                .bind(&new.token_hash)
                .bind(new.invited_by)
                .bind(new.created_at)
                .bind(new.expires_at)
                .execute(&mut *tx)
                .await?;
                let sql = format!("{} WHERE v.id = $1", $crate::db::workspaces::INVITE_SELECT);
                let invite = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(new.id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                Ok(invite)
            }

            async fn list_pending_invites(
                &self,
                workspace_id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<$crate::db::InviteRecord>> {
                let sql = format!(
                    "{} WHERE v.workspace_id = $1 AND v.accepted_at IS NULL AND v.expires_at > $2 \
                     ORDER BY v.created_at DESC, v.id",
                    $crate::db::workspaces::INVITE_SELECT
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(workspace_id).bind(now).fetch_all(&self.pool).await?)
            }

            async fn delete_invite(&self, workspace_id: uuid::Uuid, id: uuid::Uuid) -> $crate::db::StoreResult<bool> {
                let done = sqlx::query(
                    "DELETE FROM workspace_invites WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL",
                )
                .bind(workspace_id)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn find_invite_by_token(
                &self,
                token_hash: &str,
            ) -> $crate::db::StoreResult<Option<$crate::db::InviteRecord>> {
                let sql = format!("{} WHERE v.token_hash = $1", $crate::db::workspaces::INVITE_SELECT);
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.pool).await?)
            }

            async fn accept_invite(
                &self,
                id: uuid::Uuid,
                user_id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE workspace_invites SET accepted_at = $3, accepted_by = $2 \
                     WHERE id = $1 AND accepted_at IS NULL AND expires_at > $3",
                )
                .bind(id)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::db::StoreError::Conflict("invite"));
                }
                sqlx::query(
                    "INSERT INTO workspace_members (workspace_id, user_id, role, created_at) \
                     SELECT workspace_id, $2, role, $3 FROM workspace_invites WHERE id = $1",
                )
                .bind(id)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err($crate::db::conflict_on_unique("membership"))?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_workspace_store;
