//! Collaborative documents in the store: the `DocumentStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_document_store!`.
//!
//! A document is its latest snapshot (a full-state yrs update) plus the updates appended
//! after it. Appending happens before an update is relayed to other clients, so whatever a
//! peer has seen survives a crash; compaction replaces the snapshot and deletes the log
//! entries it covers, in one transaction.

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

/// Updates to append to one document's log.
#[derive(Debug, Clone, Copy)]
pub struct DocAppend<'a> {
    pub interview_id: Uuid,
    pub doc: &'a str,
    pub updates: &'a [bytes::Bytes],
}

/// Rows per `INSERT` statement (4 bound values each; well under both backends' limits).
pub(super) const APPEND_ROWS_PER_STATEMENT: usize = 1000;

#[async_trait]
pub trait DocumentStore {
    async fn load_document(&self, interview_id: Uuid, doc: &str) -> StoreResult<StoredDocument>;
    /// Appends the updates of several documents in one transaction (group commit); returns,
    /// for each entry of `batch` in order, the sequence number of its document's newest entry.
    async fn append_document_updates(&self, batch: &[DocAppend<'_>]) -> StoreResult<Vec<i64>>;
    /// Moves the log's recent writes into the main database file, off the commit path
    /// (SQLite's WAL checkpoint; nothing to do on PostgreSQL).
    async fn checkpoint_log(&self) -> StoreResult<()>;
    /// Stores `snapshot` and deletes the log entries up to `up_to_seq`, which it covers.
    async fn compact_document(&self, interview_id: Uuid, doc: &str, snapshot: &[u8], up_to_seq: i64)
    -> StoreResult<()>;
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
                let rows: Vec<(i64, Vec<u8>)> =
                    sqlx::query_as("SELECT seq, data FROM doc_updates WHERE interview_id = $1 AND doc = $2 ORDER BY seq")
                        .bind(interview_id)
                        .bind(doc)
                        .fetch_all(&mut *tx)
                        .await?;
                tx.commit().await?;
                let last_seq = rows.last().map(|(seq, _)| *seq).unwrap_or(0);
                Ok($crate::db::StoredDocument { snapshot, updates: rows.into_iter().map(|(_, data)| data).collect(), last_seq })
            }

            async fn append_document_updates(
                &self,
                batch: &[$crate::db::DocAppend<'_>],
            ) -> $crate::db::StoreResult<Vec<i64>> {
                let now = chrono::Utc::now();
                let rows: Vec<(uuid::Uuid, &str, &[u8])> = batch
                    .iter()
                    .flat_map(|entry| entry.updates.iter().map(move |u| (entry.interview_id, entry.doc, u.as_ref())))
                    .collect();
                let mut newest: std::collections::HashMap<(uuid::Uuid, String), i64> = std::collections::HashMap::new();
                let insert = |chunk: &[(uuid::Uuid, &str, &[u8])]| {
                    let mut insert = sqlx::QueryBuilder::new("INSERT INTO doc_updates (interview_id, doc, data, created_at) ");
                    insert.push_values(chunk, |mut row, (interview_id, doc, data)| {
                        row.push_bind(*interview_id).push_bind(*doc).push_bind(*data).push_bind(now);
                    });
                    // The order of RETURNING rows is unspecified: keep the highest per document.
                    insert.push(" RETURNING interview_id, doc, seq");
                    insert
                };
                let mut conn = self.log_writer().await?;
                let returned: Vec<(uuid::Uuid, String, i64)> = if rows.len() <= $crate::db::documents::APPEND_ROWS_PER_STATEMENT {
                    // One statement is atomic by itself: no BEGIN/COMMIT round trips.
                    insert(&rows).build_query_as().fetch_all(&mut *conn).await?
                } else {
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    let mut returned = Vec::with_capacity(rows.len());
                    for chunk in rows.chunks($crate::db::documents::APPEND_ROWS_PER_STATEMENT) {
                        returned.extend(insert(chunk).build_query_as::<(uuid::Uuid, String, i64)>().fetch_all(&mut *tx).await?);
                    }
                    tx.commit().await?;
                    returned
                };
                for (interview_id, doc, seq) in returned {
                    let newest = newest.entry((interview_id, doc)).or_insert(seq);
                    *newest = (*newest).max(seq);
                }
                Ok(batch
                    .iter()
                    .map(|entry| newest.get(&(entry.interview_id, entry.doc.to_owned())).copied().unwrap_or(0))
                    .collect())
            }

            async fn checkpoint_log(&self) -> $crate::db::StoreResult<()> {
                if $backend == "sqlite" {
                    // PASSIVE: copies what it can without waiting for (or blocking) writers.
                    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&self.pool).await?;
                }
                Ok(())
            }

            async fn compact_document(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
                snapshot: &[u8],
                up_to_seq: i64,
            ) -> $crate::db::StoreResult<()> {
                let mut conn = self.log_writer().await?;
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                sqlx::query(
                    "INSERT INTO doc_snapshots (interview_id, doc, data, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (interview_id, doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                )
                .bind(interview_id)
                .bind(doc)
                .bind(snapshot)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM doc_updates WHERE interview_id = $1 AND doc = $2 AND seq <= $3")
                    .bind(interview_id)
                    .bind(doc)
                    .bind(up_to_seq)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_document_store;
