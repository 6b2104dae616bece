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
//! Nothing accepted is ever dropped: entries stay in the log until a *sealed* history block
//! holds them (`crate::history::uncovered`). A live document seals its entries every 10 s of
//! typing (or 500 entries) and when it unloads, storing the block with a snapshot, in its
//! transaction; the snapshot's row records the newest sealed entry (`sealed_seq`), and only
//! entries up to it are deleted from the log or dropped from the journal. The journal keeps
//! entries longer than a seal takes (`update_log::JOURNAL_KEEP`), so snapshots in between write
//! no history at all. Each entry carries the time its live document accepted it and its
//! author, which the history keeps.

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

/// A document as stored: the snapshot and the log entries no history block holds, oldest first.
#[derive(Debug, Default)]
pub struct StoredDocument {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<StoredUpdate>,
    /// Sequence number of the newest log entry, in the log or covered by the snapshot (0 when
    /// the document has none).
    pub last_seq: i64,
    /// The newest log entry the snapshot covers (0 without one): `updates` after it are to
    /// be applied; those up to it are in the snapshot already and only wait to be sealed.
    pub snapshot_seq: i64,
    /// The newest entry a sealed history block holds (`updates` all come after it).
    pub sealed_seq: i64,
    /// The update bytes of its history blocks (the log's entries not counted).
    pub history_bytes: i64,
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
    /// The fence the writing live document holds (`take_doc_lease`), when instances share the
    /// store: the write is refused unless it is still the document's.
    pub fence: Option<i64>,
}

/// A document's new snapshot, covering its log entries up to `up_to_seq`, with the history
/// block of the entries it seals now (if any) and the newest entry sealed (in `sealed` or
/// before): the log's entries up to it may go.
#[derive(Debug, Clone, Copy)]
pub struct DocSnapshot<'a> {
    pub interview_id: Uuid,
    pub doc: &'a str,
    pub data: &'a [u8],
    pub up_to_seq: i64,
    pub sealed: Option<&'a HistoryBlock>,
    pub sealed_seq: i64,
    /// As `DocAppend::fence`.
    pub fence: Option<i64>,
}

impl DocAppend<'_> {
    pub(super) fn fenced(&self) -> Option<(Uuid, &str, i64)> {
        self.fence.map(|fence| (self.interview_id, self.doc, fence))
    }
}

impl DocSnapshot<'_> {
    pub(super) fn fenced(&self) -> Option<(Uuid, &str, i64)> {
        self.fence.map(|fence| (self.interview_id, self.doc, fence))
    }
}

/// The fences a transaction's writes carry, one per document (they agree: one live document
/// writes a document from one process).
pub(super) fn fences<'a>(appends: &'a [DocAppend<'_>], snapshots: &'a [DocSnapshot<'_>]) -> Vec<(Uuid, &'a str, i64)> {
    let mut fences: Vec<(Uuid, &str, i64)> =
        appends.iter().filter_map(DocAppend::fenced).chain(snapshots.iter().filter_map(DocSnapshot::fenced)).collect();
    fences.sort_unstable();
    fences.dedup();
    fences
}

#[async_trait]
pub trait DocumentStore {
    async fn load_document(&self, interview_id: Uuid, doc: &str) -> StoreResult<StoredDocument>;
    /// Moves the log's recent writes into the main database file, off the commit path
    /// (SQLite's WAL checkpoint; nothing to do on PostgreSQL).
    async fn checkpoint_log(&self) -> StoreResult<()>;
    /// The writer of the document log, for the update log's thread (one per process).
    fn open_log_writer(&self) -> anyhow::Result<Box<dyn DocLogWriter>>;
    /// Makes `owner` (an instance id) the document's writer: bumps its fence (the first is 1)
    /// and returns it. Every later write carrying an older fence is refused; on PostgreSQL the
    /// bump waits for the transactions of the previous fence in flight.
    async fn take_doc_lease(&self, interview_id: Uuid, doc: &str, owner: &str) -> StoreResult<i64>;
}

/// Writes the document log with blocking calls, from a thread of its own. The one place whose
/// code is written per backend (the SQL is shared, below): on SQLite it is the hottest path
/// of the server (prepared statements on a dedicated connection, no async hops).
pub trait DocLogWriter: Send {
    /// Stores, in one transaction (group commit), the updates of `appends` (in the journal if
    /// this backend keeps one, else in `doc_updates`) and each of `snapshots` (in order) with
    /// its sealed block, unless a snapshot covering more is stored already, deleting the
    /// `doc_updates` entries sealed.
    fn write(&mut self, appends: &[DocAppend<'_>], snapshots: &[DocSnapshot<'_>]) -> StoreResult<()>;
    /// Whether appends go to the journal, which rooms must then snapshot within seconds and
    /// the writer trims. SQLite: yes (appending to each document's own page wrote a WAL page
    /// per document per commit). PostgreSQL: no (its WAL records rows, not pages; measured,
    /// the journal's extra snapshots and trims made it slower there).
    fn keeps_journal(&self) -> bool;
    /// The id of the journal's newest entry (0 when it is empty).
    fn journal_end(&mut self) -> StoreResult<i64>;
    /// Trims the journal's entries with ids before `end`: moves those no history block holds
    /// into `doc_updates` and drops the rest. Returns how many were moved.
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
    /// interview, document, sequence number. (The journal has no index: this scans the
    /// `JOURNAL_KEEP` seconds it holds.)
    pub const READ_LOG: &str = "SELECT seq, data, created_at, author FROM doc_updates \
         WHERE interview_id = $1 AND doc = $2 AND seq > $3 \
         UNION ALL \
         SELECT seq, data, created_at, author FROM doc_journal \
         WHERE interview_id = $1 AND doc = $2 AND seq > $3 \
         ORDER BY seq";
    /// Parameters: interview, document, snapshot, covered sequence number, time, sealed
    /// sequence number.
    pub const STORE_SNAPSHOT: &str = "INSERT INTO doc_snapshots (interview_id, doc, data, seq, updated_at, sealed_seq) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (interview_id, doc) DO UPDATE SET data = excluded.data, seq = excluded.seq, \
         updated_at = excluded.updated_at, sealed_seq = excluded.sealed_seq \
         WHERE excluded.seq >= doc_snapshots.seq";
    /// Parameters: interview, document, sealed sequence number.
    pub const DELETE_SEALED: &str = "DELETE FROM doc_updates WHERE interview_id = $1 AND doc = $2 AND seq <= $3";
    pub const JOURNAL_END: &str = "SELECT COALESCE(MAX(id), 0) FROM doc_journal";
    /// Parameter: the journal id to trim before.
    pub const MOVE_UNCOVERED: &str = "INSERT INTO doc_updates (interview_id, doc, seq, data, created_at, author) \
         SELECT j.interview_id, j.doc, j.seq, j.data, j.created_at, j.author FROM doc_journal j \
         LEFT JOIN doc_snapshots s ON s.interview_id = j.interview_id AND s.doc = j.doc \
         WHERE j.id < $1 AND j.seq > COALESCE(s.sealed_seq, 0)";
    /// Parameters: interview, document, owner. Returns the new fence.
    pub const TAKE_LEASE: &str = "INSERT INTO doc_leases (interview_id, doc, fence, owner) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (interview_id, doc) DO UPDATE SET fence = doc_leases.fence + 1, owner = excluded.owner \
         RETURNING fence";
    /// A document's fence. Parameters: interview, document.
    pub const READ_FENCE: &str = "SELECT fence FROM doc_leases WHERE interview_id = $1 AND doc = $2";
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
                let snapshot: Option<(Vec<u8>, i64, i64)> = sqlx::query_as(
                    "SELECT data, seq, sealed_seq FROM doc_snapshots WHERE interview_id = $1 AND doc = $2",
                )
                .bind(interview_id)
                .bind(doc)
                .fetch_optional(&mut *tx)
                .await?;
                let (snapshot_seq, sealed_seq) = snapshot.as_ref().map_or((0, 0), |(_, seq, sealed)| (*seq, *sealed));
                let rows: Vec<$crate::db::documents::LogRow> = sqlx::query_as($crate::db::documents::log_sql::READ_LOG)
                    .bind(interview_id)
                    .bind(doc)
                    .bind(sealed_seq)
                    .fetch_all(&mut *tx)
                    .await?;
                let history_bytes: i64 = sqlx::query_scalar($crate::db::documents::log_sql::HISTORY_BYTES)
                    .bind(interview_id)
                    .bind(doc)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                let last_seq = rows.last().map_or(snapshot_seq, |(seq, ..)| *seq).max(snapshot_seq);
                Ok($crate::db::StoredDocument {
                    snapshot: snapshot.map(|(data, ..)| data),
                    updates: rows.into_iter().map($crate::db::documents::stored_update).collect(),
                    last_seq,
                    snapshot_seq,
                    sealed_seq,
                    history_bytes,
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

            async fn take_doc_lease(
                &self,
                interview_id: uuid::Uuid,
                doc: &str,
                owner: &str,
            ) -> $crate::db::StoreResult<i64> {
                Ok(sqlx::query_scalar($crate::db::documents::log_sql::TAKE_LEASE)
                    .bind(interview_id)
                    .bind(doc)
                    .bind(owner)
                    .fetch_one(&self.pool)
                    .await?)
            }
        }
    };
}

pub(crate) use impl_document_store;
