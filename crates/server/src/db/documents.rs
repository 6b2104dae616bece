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

#[async_trait]
pub trait DocumentStore {
    async fn load_document(&self, interview_id: Uuid, doc: &str) -> StoreResult<StoredDocument>;
    /// Appends updates in one transaction; returns the sequence number of the last one.
    async fn append_document_updates(&self, interview_id: Uuid, doc: &str, updates: &[&[u8]]) -> StoreResult<i64>;
    /// Stores `snapshot` and deletes the log entries up to `up_to_seq`, which it covers.
    async fn compact_document(&self, interview_id: Uuid, doc: &str, snapshot: &[u8], up_to_seq: i64)
    -> StoreResult<()>;
}

macro_rules! impl_document_store {
    ($store:ty) => {
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
                interview_id: uuid::Uuid,
                doc: &str,
                updates: &[&[u8]],
            ) -> $crate::db::StoreResult<i64> {
                let now = chrono::Utc::now();
                let mut tx = self.pool.begin().await?;
                let mut last = 0;
                for update in updates {
                    last = sqlx::query_scalar(
                        "INSERT INTO doc_updates (interview_id, doc, data, created_at) VALUES ($1, $2, $3, $4) RETURNING seq",
                    )
                    .bind(interview_id)
                    .bind(doc)
                    .bind(*update)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(last)
            }

            async fn compact_document(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
                snapshot: &[u8],
                up_to_seq: i64,
            ) -> $crate::db::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
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
