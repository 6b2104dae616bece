//! Reading a document's history from the store: its blocks and the log entries after them, as
//! one list of entries ordered by sequence number (each entry once: SQLite's journal keeps a
//! covered entry a few seconds after its block is stored).

use bytes::Bytes;
use uuid::Uuid;

use super::HistoryEntry;
use super::block::{self, BlockError};
use crate::db::{Store, StoreError, StoredHistory};

/// The most update bytes one history load may hold: a document's history stops at
/// `MAX_DOCUMENT_HISTORY_BYTES` (past it by one frame at most); this bounds a request's memory
/// whatever the store holds.
pub const MAX_HISTORY_BYTES: usize = 2 * super::MAX_DOCUMENT_HISTORY_BYTES as usize;

/// Why a history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Block(#[from] BlockError),
    #[error("the document's history holds more than {} MiB", MAX_HISTORY_BYTES >> 20)]
    TooLarge,
}

/// Every stored entry of the document `doc` of the interview after `after_seq` (0: all), in
/// order.
pub async fn load_history(
    store: &dyn Store,
    interview_id: Uuid,
    doc: &str,
    after_seq: i64,
) -> Result<Vec<HistoryEntry>, HistoryError> {
    let stored = store.load_history(interview_id, doc, after_seq).await?;
    // Decompressing and merging is CPU work: off the runtime's threads.
    tokio::task::spawn_blocking(move || merge(stored, after_seq))
        .await
        .map_err(|err| HistoryError::Store(StoreError::Other(anyhow::anyhow!("history decoding panicked: {err}"))))?
}

/// The entries of the blocks and of the tail after `after_seq`, ordered by sequence number, each
/// once.
pub fn merge(stored: StoredHistory, after_seq: i64) -> Result<Vec<HistoryEntry>, HistoryError> {
    let mut entries = Vec::new();
    let mut bytes = 0_usize;
    let mut add = |entry: HistoryEntry, entries: &mut Vec<HistoryEntry>| {
        if entry.seq <= after_seq {
            return Ok(());
        }
        bytes += entry.update.len();
        entries.push(entry);
        if bytes > MAX_HISTORY_BYTES { Err(HistoryError::TooLarge) } else { Ok(()) }
    };
    for stored_block in &stored.blocks {
        for entry in block::decode(&stored_block.data)? {
            add(entry, &mut entries)?;
        }
    }
    for update in stored.tail {
        let entry =
            HistoryEntry { seq: update.seq, at: update.at, author: update.author, update: Bytes::from(update.data) };
        add(entry, &mut entries)?;
    }
    // Stable: of two copies of an entry, the block's (first) is kept.
    entries.sort_by_key(|entry| entry.seq);
    entries.dedup_by_key(|entry| entry.seq);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::StoredUpdate;
    use crate::history::block::{LIVE_LEVEL, encode};
    use crate::history::test_support::typing_session;

    #[test]
    fn blocks_and_tail_merge_in_order_each_entry_once() {
        let entries = typing_session(30, 2);
        let tail = |range: std::ops::Range<usize>| {
            entries[range]
                .iter()
                .map(|e| StoredUpdate { seq: e.seq, at: e.at, author: e.author, data: e.update.to_vec() })
                .collect::<Vec<_>>()
        };
        // Two blocks stored out of order, and a tail that still holds the second block's last
        // entries (the journal keeps them a few seconds).
        let stored = StoredHistory {
            blocks: vec![encode(&entries[10..20], LIVE_LEVEL), encode(&entries[..10], LIVE_LEVEL)],
            tail: tail(17..30),
        };
        let later = StoredHistory { blocks: stored.blocks.clone(), tail: tail(17..30) };
        assert_eq!(merge(stored, 0).unwrap(), entries);
        assert_eq!(merge(later, 12).unwrap(), entries[12..], "entries after a number");
    }
}
