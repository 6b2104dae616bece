//! The SQLite document log writer: a `rusqlite` connection of its own on the update log's
//! thread (`realtime/update_log.rs`), with cached prepared statements. sqlx would add a
//! worker thread, a channel round trip and statement building to every commit, and this is
//! the server's hottest write. Values are encoded as sqlx encodes them for the rest of the
//! store: ids as 16-byte blobs, times as RFC 3339 text.

use std::path::Path;

use chrono::SecondsFormat;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::documents::log_sql;
use super::{DocAppend, DocLogWriter, DocSnapshot, StoreResult};

/// How long a writer waits for another connection's write lock before failing (the pool's
/// connections and this writer's alike).
pub(super) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

pub struct SqliteLogWriter {
    conn: Connection,
}

impl SqliteLogWriter {
    /// Opens `path` (already created and migrated) with the store's settings.
    pub fn open(path: &Path) -> anyhow::Result<SqliteLogWriter> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Same settings as the pool's connections (see `sqlite.rs`); WAL is a property of the
        // file and already set.
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0;")?;
        // Keep the journal's pages and the live documents' snapshots in the cache (64 MiB at
        // most, taken as needed) and read the rest through the mapping rather than with a
        // system call per page.
        conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;")?;
        Ok(SqliteLogWriter { conn })
    }
}

/// A time as the rest of the store writes it (sqlx's encoding: RFC 3339).
fn text(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

impl DocLogWriter for SqliteLogWriter {
    fn write(&mut self, appends: &[DocAppend<'_>], snapshots: &[DocSnapshot<'_>]) -> StoreResult<()> {
        let now = text(chrono::Utc::now());
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            // The write lock is held (IMMEDIATE): no bump can come between the check and the commit.
            for (id, doc, fence) in super::documents::fences(appends, snapshots) {
                let held: Option<i64> = tx
                    .prepare_cached(log_sql::READ_FENCE)?
                    .query_row(params![&id.as_bytes()[..], doc], |row| row.get(0))
                    .optional()?;
                if held != Some(fence) {
                    return Err(super::fenced_out(id, doc));
                }
            }
            let mut insert = tx.prepare_cached(log_sql::APPEND_TO_JOURNAL)?;
            for entry in appends {
                let id = entry.interview_id.as_bytes();
                let (at, author) = (text(entry.at), entry.author.as_ref().map(|a| &a.as_bytes()[..]));
                for (update, seq) in entry.updates.iter().zip(entry.after_seq + 1..) {
                    insert.execute(params![&id[..], entry.doc, seq, update.as_ref(), at, author])?;
                }
            }
            let mut store_snapshot = tx.prepare_cached(log_sql::STORE_SNAPSHOT)?;
            let mut delete_sealed = tx.prepare_cached(log_sql::DELETE_SEALED)?;
            for snapshot in snapshots {
                let id = snapshot.interview_id.as_bytes();
                if let Some(block) = snapshot.sealed {
                    tx.prepare_cached(log_sql::STORE_HISTORY_BLOCK)?.execute(params![
                        &id[..],
                        snapshot.doc,
                        block.from_seq,
                        block.to_seq,
                        text(block.first_at),
                        text(block.last_at),
                        block.entries,
                        block.bytes,
                        block.data
                    ])?;
                }
                let (seq, sealed_seq) = (snapshot.up_to_seq, snapshot.sealed_seq);
                store_snapshot.execute(params![&id[..], snapshot.doc, snapshot.data, seq, now, sealed_seq])?;
                delete_sealed.execute(params![&id[..], snapshot.doc, sealed_seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn keeps_journal(&self) -> bool {
        true
    }

    fn journal_end(&mut self) -> StoreResult<i64> {
        Ok(self.conn.prepare_cached(log_sql::JOURNAL_END)?.query_row([], |row| row.get(0))?)
    }

    fn trim_journal(&mut self, end: i64) -> StoreResult<u64> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = tx.prepare_cached(log_sql::MOVE_UNCOVERED)?.execute([end])?;
        tx.prepare_cached(log_sql::DROP_TRIMMED)?.execute([end])?;
        tx.commit()?;
        Ok(moved as u64)
    }
}
