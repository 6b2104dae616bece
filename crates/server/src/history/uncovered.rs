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
//! Pushing an entry copies its update into a buffer and notes its number, time and author in
//! columns (`Packed`: at 12,000 edits/s, 30 s of entries as `HistoryEntry`s holding the
//! relayed frames took ~70 MB); blocks are encoded when they are sealed.

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
pub const SEAL_AFTER: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub struct Uncovered {
    /// The entries no history block holds, oldest first.
    entries: Packed,
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
        let mut entries = Packed::default();
        for update in &log {
            entries.push(update.seq, update.at, update.author, &update.data);
        }
        Uncovered {
            since_snapshot: log.iter().filter(|u| u.seq > snapshot_seq).count(),
            sealed_seq,
            last_at: log.iter().map(|u| u.at).max(),
            entries,
        }
    }

    /// The update bytes of the entries no block holds.
    pub fn bytes(&self) -> usize {
        self.entries.data.len()
    }

    /// How many entries no snapshot covers yet.
    pub fn since_snapshot(&self) -> usize {
        self.since_snapshot
    }

    /// Whether some entry waits to be sealed.
    pub fn has_unsealed(&self) -> bool {
        !self.entries.seqs.is_empty()
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
        for (update, seq) in updates.iter().zip(first_seq..) {
            self.entries.push(seq, at, author, update);
        }
        self.since_snapshot += updates.len();
    }

    /// The block a snapshot taken now seals, if `seal` is asked or the entries are many or
    /// large enough: every entry held, which are then forgotten.
    pub fn for_snapshot(&mut self, seal: bool) -> Option<HistoryBlock> {
        self.since_snapshot = 0;
        let (count, bytes) = (self.entries.seqs.len(), self.bytes());
        if count == 0 || !(seal || count >= SEAL_ENTRIES || bytes >= SEAL_BYTES) {
            return None;
        }
        let entries = std::mem::take(&mut self.entries).unpack();
        let block = block::encode(&entries, block::LIVE_LEVEL);
        self.sealed_seq = block.to_seq;
        Some(block)
    }
}

/// Entries packed in columns, for memory: about 22 bytes each beside the update (a
/// `HistoryEntry` costs ~80, and its `Bytes` would keep the relayed frame's allocation).
#[derive(Debug, Default)]
struct Packed {
    seqs: Vec<i64>,
    /// Milliseconds since the Unix epoch.
    times: Vec<i64>,
    /// 0: none; i + 1: `author_ids[i]`.
    authors: Vec<u16>,
    author_ids: Vec<Uuid>,
    /// Where each entry's update ends in `data`.
    ends: Vec<u32>,
    data: Vec<u8>,
}

impl Packed {
    fn push(&mut self, seq: i64, at: DateTime<Utc>, author: Option<Uuid>, update: &[u8]) {
        let author = author.map_or(0, |id| {
            let index = self.author_ids.iter().position(|known| *known == id).unwrap_or_else(|| {
                self.author_ids.push(id);
                self.author_ids.len() - 1
            });
            u16::try_from(index + 1).unwrap_or(u16::MAX)
        });
        self.seqs.push(seq);
        self.times.push(super::to_ms(at));
        self.authors.push(author);
        self.data.extend_from_slice(update);
        self.ends.push(u32::try_from(self.data.len()).unwrap_or(u32::MAX));
    }

    fn unpack(self) -> Vec<HistoryEntry> {
        let data = Bytes::from(self.data);
        let mut start = 0;
        let columns = self.seqs.iter().zip(&self.times).zip(&self.authors).zip(&self.ends);
        columns
            .map(|(((seq, ms), author), end)| {
                let end = *end as usize;
                let update = data.slice(start..end);
                start = end;
                HistoryEntry {
                    seq: *seq,
                    at: super::from_ms(*ms).unwrap_or_default(),
                    author: author.checked_sub(1).and_then(|i| self.author_ids.get(usize::from(i)).copied()),
                    update,
                }
            })
            .collect()
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
