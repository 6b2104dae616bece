//! Accounts, sessions and API tokens in the store: the `AccountStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_account_store!`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    ApiToken, NewApiToken, NewSession, NewUser, ParticipantRecord, SessionRecord, StoreResult, TokenOwner, User,
    UserCredentials,
};

/// Most values bound in one `IN (…)` list; longer lists are asked in chunks (both backends
/// cap the parameters of a statement).
pub(crate) const MAX_IN_LIST: usize = 500;

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN (…)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

#[async_trait]
pub trait AccountStore {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// A round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    async fn create_user(&self, new: &NewUser) -> StoreResult<User>;
    /// Whether any account exists (the first one may register whatever the policy).
    async fn any_user_exists(&self) -> StoreResult<bool>;
    async fn find_user(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<UserCredentials>>;
    /// Renames the account; `None` when it does not exist.
    async fn set_user_name(&self, id: Uuid, name: &str) -> StoreResult<Option<User>>;
    /// Replaces the account's password hash.
    async fn set_password_hash(&self, id: Uuid, password_hash: &str) -> StoreResult<()>;

    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The unexpired session whose id hashes to `id_hash`.
    async fn find_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    /// The account's unexpired sessions, oldest first.
    async fn list_user_sessions(&self, user_id: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<SessionRecord>>;
    /// Deletes the account's session `id`; the hash it was looked up by, if it existed.
    async fn delete_user_session(&self, user_id: Uuid, id: Uuid) -> StoreResult<Option<String>>;
    /// Deletes every session of the account but `keep` (all of them when `None`); the hashes
    /// they were looked up by.
    async fn delete_user_sessions_except(&self, user_id: Uuid, keep: Option<Uuid>) -> StoreResult<Vec<String>>;
    /// Of `id_hashes`, those whose sessions still exist and have not expired.
    async fn live_sessions(&self, id_hashes: &[String], now: DateTime<Utc>) -> StoreResult<Vec<String>>;

    async fn create_api_token(&self, token: &NewApiToken) -> StoreResult<ApiToken>;
    /// The owner of the unexpired token whose secret hashes to `token_hash`.
    async fn find_token_owner(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<TokenOwner>>;
    async fn touch_api_token(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records that the session stored under `id_hash` was used at `at`.
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// The account's tokens (expired ones too, until deleted), oldest first.
    async fn list_api_tokens(&self, user_id: Uuid) -> StoreResult<Vec<ApiToken>>;
    /// Deletes the account's token `id`; false when it has none by that id.
    async fn delete_api_token(&self, user_id: Uuid, id: Uuid) -> StoreResult<bool>;
    /// Deletes every token of the account; their ids.
    async fn delete_user_api_tokens(&self, user_id: Uuid) -> StoreResult<Vec<Uuid>>;
    /// Of `ids`, the tokens that still exist and have not expired.
    async fn live_api_tokens(&self, ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<Vec<Uuid>>;

    /// A participant by id (candidate sessions point at one).
    async fn find_participant(&self, id: Uuid) -> StoreResult<Option<ParticipantRecord>>;
}

macro_rules! impl_account_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::AccountStore for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> $crate::db::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn create_user(&self, new: &$crate::db::NewUser) -> $crate::db::StoreResult<$crate::db::User> {
                let user = sqlx::query_as(
                    "INSERT INTO users (id, email, name, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id, email, name, created_at",
                )
                .bind(new.id)
                .bind(&new.email)
                .bind(&new.name)
                .bind(&new.password_hash)
                .bind(new.created_at)
                .fetch_one(&self.pool)
                .await
                .map_err($crate::db::conflict_on_unique("an account with this email"))?;
                Ok(user)
            }

            async fn any_user_exists(&self) -> $crate::db::StoreResult<bool> {
                let any: Option<uuid::Uuid> =
                    sqlx::query_scalar("SELECT id FROM users LIMIT 1").fetch_optional(&self.pool).await?;
                Ok(any.is_some())
            }

            async fn find_user(&self, id: uuid::Uuid) -> $crate::db::StoreResult<Option<$crate::db::User>> {
                Ok(sqlx::query_as("SELECT id, email, name, created_at FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn find_user_by_email(
                &self,
                email: &str,
            ) -> $crate::db::StoreResult<Option<$crate::db::UserCredentials>> {
                Ok(sqlx::query_as("SELECT id, email, name, created_at, password_hash FROM users WHERE email = $1")
                    .bind(email)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn set_user_name(
                &self,
                id: uuid::Uuid,
                name: &str,
            ) -> $crate::db::StoreResult<Option<$crate::db::User>> {
                Ok(sqlx::query_as("UPDATE users SET name = $1 WHERE id = $2 RETURNING id, email, name, created_at")
                    .bind(name)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn set_password_hash(&self, id: uuid::Uuid, password_hash: &str) -> $crate::db::StoreResult<()> {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn create_session(&self, s: &$crate::db::NewSession) -> $crate::db::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO sessions (id, id_hash, user_id, participant_id, created_at, expires_at, user_agent) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(s.id)
                .bind(&s.id_hash)
                .bind(s.user_id)
                .bind(s.participant_id)
                .bind(s.created_at)
                .bind(s.expires_at)
                .bind(&s.user_agent)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn find_session(
                &self,
                id_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<$crate::db::SessionRecord>> {
                Ok(sqlx::query_as(
                    "SELECT id, id_hash, user_id, participant_id, created_at, expires_at, user_agent, last_used_at FROM sessions \
                     WHERE id_hash = $1 AND expires_at > $2",
                )
                .bind(id_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn delete_session(&self, id_hash: &str) -> $crate::db::StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_expired_sessions(
                &self,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<u64> {
                let done =
                    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
                Ok(done.rows_affected())
            }

            async fn list_user_sessions(
                &self,
                user_id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<$crate::db::SessionRecord>> {
                Ok(sqlx::query_as(
                    "SELECT id, id_hash, user_id, participant_id, created_at, expires_at, user_agent, last_used_at FROM sessions \
                     WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, id_hash",
                )
                .bind(user_id)
                .bind(now)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn delete_user_session(
                &self,
                user_id: uuid::Uuid,
                id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<String>> {
                Ok(sqlx::query_scalar("DELETE FROM sessions WHERE user_id = $1 AND id = $2 RETURNING id_hash")
                    .bind(user_id)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn delete_user_sessions_except(
                &self,
                user_id: uuid::Uuid,
                keep: Option<uuid::Uuid>,
            ) -> $crate::db::StoreResult<Vec<String>> {
                // Session ids are v7 UUIDs, never nil: `nil` keeps nothing.
                Ok(sqlx::query_scalar("DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id_hash")
                    .bind(user_id)
                    .bind(keep.unwrap_or(uuid::Uuid::nil()))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn live_sessions(
                &self,
                id_hashes: &[String],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<String>> {
                let mut live = Vec::new();
                for chunk in id_hashes.chunks($crate::db::accounts::MAX_IN_LIST) {
                    let sql = format!(
                        "SELECT id_hash FROM sessions WHERE expires_at > $1 AND id_hash IN ({})",
                        $crate::db::accounts::placeholders(2, chunk.len())
                    );
                    let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(now);
                    for hash in chunk {
                        query = query.bind(hash);
                    }
                    live.extend(query.fetch_all(&self.pool).await?);
                }
                Ok(live)
            }

            async fn create_api_token(
                &self,
                t: &$crate::db::NewApiToken,
            ) -> $crate::db::StoreResult<$crate::db::ApiToken> {
                Ok(sqlx::query_as(
                    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, name, created_at, expires_at, last_used_at",
                )
                .bind(t.id)
                .bind(t.user_id)
                .bind(&t.name)
                .bind(&t.token_hash)
                .bind(t.created_at)
                .bind(t.expires_at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn find_token_owner(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Option<$crate::db::TokenOwner>> {
                Ok(sqlx::query_as(
                    "SELECT u.id, u.email, u.name, u.created_at, t.id AS token_id, t.last_used_at FROM api_tokens t \
                     JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn touch_api_token(
                &self,
                id: uuid::Uuid,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<()> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn touch_session(&self, id_hash: &str, at: chrono::DateTime<chrono::Utc>) -> $crate::db::StoreResult<()> {
                sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id_hash = $2")
                    .bind(at)
                    .bind(id_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn list_api_tokens(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<Vec<$crate::db::ApiToken>> {
                Ok(sqlx::query_as(
                    "SELECT id, name, created_at, expires_at, last_used_at FROM api_tokens \
                     WHERE user_id = $1 ORDER BY created_at, id",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn delete_api_token(&self, user_id: uuid::Uuid, id: uuid::Uuid) -> $crate::db::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2")
                    .bind(user_id)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_user_api_tokens(&self, user_id: uuid::Uuid) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                Ok(sqlx::query_scalar("DELETE FROM api_tokens WHERE user_id = $1 RETURNING id")
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn live_api_tokens(
                &self,
                ids: &[uuid::Uuid],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::db::StoreResult<Vec<uuid::Uuid>> {
                let mut live = Vec::new();
                for chunk in ids.chunks($crate::db::accounts::MAX_IN_LIST) {
                    let sql = format!(
                        "SELECT id FROM api_tokens WHERE expires_at > $1 AND id IN ({})",
                        $crate::db::accounts::placeholders(2, chunk.len())
                    );
                    let mut query = sqlx::query_scalar::<_, uuid::Uuid>(sqlx::AssertSqlSafe(sql)).bind(now);
                    for id in chunk {
                        query = query.bind(id);
                    }
                    live.extend(query.fetch_all(&self.pool).await?);
                }
                Ok(live)
            }

            async fn find_participant(
                &self,
                id: uuid::Uuid,
            ) -> $crate::db::StoreResult<Option<$crate::db::ParticipantRecord>> {
                Ok(sqlx::query_as(
                    "SELECT id, interview_id, user_id, role, name, email, created_at FROM participants WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_account_store;
