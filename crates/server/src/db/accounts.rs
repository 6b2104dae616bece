//! Accounts, sessions and API tokens in the store: the `AccountStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_account_store!`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    ApiToken, NewApiToken, NewSession, NewUser, ParticipantRecord, SessionRecord, StoreResult, User, UserCredentials,
};

#[async_trait]
pub trait AccountStore {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// A round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    async fn create_user(&self, new: &NewUser) -> StoreResult<User>;
    async fn find_user(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<UserCredentials>>;

    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The unexpired session whose id hashes to `id_hash`.
    async fn find_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    async fn create_api_token(&self, token: &NewApiToken) -> StoreResult<ApiToken>;
    async fn find_user_by_token(&self, token_hash: &str) -> StoreResult<Option<User>>;

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

            async fn create_session(&self, s: &$crate::db::NewSession) -> $crate::db::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO sessions (id_hash, user_id, participant_id, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&s.id_hash)
                .bind(s.user_id)
                .bind(s.participant_id)
                .bind(s.created_at)
                .bind(s.expires_at)
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
                    "SELECT id_hash, user_id, participant_id, expires_at FROM sessions \
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

            async fn create_api_token(
                &self,
                t: &$crate::db::NewApiToken,
            ) -> $crate::db::StoreResult<$crate::db::ApiToken> {
                Ok(sqlx::query_as(
                    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id, name, created_at",
                )
                .bind(t.id)
                .bind(t.user_id)
                .bind(&t.name)
                .bind(&t.token_hash)
                .bind(t.created_at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn find_user_by_token(&self, token_hash: &str) -> $crate::db::StoreResult<Option<$crate::db::User>> {
                Ok(sqlx::query_as(
                    "SELECT u.id, u.email, u.name, u.created_at FROM api_tokens t \
                     JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?)
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
