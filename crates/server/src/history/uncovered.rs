//! The entries a live document accepted (or loaded from the log) since its last snapshot: the
//! history its next snapshot must carry. Pushing one costs a reference count on the update's
//! bytes (shared with the frame relayed to peers) and a slot in a vector; the block is
//! encoded and compressed only when the snapshot is taken.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{HistoryEntry, block, truncate_to_ms};
use crate::db::{HistoryBlock, StoredUpdate};

#[derive(Debug, Default)]
pub struct Uncovered {
    entries: Vec<HistoryEntry>,
    /// The time of the newest entry accepted or loaded: times never go back within a document.
    last_at: Option<DateTime<Utc>>,
}

impl Uncovered {
    /// The log entries a live document loaded after its snapshot.
    pub fn from_log(tail: Vec<StoredUpdate>) -> Uncovered {
        let entries: Vec<HistoryEntry> = tail
            .into_iter()
            .map(|u| HistoryEntry { seq: u.seq, at: u.at, author: u.author, update: Bytes::from(u.data) })
            .collect();
        Uncovered { last_at: entries.iter().map(|e| e.at).max(), entries }
    }

    /// The updates, oldest first.
    pub fn updates(&self) -> impl Iterator<Item = &[u8]> {
        self.entries.iter().map(|entry| entry.update.as_ref())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The time to give entries accepted now: the clock, cut to the millisecond, and never
    /// before the previous entry (so that time order is sequence order).
    pub fn accept_time(&mut self) -> DateTime<Utc> {
        let now = truncate_to_ms(Utc::now());
        let at = self.last_at.map_or(now, |last| last.max(now));
        self.last_at = Some(at);
        at
    }

    /// The time given to the newest entry.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// Notes `updates`, the document's entries `first_seq`, `first_seq + 1`, ….
    pub fn push(&mut self, first_seq: i64, at: DateTime<Utc>, author: Option<Uuid>, updates: &[Bytes]) {
        let numbered = updates.iter().zip(first_seq..);
        self.entries.extend(numbered.map(|(update, seq)| HistoryEntry { seq, at, author, update: update.clone() }));
    }

    /// The block of every entry noted so far (none when there is none), which the next
    /// snapshot stores; the entries are forgotten.
    pub fn take_block(&mut self) -> Option<HistoryBlock> {
        if self.entries.is_empty() {
            return None;
        }
        let entries = std::mem::take(&mut self.entries);
        Some(block::encode(&entries, block::LIVE_LEVEL))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_takes_every_entry_since_the_last_one_once() {
        let ada = Uuid::new_v4();
        let loaded = vec![StoredUpdate { seq: 4, at: truncate_to_ms(Utc::now()), author: None, data: b"old".to_vec() }];
        let mut uncovered = Uncovered::from_log(loaded);
        let at = uncovered.accept_time();
        assert!(at >= uncovered.entries[0].at && at == truncate_to_ms(at));
        uncovered.push(5, at, Some(ada), &[Bytes::from_static(b"a"), Bytes::from_static(b"b")]);
        assert_eq!(uncovered.updates().collect::<Vec<_>>(), vec![&b"old"[..], b"a", b"b"]);
        let block = uncovered.take_block().expect("a block");
        assert_eq!((block.from_seq, block.to_seq, block.entries), (4, 6, 3));
        let decoded = block::decode(&block.data).unwrap();
        assert_eq!(decoded[2], HistoryEntry { seq: 6, at, author: Some(ada), update: Bytes::from_static(b"b") });
        assert!(uncovered.take_block().is_none(), "taken twice");
        assert!(uncovered.accept_time() >= at, "time went back");
    }
}
