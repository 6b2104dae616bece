//! The entries of a live document that no sealed history block holds yet, and what each of its
//! snapshots stores of them.
//!
//! A snapshot stores, in its own row, the *open block*: every entry after the newest sealed
//! block up to the snapshot (so every entry a snapshot covers is in a sealed block or in its
//! open block, and the log may drop it). Rewriting a row the snapshot writes anyway costs
//! the live path next to nothing; an extra row per snapshot cost measurable latency
//! (`docs/benchmarks.md`, issue 19). Once the open entries are many, large or old enough
//! (`SEAL_*`), or the document unloads, the snapshot seals them instead: they become a block of
//! `doc_history`, stored in the snapshot's transaction, and the open block empties.
//!
//! Pushing an entry costs a reference count on the update's bytes (shared with the frame
//! relayed to peers) and a slot in a vector; blocks are encoded when a snapshot is taken.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{HistoryEntry, block, truncate_to_ms};
use crate::db::{SnapshotHistory, StoredUpdate};

/// Open entries from which the next snapshot seals them.
pub const SEAL_ENTRIES: usize = 500;
/// Open update bytes from which the next snapshot seals them (keeps the snapshot's row small).
pub const SEAL_BYTES: usize = 16 * 1024;
/// The age of the oldest open entry from which the next snapshot seals them.
pub const SEAL_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub struct Uncovered {
    /// The entries no sealed block holds, oldest first.
    entries: Vec<HistoryEntry>,
    /// Their update bytes.
    bytes: usize,
    /// How many of them (the newest) no snapshot covers yet.
    since_snapshot: usize,
    /// The time of the newest entry accepted or loaded: times never go back within a document.
    last_at: Option<DateTime<Utc>>,
}

impl Uncovered {
    /// A loaded document's: the entries of its snapshot's open block, then the log entries
    /// after its snapshot.
    pub fn loaded(open: Vec<HistoryEntry>, tail: Vec<StoredUpdate>) -> Uncovered {
        let since_snapshot = tail.len();
        let tail = tail.into_iter().map(|u| HistoryEntry {
            seq: u.seq,
            at: u.at,
            author: u.author,
            update: Bytes::from(u.data),
        });
        let entries: Vec<HistoryEntry> = open.into_iter().chain(tail).collect();
        Uncovered {
            bytes: entries.iter().map(|e| e.update.len()).sum(),
            last_at: entries.iter().map(|e| e.at).max(),
            since_snapshot,
            entries,
        }
    }

    /// The update bytes of the entries no sealed block holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many entries no snapshot covers yet.
    pub fn since_snapshot(&self) -> usize {
        self.since_snapshot
    }

    /// Whether some entry waits to be sealed.
    pub fn has_open(&self) -> bool {
        !self.entries.is_empty()
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
        self.bytes += updates.iter().map(Bytes::len).sum::<usize>();
        self.since_snapshot += updates.len();
    }

    /// What a snapshot taken now stores of the history: the open block, or, when `seal` is
    /// asked or due (`SEAL_*`), a sealed block of every entry held (which are then forgotten).
    pub fn for_snapshot(&mut self, seal: bool, now: DateTime<Utc>) -> SnapshotHistory {
        self.since_snapshot = 0;
        if self.entries.is_empty() {
            return SnapshotHistory::default();
        }
        let oldest = self.entries[0].at;
        let old = now.signed_duration_since(oldest).to_std().is_ok_and(|age| age >= SEAL_AFTER);
        if seal || old || self.entries.len() >= SEAL_ENTRIES || self.bytes >= SEAL_BYTES {
            let entries = std::mem::take(&mut self.entries);
            self.bytes = 0;
            return SnapshotHistory { sealed: Some(block::encode(&entries, block::LIVE_LEVEL)), open: None };
        }
        SnapshotHistory { sealed: None, open: Some(block::encode(&self.entries, block::LIVE_LEVEL).data) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(seq: i64, at: DateTime<Utc>) -> StoredUpdate {
        StoredUpdate { seq, at, author: None, data: b"old".to_vec() }
    }

    #[test]
    fn snapshots_store_the_open_entries_until_they_are_sealed_once() {
        let ada = Uuid::new_v4();
        let start = truncate_to_ms(Utc::now());
        let open = vec![HistoryEntry { seq: 3, at: start, author: None, update: Bytes::from_static(b"sealed?") }];
        let mut uncovered = Uncovered::loaded(open, vec![stored(4, start)]);
        assert_eq!((uncovered.since_snapshot(), uncovered.bytes()), (1, 10));
        let at = uncovered.accept_time();
        assert!(at >= start && at == truncate_to_ms(at));
        uncovered.push(5, at, Some(ada), &[Bytes::from_static(b"a"), Bytes::from_static(b"b")]);
        assert_eq!(uncovered.since_snapshot(), 3);

        // Young and few: the snapshot keeps every open entry in its row, and they stay open.
        let history = uncovered.for_snapshot(false, at);
        assert!(history.sealed.is_none());
        let open = block::decode(history.open.as_deref().expect("an open block")).unwrap();
        assert_eq!(open.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 4, 5, 6]);
        assert_eq!(open[3], HistoryEntry { seq: 6, at, author: Some(ada), update: Bytes::from_static(b"b") });
        assert_eq!(uncovered.since_snapshot(), 0);
        assert!(uncovered.has_open());

        // Asked to seal: one block of them all, then nothing is left to store.
        let history = uncovered.for_snapshot(true, at);
        let sealed = history.sealed.expect("a sealed block");
        assert_eq!((sealed.from_seq, sealed.to_seq, sealed.entries, sealed.bytes), (3, 6, 4, 12));
        assert!(history.open.is_none());
        let history = uncovered.for_snapshot(true, at);
        assert!(history.sealed.is_none() && history.open.is_none(), "sealed twice");
        assert!(uncovered.accept_time() >= at, "time went back");
    }

    #[test]
    fn open_entries_are_sealed_when_old_many_or_large() {
        let start = truncate_to_ms(Utc::now());
        let seal_after = chrono::Duration::from_std(SEAL_AFTER).unwrap();
        let one = |seq: i64, size: usize| {
            let mut uncovered = Uncovered::default();
            uncovered.push(seq, start, None, &vec![Bytes::from(vec![b'x'; size]); 1]);
            uncovered
        };
        assert!(one(1, 1).for_snapshot(false, start + seal_after - chrono::Duration::milliseconds(1)).sealed.is_none());
        assert!(one(1, 1).for_snapshot(false, start + seal_after).sealed.is_some(), "old entries stayed open");
        assert!(one(1, SEAL_BYTES).for_snapshot(false, start).sealed.is_some(), "large entries stayed open");
        let mut many = Uncovered::default();
        many.push(1, start, None, &vec![Bytes::from_static(b"x"); SEAL_ENTRIES - 1]);
        assert!(many.for_snapshot(false, start).sealed.is_none());
        many.push(SEAL_ENTRIES as i64, start, None, &[Bytes::from_static(b"x")]);
        let sealed = many.for_snapshot(false, start).sealed.expect("many entries stayed open");
        assert_eq!(sealed.entries, SEAL_ENTRIES as i64);
    }
}
