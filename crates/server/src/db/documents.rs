//! Collaborative documents in the store: the `DocumentStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_document_store!`.
//!
//! A document is its latest snapshot (a full-state yrs update) plus the updates appended
//! after it. Appending happens before an update is relayed to other clients, so whatever a
//! peer has seen survives a crash; compaction replaces the snapshot and deletes the log
//! entries it covers, in one transaction. Log entries are numbered per document by the room
//! that appends them (one live room per document and process), and the log is keyed
//! `(interview_id, doc, seq)`: a document's entries sit together, so appending writes one
//! page and compacting deletes a contiguous run.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreResult;

/// A document as stored: the snapshot and the log after it, oldest first.
#[derive(Debug, Default)]
pub struct StoredDocument {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<Vec<u8>>,
    /// Sequence number of the newest log entry (0 when the log is empty).
    pub last_seq: i64,
}

/// Updates to append to one document's log, numbered `after_seq + 1`, `after_seq + 2`, ….
#[derive(Debug, Clone, Copy)]
pub struct DocAppend<'a> {
    pub interview_id: Uuid,
    pub doc: &'a str,
    /// The document's newest sequence number before these updates.
    pub after_seq: i64,
    pub updates: &'a [bytes::Bytes],
}

#[async_trait]
pub trait DocumentStore {
    async fn load_document(&self, interview_id: Uuid, doc: &str) -> StoreResult<StoredDocument>;
    /// Moves the log's recent writes into the main database file, off the commit path
    /// (SQLite's WAL checkpoint; nothing to do on PostgreSQL).
    async fn checkpoint_log(&self) -> StoreResult<()>;
    /// The writer of the document log, for the update log's thread (one per process).
    fn open_log_writer(&self) -> anyhow::Result<Box<dyn DocLogWriter>>;
}

/// Writes the document log with blocking calls, from a thread of its own. The one place whose
/// SQL is written per backend: on SQLite it is the hottest path of the server (a prepared
/// statement on a dedicated connection, no async hops).
pub trait DocLogWriter: Send {
    /// Appends the updates of several documents atomically (group commit).
    fn append(&mut self, batch: &[DocAppend<'_>]) -> StoreResult<()>;
    /// Stores `snapshot` and deletes the log entries up to `up_to_seq`, which it covers.
    fn compact(&mut self, interview_id: Uuid, doc: &str, snapshot: &[u8], up_to_seq: i64) -> StoreResult<()>;
}

macro_rules! impl_document_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::DocumentStore for $store {
            async fn load_document(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
            ) -> $crate::db::StoreResult<$crate::db::StoredDocument> {
                let mut tx = self.pool.begin().await?;
                let snapshot: Option<Vec<u8>> =
                    sqlx::query_scalar("SELECT data FROM doc_snapshots WHERE interview_id = $1 AND doc = $2")
                        .bind(interview_id)
                        .bind(doc)
                        .fetch_optional(&mut *tx)
                        .await?;
                let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT seq, data FROM doc_updates WHERE interview_id = $1 AND doc = $2 ORDER BY seq",
                )
                .bind(interview_id)
                .bind(doc)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let last_seq = rows.last().map(|(seq, _)| *seq).unwrap_or(0);
                Ok($crate::db::StoredDocument {
                    snapshot,
                    updates: rows.into_iter().map(|(_, data)| data).collect(),
                    last_seq,
                })
            }

            async fn checkpoint_log(&self) -> $crate::db::StoreResult<()> {
                if $backend == "sqlite" {
                    // PASSIVE: copies what it can without waiting for (or blocking) writers.
                    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&self.pool).await?;
                }
                Ok(())
            }

            fn open_log_writer(&self) -> anyhow::Result<Box<dyn $crate::db::DocLogWriter>> {
                self.log_writer()
            }
        }
    };
}

pub(crate) use impl_document_store;
