//! Storage: the `Store` trait every handler talks to, its records, and the choice of backend
//! from the database URL (SQLite by default, PostgreSQL for production).
//!
//! Both backends share one implementation of the trait (`sql.rs`): the SQL is written once in
//! the common dialect (`$N` placeholders, `RETURNING`, `ON CONFLICT`), while each backend keeps
//! its own connection setup and its own migrations folder.

mod models;
mod postgres;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use models::*;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule was broken; the text names the thing that already exists.
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Opens the store named by `url` and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        anyhow::bail!("unsupported database URL: expected sqlite:… or postgres://…")
    }
}

/// Everything the server persists. Methods are grouped by feature.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// A round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    // accounts
    async fn create_user(&self, new: &NewUser) -> StoreResult<User>;
    async fn find_user(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<UserCredentials>>;

    // sessions and tokens
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The unexpired session whose id hashes to `id_hash`.
    async fn find_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    async fn create_api_token(&self, token: &NewApiToken) -> StoreResult<ApiToken>;
    async fn find_user_by_token(&self, token_hash: &str) -> StoreResult<Option<User>>;

    // interview participants
    async fn find_participant(&self, id: Uuid) -> StoreResult<Option<ParticipantRecord>>;
}
