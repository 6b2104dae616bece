//! The entries of a live document that no history block holds yet, and when they are sealed
//! into one.
//!
//! Entries stay in the log (journal or `doc_updates`) until a block holds them, even those a
//! snapshot covers; a snapshot *seals* them (their block is stored in its transaction, and its
//! row records the newest sealed entry, so the log may let them go) once they are many or
//! large (`SEAL_ENTRIES`, `SEAL_BYTES`), when the live document asks (`SEAL_AFTER` after the
//! first of them, on a store that keeps a journal, which keeps entries longer than that), and
//! when the document unloads or its interview ends. Snapshots in between write no history:
//! a block per snapshot (every 2 s per typing room on SQLite) cost measurable live latency
//! (`docs/benchmarks.md`, issue 19).
//!
//! Pushing an entry costs a reference count on the update's bytes (shared with the frame
//! relayed to peers) and a slot in a vector; blocks are encoded when they are sealed.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{HistoryEntry, block, truncate_to_ms};
use crate::db::{HistoryBlock, StoredUpdate};

/// Unsealed entries from which the next snapshot seals them.
pub const SEAL_ENTRIES: usize = 500;
/// Unsealed update bytes from which the next snapshot seals them (bounds what a live document
/// holds).
pub const SEAL_BYTES: usize = 64 * 1024;
/// How long after the first unsealed entry a live document seals them, on a store that keeps a
/// journal (which must keep entries longer: `update_log::JOURNAL_KEEP`).
pub const SEAL_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub struct Uncovered {
    /// The entries no history block holds, oldest first.
    entries: Vec<HistoryEntry>,
    /// Their update bytes.
    bytes: usize,
    /// How many of them (the newest) no snapshot covers yet.
    since_snapshot: usize,
    /// The newest entry a history block holds (0: none).
    sealed_seq: i64,
    /// The time of the newest entry accepted or loaded: times never go back within a document.
    last_at: Option<DateTime<Utc>>,
}

impl Uncovered {
    /// A loaded document's: the log entries after `sealed_seq`, of which those after
    /// `snapshot_seq` are not in its snapshot.
    pub fn loaded(sealed_seq: i64, snapshot_seq: i64, log: Vec<StoredUpdate>) -> Uncovered {
        let entries: Vec<HistoryEntry> = log
            .into_iter()
            .map(|u| HistoryEntry { seq: u.seq, at: u.at, author: u.author, update: Bytes::from(u.data) })
            .collect();
        Uncovered {
            bytes: entries.iter().map(|e| e.update.len()).sum(),
            since_snapshot: entries.iter().filter(|e| e.seq > snapshot_seq).count(),
            sealed_seq,
            last_at: entries.iter().map(|e| e.at).max(),
            entries,
        }
    }

    /// The update bytes of the entries no block holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many entries no snapshot covers yet.
    pub fn since_snapshot(&self) -> usize {
        self.since_snapshot
    }

    /// Whether some entry waits to be sealed.
    pub fn has_unsealed(&self) -> bool {
        !self.entries.is_empty()
    }

    /// The newest entry a history block holds (0: none).
    pub fn sealed_seq(&self) -> i64 {
        self.sealed_seq
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

    /// The block a snapshot taken now seals, if `seal` is asked or the entries are many or
    /// large enough: every entry held, which are then forgotten.
    pub fn for_snapshot(&mut self, seal: bool) -> Option<HistoryBlock> {
        self.since_snapshot = 0;
        if self.entries.is_empty() || !(seal || self.entries.len() >= SEAL_ENTRIES || self.bytes >= SEAL_BYTES) {
            return None;
        }
        let entries = std::mem::take(&mut self.entries);
        self.bytes = 0;
        let block = block::encode(&entries, block::LIVE_LEVEL);
        self.sealed_seq = block.to_seq;
        Some(block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_wait_through_snapshots_until_sealed_once() {
        let ada = Uuid::new_v4();
        let start = truncate_to_ms(Utc::now());
        let stored = |seq: i64| StoredUpdate { seq, at: start, author: None, data: b"old".to_vec() };
        // Sealed up to 2; the snapshot covers 3; 4 is after it.
        let mut uncovered = Uncovered::loaded(2, 3, vec![stored(3), stored(4)]);
        assert_eq!((uncovered.since_snapshot(), uncovered.bytes(), uncovered.sealed_seq()), (1, 6, 2));
        let at = uncovered.accept_time();
        assert!(at >= start && at == truncate_to_ms(at));
        uncovered.push(5, at, Some(ada), &[Bytes::from_static(b"a"), Bytes::from_static(b"b")]);
        assert_eq!(uncovered.since_snapshot(), 3);

        // Few and small: a snapshot seals nothing, and they wait.
        assert!(uncovered.for_snapshot(false).is_none());
        assert_eq!((uncovered.since_snapshot(), uncovered.has_unsealed(), uncovered.sealed_seq()), (0, true, 2));

        // Asked to seal: one block of them all, then nothing is left.
        let sealed = uncovered.for_snapshot(true).expect("a sealed block");
        assert_eq!((sealed.from_seq, sealed.to_seq, sealed.entries, sealed.bytes), (3, 6, 4, 8));
        let decoded = block::decode(&sealed.data).unwrap();
        assert_eq!(decoded[3], HistoryEntry { seq: 6, at, author: Some(ada), update: Bytes::from_static(b"b") });
        assert_eq!((uncovered.sealed_seq(), uncovered.has_unsealed(), uncovered.bytes()), (6, false, 0));
        assert!(uncovered.for_snapshot(true).is_none(), "sealed twice");
        assert!(uncovered.accept_time() >= at, "time went back");
    }

    #[test]
    fn many_or_large_entries_are_sealed_at_the_next_snapshot() {
        let at = truncate_to_ms(Utc::now());
        let mut large = Uncovered::default();
        large.push(1, at, None, &[Bytes::from(vec![b'x'; SEAL_BYTES - 1])]);
        assert!(large.for_snapshot(false).is_none());
        large.push(2, at, None, &[Bytes::from_static(b"x")]);
        assert!(large.for_snapshot(false).is_some(), "large entries stayed unsealed");
        let mut many = Uncovered::default();
        many.push(1, at, None, &vec![Bytes::from_static(b"x"); SEAL_ENTRIES - 1]);
        assert!(many.for_snapshot(false).is_none());
        many.push(SEAL_ENTRIES as i64, at, None, &[Bytes::from_static(b"x")]);
        let sealed = many.for_snapshot(false).expect("many entries stayed unsealed");
        assert_eq!((sealed.entries, many.sealed_seq()), (SEAL_ENTRIES as i64, SEAL_ENTRIES as i64));
    }
}
