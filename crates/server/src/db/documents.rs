//! Collaborative documents in the store: the `DocumentStore` trait and its one SQL
//! implementation, expanded for each backend by `impl_document_store!`.
//!
//! A document is its latest snapshot (a full-state yrs update, with the number of the newest
//! log entry it covers) plus the log entries after it. Appending happens before an update is
//! relayed to other clients, so whatever a peer has seen survives a crash. Entries are
//! numbered per document by the room that appends them (one live room per document and
//! process; the update log refuses a second writer of the same entry).
//!
//! The log has two tables. On SQLite new entries go to `doc_journal` in arrival order, so a
//! commit writes the journal's last page once however many documents it holds. Rooms then
//! snapshot every few seconds, and the journal is trimmed from its oldest end: entries a
//! snapshot covers are dropped, the rest (a room that stopped before it could snapshot, or
//! the whole journal after a crash) are moved into `doc_updates`, keyed by document. On
//! PostgreSQL entries go straight to `doc_updates` (see `DocLogWriter::keeps_journal`). A
//! load reads the snapshot, the document's `doc_updates` entries and its journal entries, in
//! one read snapshot.
//!
//! Nothing accepted is ever dropped: a snapshot is stored together with the history of the
//! entries it covers (`SnapshotHistory`: the open block in its own row, and the block it seals
//! into `doc_history`, if any), and only then are those entries deleted from the log (or
//! dropped from the journal). Each entry carries the time its live document accepted it and
//! its author, which the history keeps.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

/// A log entry as stored in `doc_updates` or `doc_journal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpdate {
    pub seq: i64,
    /// When the live document accepted it (server clock, millisecond precision).
    pub at: DateTime<Utc>,
    /// The participant whose connection sent it; `None` for changes the server made.
    pub author: Option<Uuid>,
    pub data: Vec<u8>,
}

/// One compressed block of a document's history: its entries `from_seq..=to_seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryBlock {
    pub from_seq: i64,
    pub to_seq: i64,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// Number of entries in the block.
    pub entries: i64,
    /// The update bytes it holds, before compression.
    pub bytes: i64,
    pub data: Vec<u8>,
}

/// A document as stored: the snapshot and the log after it, oldest first.
#[derive(Debug, Default)]
pub struct StoredDocument {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<StoredUpdate>,
    /// Sequence number of the newest log entry, in the log or covered by the snapshot (0 when
    /// the document has none).
    pub last_seq: i64,
    /// The update bytes of its sealed history blocks (the open block and the log not counted).
    pub history_bytes: i64,
    /// The snapshot's open history block (`SnapshotHistory::open`).
    pub open_history: Option<Vec<u8>>,
}

/// Updates to append to one document's log, numbered `after_seq + 1`, `after_seq + 2`, ….
#[derive(Debug, Clone, Copy)]
pub struct DocAppend<'a> {
    pub interview_id: Uuid,
    pub doc: &'a str,
    /// The document's newest sequence number before these updates.
    pub after_seq: i64,
    pub updates: &'a [bytes::Bytes],
    /// When the live document accepted them (millisecond precision).
    pub at: DateTime<Utc>,
    /// The participant whose connection sent them; `None` for changes the server made.
    pub author: Option<Uuid>,
}

/// What a snapshot stores of the history of the entries it covers
/// (`crate::history::uncovered`): every one of them is in a sealed block of `doc_history`
/// (stored earlier, or now as `sealed`) or in `open`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotHistory {
    /// The block of entries sealed now, for `doc_history`.
    pub sealed: Option<HistoryBlock>,
    /// The data of the block of the entries after the newest sealed one (the *open block*),
    /// kept in the snapshot's own row until they are sealed.
    pub open: Option<Vec<u8>>,
}

/// A document's new snapshot, covering its log entries up to `up_to_seq`, with their history.
#[derive(Debug, Clone, Copy)]
pub struct DocSnapshot<'a> {
    pub interview_id: Uuid,
    pub doc: &'a str,
    pub data: &'a [u8],
    pub up_to_seq: i64,
    pub history: &'a SnapshotHistory,
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
/// code is written per backend (the SQL is shared, below): on SQLite it is the hottest path
/// of the server (prepared statements on a dedicated connection, no async hops).
pub trait DocLogWriter: Send {
    /// Stores, in one transaction (group commit), the updates of `appends` (in the journal if
    /// this backend keeps one, else in `doc_updates`) and each of `snapshots` (in order) with
    /// its history (its sealed block, and its open block unless a snapshot covering more is
    /// stored already), deleting the `doc_updates` entries it covers.
    fn write(&mut self, appends: &[DocAppend<'_>], snapshots: &[DocSnapshot<'_>]) -> StoreResult<()>;
    /// Whether appends go to the journal, which rooms must then snapshot within seconds and
    /// the writer trims. SQLite: yes (appending to each document's own page wrote a WAL page
    /// per document per commit). PostgreSQL: no (its WAL records rows, not pages; measured,
    /// the journal's extra snapshots and trims made it slower there).
    fn keeps_journal(&self) -> bool;
    /// The id of the journal's newest entry (0 when it is empty).
    fn journal_end(&mut self) -> StoreResult<i64>;
    /// Trims the journal's entries with ids before `end`: moves those no snapshot covers into
    /// `doc_updates` and drops the rest. Returns how many were moved.
    fn trim_journal(&mut self, end: i64) -> StoreResult<u64>;
}

/// The log's SQL, shared by both backends' writers (SQLite reads `$N` as the N-th parameter).
pub(super) mod log_sql {
    /// Parameters: interview, document, sequence number, update, time, author.
    pub const APPEND_TO_JOURNAL: &str =
        "INSERT INTO doc_journal (interview_id, doc, seq, data, created_at, author) VALUES ($1, $2, $3, $4, $5, $6)";
    /// Parameters: interview, document, first and last sequence number, first and last time,
    /// number of entries, update bytes, compressed block. A block starting at the same entry
    /// is replaced only by one holding more.
    pub const STORE_HISTORY_BLOCK: &str = "INSERT INTO doc_history \
         (interview_id, doc, from_seq, to_seq, first_at, last_at, entries, bytes, data) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (interview_id, doc, from_seq) DO UPDATE SET to_seq = excluded.to_seq, \
         first_at = excluded.first_at, last_at = excluded.last_at, entries = excluded.entries, \
         bytes = excluded.bytes, data = excluded.data WHERE excluded.to_seq > doc_history.to_seq";
    /// The update bytes of a document's history blocks. Parameters: interview, document.
    pub const HISTORY_BYTES: &str =
        "SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM doc_history WHERE interview_id = $1 AND doc = $2";
    /// A document's log entries after a sequence number, oldest first (`LogRow`s). Parameters:
    /// interview, document, sequence number.
    pub const READ_LOG: &str = "SELECT seq, data, created_at, author FROM doc_updates \
         WHERE interview_id = $1 AND doc = $2 AND seq > $3 \
         UNION ALL \
         SELECT seq, data, created_at, author FROM doc_journal \
         WHERE interview_id = $1 AND doc = $2 AND seq > $3 \
         ORDER BY seq";
    /// Parameters: interview, document, snapshot, covered sequence number, time, open history
    /// block.
    pub const STORE_SNAPSHOT: &str = "INSERT INTO doc_snapshots (interview_id, doc, data, seq, updated_at, open_history) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (interview_id, doc) DO UPDATE SET data = excluded.data, seq = excluded.seq, \
         updated_at = excluded.updated_at, open_history = excluded.open_history \
         WHERE excluded.seq >= doc_snapshots.seq";
    /// Parameters: interview, document, covered sequence number.
    pub const DELETE_COVERED: &str = "DELETE FROM doc_updates WHERE interview_id = $1 AND doc = $2 AND seq <= $3";
    pub const JOURNAL_END: &str = "SELECT COALESCE(MAX(id), 0) FROM doc_journal";
    /// Parameter: the journal id to trim before.
    pub const MOVE_UNCOVERED: &str = "INSERT INTO doc_updates (interview_id, doc, seq, data, created_at, author) \
         SELECT j.interview_id, j.doc, j.seq, j.data, j.created_at, j.author FROM doc_journal j \
         LEFT JOIN doc_snapshots s ON s.interview_id = j.interview_id AND s.doc = j.doc \
         WHERE j.id < $1 AND j.seq > COALESCE(s.seq, 0)";
    /// Parameter: the journal id to trim before.
    pub const DROP_TRIMMED: &str = "DELETE FROM doc_journal WHERE id < $1";
}

/// A row of `log_sql::READ_LOG`: sequence number, update, time, author.
pub(super) type LogRow = (i64, Vec<u8>, DateTime<Utc>, Option<Uuid>);

pub(super) fn stored_update((seq, data, at, author): LogRow) -> StoredUpdate {
    StoredUpdate { seq, at, author, data }
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
                if $backend == "postgres" {
                    // One snapshot for all three reads, so a compaction or a trim between them
                    // cannot hide entries (SQLite's read transactions are snapshots already).
                    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
                }
                let snapshot: Option<(Vec<u8>, i64, Option<Vec<u8>>)> = sqlx::query_as(
                    "SELECT data, seq, open_history FROM doc_snapshots WHERE interview_id = $1 AND doc = $2",
                )
                .bind(interview_id)
                .bind(doc)
                .fetch_optional(&mut *tx)
                .await?;
                let covered = snapshot.as_ref().map_or(0, |(_, seq, _)| *seq);
                let rows: Vec<$crate::db::documents::LogRow> = sqlx::query_as($crate::db::documents::log_sql::READ_LOG)
                    .bind(interview_id)
                    .bind(doc)
                    .bind(covered)
                    .fetch_all(&mut *tx)
                    .await?;
                let history_bytes: i64 = sqlx::query_scalar($crate::db::documents::log_sql::HISTORY_BYTES)
                    .bind(interview_id)
                    .bind(doc)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                let last_seq = rows.last().map_or(covered, |(seq, ..)| *seq);
                let (snapshot, open_history) = match snapshot {
                    Some((data, _, open)) => (Some(data), open),
                    None => (None, None),
                };
                Ok($crate::db::StoredDocument {
                    snapshot,
                    updates: rows.into_iter().map($crate::db::documents::stored_update).collect(),
                    last_seq,
                    history_bytes,
                    open_history,
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
