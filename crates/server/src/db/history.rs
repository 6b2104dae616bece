//! The documents' history in the store: the `HistoryStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_history_store!`.
//!
//! Every accepted update of a document is kept for the interview's lifetime. Entries leave the
//! hot log for `doc_history` when their live document seals them, in compressed blocks that the
//! update log's writer stores in a snapshot's own transaction (`log_sql::STORE_HISTORY_BLOCK`,
//! `crate::history::uncovered`); the entries after the newest block are still in `doc_updates`
//! / `doc_journal`. The
//! blocks' format is `crate::history::block`'s; here they are opaque bytes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use super::documents::{HistoryBlock, StoredUpdate};

/// A document's whole history as stored: its blocks (by `from_seq`) and the log entries no
/// block holds yet (by `seq`; some may also be in a block: the journal keeps covered entries a
/// few seconds).
#[derive(Debug, Default)]
pub struct StoredHistory {
    pub blocks: Vec<HistoryBlock>,
    pub tail: Vec<StoredUpdate>,
}

#[async_trait]
pub trait HistoryStore {
    /// The document's blocks and its log entries that hold entries after `after_seq` (0: all),
    /// read in one snapshot.
    async fn load_history(&self, interview_id: Uuid, doc: &str, after_seq: i64) -> StoreResult<StoredHistory>;
    /// Replaces the blocks starting at `replaced` (their `from_seq`) with `merged`, in one
    /// transaction; false (and nothing changed) when one of them is gone already (another
    /// repack got there first).
    async fn replace_history_blocks(
        &self,
        interview_id: Uuid,
        doc: &str,
        replaced: &[i64],
        merged: &HistoryBlock,
    ) -> StoreResult<bool>;
    /// Deletes the history blocks of the interviews that ended before `ended_before`; how many.
    async fn purge_history(&self, ended_before: DateTime<Utc>) -> StoreResult<u64>;
}

macro_rules! impl_history_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::HistoryStore for $store {
            async fn load_history(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
                after_seq: i64,
            ) -> $crate::db::StoreResult<$crate::db::StoredHistory> {
                let mut tx = self.pool.begin().await?;
                if $backend == "postgres" {
                    // One snapshot for both reads, so a compaction between them cannot hide
                    // entries (SQLite's read transactions are snapshots already).
                    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
                }
                type BlockRow =
                    (i64, i64, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>, i64, i64, Vec<u8>);
                let blocks: Vec<BlockRow> = sqlx::query_as(
                    "SELECT from_seq, to_seq, first_at, last_at, entries, bytes, data FROM doc_history \
                     WHERE interview_id = $1 AND doc = $2 AND to_seq > $3 ORDER BY from_seq",
                )
                .bind(interview_id)
                .bind(doc)
                .bind(after_seq)
                .fetch_all(&mut *tx)
                .await?;
                let tail: Vec<$crate::db::documents::LogRow> = sqlx::query_as($crate::db::documents::log_sql::READ_LOG)
                    .bind(interview_id)
                    .bind(doc)
                    .bind(after_seq)
                    .fetch_all(&mut *tx)
                    .await?;
                let tail = tail.into_iter().map($crate::db::documents::stored_update).collect();
                tx.commit().await?;
                let blocks = blocks
                    .into_iter()
                    .map(|(from_seq, to_seq, first_at, last_at, entries, bytes, data)| $crate::db::HistoryBlock {
                        from_seq,
                        to_seq,
                        first_at,
                        last_at,
                        entries,
                        bytes,
                        data,
                    })
                    .collect();
                Ok($crate::db::StoredHistory { blocks, tail })
            }

            async fn replace_history_blocks(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
                replaced: &[i64],
                merged: &$crate::db::HistoryBlock,
            ) -> $crate::db::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let mut deleted = 0;
                for from_seq in replaced {
                    deleted +=
                        sqlx::query("DELETE FROM doc_history WHERE interview_id = $1 AND doc = $2 AND from_seq = $3")
                            .bind(interview_id)
                            .bind(doc)
                            .bind(from_seq)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                }
                if deleted != replaced.len() as u64 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query($crate::db::documents::log_sql::STORE_HISTORY_BLOCK)
                    .bind(interview_id)
                    .bind(doc)
                    .bind(merged.from_seq)
                    .bind(merged.to_seq)
                    .bind(merged.first_at)
                    .bind(merged.last_at)
                    .bind(merged.entries)
                    .bind(merged.bytes)
                    .bind(&merged.data)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn purge_history(&self, ended_before: chrono::DateTime<chrono::Utc>) -> $crate::db::StoreResult<u64> {
                let done = sqlx::query(
                    "DELETE FROM doc_history WHERE interview_id IN \
                     (SELECT id FROM interviews WHERE status = 'ended' AND ended_at < $1)",
                )
                .bind(ended_before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use impl_history_store;
