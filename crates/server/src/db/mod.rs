//! Storage: the `Store` every handler talks to, its records, and the choice of backend from
//! the database URL (SQLite by default, PostgreSQL for production).
//!
//! `Store` is the sum of one trait per feature (`AccountStore`, `QuestionStore`,
//! `InterviewStore`, `DocumentStore`, `HistoryStore`, `RunStore`, `QuotaStore`, `WorkspaceStore`, `ScorecardStore`,
//! `EventStore`). Each trait has a single implementation written as a macro and expanded
//! for both backends' pool types: the SQL is written once in the dialect both databases accept
//! (`$N` placeholders, `RETURNING`, `ON CONFLICT`), while each backend keeps its own
//! connection setup and its own migrations folder. The one exception is the document log's
//! writer (`DocLogWriter`), the hottest write, written per backend.

mod accounts;
mod documents;
mod events;
mod history;
mod interviews;
mod models;
mod postgres;
mod postgres_log;
mod questions;
mod quotas;
mod runs;
mod scorecards;
mod sqlite;
mod sqlite_log;
mod workspaces;

use std::sync::Arc;

pub use accounts::AccountStore;
pub use documents::{DocAppend, DocLogWriter, DocSnapshot, DocumentStore, HistoryBlock, StoredDocument, StoredUpdate};
pub use events::{AppendRule, Appended, EventStore, InterviewEvent};
pub use history::{HistoryStore, StoredHistory};
pub use interviews::{AutoEndCandidate, InterviewStore};
pub use models::*;
pub use postgres::PostgresStore;
pub use questions::QuestionStore;
pub use quotas::QuotaStore;
pub use runs::{
    BudgetExceeded, CancelOutcome, HistoryCursor, NewRun, RunBudget, RunRecord, RunStore, RunSummaryRecord,
};
pub use scorecards::{NewDraft, Scorecard, ScorecardStore, StoredRubric};
pub use sqlite::SqliteStore;
pub use workspaces::WorkspaceStore;

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
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A live document's write refused because another instance has taken the document since
/// (`DocumentStore::take_doc_lease`).
pub(crate) fn fenced_out(interview_id: uuid::Uuid, doc: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!("fenced out: another instance took document {doc} of interview {interview_id}"))
}

/// Everything the server persists.
pub trait Store:
    AccountStore
    + QuestionStore
    + InterviewStore
    + DocumentStore
    + HistoryStore
    + RunStore
    + QuotaStore
    + WorkspaceStore
    + ScorecardStore
    + EventStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: AccountStore
        + QuestionStore
        + InterviewStore
        + DocumentStore
        + HistoryStore
        + RunStore
        + QuotaStore
        + WorkspaceStore
        + ScorecardStore
        + EventStore
        + Send
        + Sync
        + 'static
{
}

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

/// Maps a unique-constraint violation to `Conflict(what)`, any other error to `Database`.
pub(crate) fn conflict_on_unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Database(err),
    }
}

/// Expands every feature's store implementation for one backend.
macro_rules! impl_all_stores {
    ($store:ty, $backend:literal) => {
        $crate::db::accounts::impl_account_store!($store, $backend);
        $crate::db::questions::impl_question_store!($store);
        $crate::db::interviews::impl_interview_store!($store);
        $crate::db::documents::impl_document_store!($store, $backend);
        $crate::db::history::impl_history_store!($store, $backend);
        $crate::db::runs::impl_run_store!($store, $backend);
        $crate::db::quotas::impl_quota_store!($store);
        $crate::db::workspaces::impl_workspace_store!($store);
        $crate::db::scorecards::impl_scorecard_store!($store);
        $crate::db::events::impl_event_store!($store, $backend);
    };
}
pub(crate) use impl_all_stores;

/// Names the sqlx database type of a backend, for code generic over transactions.
pub trait Backend {
    type Database: sqlx::Database;
}

impl Backend for SqliteStore {
    type Database = sqlx::Sqlite;
}

impl Backend for PostgresStore {
    type Database = sqlx::Postgres;
}
