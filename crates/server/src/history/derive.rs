//! Timeline facts derived from a document's history (trackers fed its entries in sequence
//! order, a run at a time, so that a caller can keep one and feed it only what came since):
//! when the code document's language changed and who changed it, and the bursts in which each
//! interviewer edited the notes.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::HistoryEntry;
use super::replay::Replayer;

/// Edits of one author less than this apart belong to one burst.
pub const BURST_GAP: Duration = Duration::seconds(60);

/// The code document's language (`meta.language`) became `language` with the entry accepted
/// `at`, sent by `participant_id` (`None`: the server, e.g. the interview's language seeded
/// when the document was first opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageChange {
    pub at: DateTime<Utc>,
    pub participant_id: Option<Uuid>,
    pub language: String,
}

/// `participant_id` edited the document `edits` times from `at` to `until`, each edit less
/// than `BURST_GAP` after the previous one of theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteBurst {
    pub at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub participant_id: Option<Uuid>,
    pub edits: u64,
}

/// The language changes of a document fed its entries in order, a run at a time.
#[derive(Default)]
pub struct LanguageTracker {
    replayer: Replayer,
    current: Option<String>,
    changes: Vec<LanguageChange>,
}

impl LanguageTracker {
    /// Takes the next entries (after those fed before).
    pub fn feed(&mut self, entries: &[HistoryEntry]) {
        for entry in entries {
            if !self.replayer.apply(&entry.update) {
                continue;
            }
            let language = self.replayer.language();
            if language.is_some() && language != self.current {
                self.changes.push(LanguageChange {
                    at: entry.at,
                    participant_id: entry.author,
                    language: language.clone().unwrap_or_default(),
                });
            }
            self.current = language;
        }
    }

    /// Every change so far, in order: the first is the language the document got first.
    pub fn changes(&self) -> &[LanguageChange] {
        &self.changes
    }
}

/// The edit bursts of a document fed its entries in order, a run at a time.
#[derive(Default)]
pub struct BurstTracker {
    /// Each author's latest burst, which may go on.
    open: HashMap<Option<Uuid>, NoteBurst>,
    done: Vec<NoteBurst>,
}

impl BurstTracker {
    /// Takes the next entries (after those fed before).
    pub fn feed(&mut self, entries: &[HistoryEntry]) {
        for entry in entries {
            match self.open.get_mut(&entry.author) {
                Some(burst) if entry.at - burst.until < BURST_GAP => {
                    burst.until = burst.until.max(entry.at);
                    burst.edits += 1;
                }
                _ => {
                    let fresh = NoteBurst { at: entry.at, until: entry.at, participant_id: entry.author, edits: 1 };
                    if let Some(done) = self.open.insert(entry.author, fresh) {
                        self.done.push(done);
                    }
                }
            }
        }
    }

    /// Every burst so far, ordered by its start (then by author).
    pub fn bursts(&self) -> Vec<NoteBurst> {
        let mut bursts: Vec<NoteBurst> = self.done.iter().chain(self.open.values()).cloned().collect();
        bursts.sort_by_key(|burst| (burst.at, burst.participant_id));
        bursts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::from_ms;
    use bytes::Bytes;
    use codeview_collab::yrs::{Doc, Map, Transact, WriteTxn};

    /// Every change of the language of `entries`, fed at once.
    fn language_changes(entries: &[HistoryEntry]) -> Vec<LanguageChange> {
        let mut tracker = LanguageTracker::default();
        tracker.feed(entries);
        tracker.changes
    }

    /// The edit bursts of `entries`, fed at once.
    fn note_bursts(entries: &[HistoryEntry]) -> Vec<NoteBurst> {
        let mut tracker = BurstTracker::default();
        tracker.feed(entries);
        tracker.bursts()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        from_ms(1_765_000_000_000 + seconds * 1000).unwrap()
    }

    fn entry(seq: i64, seconds: i64, author: Option<Uuid>, update: Vec<u8>) -> HistoryEntry {
        HistoryEntry { seq, at: at(seconds), author, update: Bytes::from(update) }
    }

    /// The update that sets `meta.language` in `doc`.
    fn set_language(doc: &Doc, language: &str) -> Vec<u8> {
        let mut txn = doc.transact_mut();
        let meta = txn.get_or_insert_map("meta");
        meta.insert(&mut txn, "language", language);
        txn.encode_update_v1()
    }

    fn type_code(doc: &Doc) -> Vec<u8> {
        let mut txn = doc.transact_mut();
        let code = txn.get_or_insert_text("code");
        codeview_collab::yrs::Text::push(&code, &mut txn, "x");
        txn.encode_update_v1()
    }

    #[test]
    fn language_changes_name_each_new_language_and_who_set_it() {
        let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let doc = Doc::new();
        let entries = vec![
            entry(1, 0, None, set_language(&doc, "python")),
            entry(2, 5, Some(ada), type_code(&doc)),
            entry(3, 9, Some(ada), set_language(&doc, "go")),
            entry(4, 12, Some(bob), set_language(&doc, "go")),
            entry(5, 20, Some(bob), set_language(&doc, "python")),
        ];
        let changes = language_changes(&entries);
        let seen: Vec<(DateTime<Utc>, Option<Uuid>, &str)> =
            changes.iter().map(|c| (c.at, c.participant_id, c.language.as_str())).collect();
        assert_eq!(seen, vec![(at(0), None, "python"), (at(9), Some(ada), "go"), (at(20), Some(bob), "python")]);
    }

    #[test]
    fn fed_a_run_at_a_time_the_trackers_tell_what_they_tell_at_once() {
        let ada = Uuid::new_v4();
        let doc = Doc::new();
        let mut entries = vec![entry(1, 0, None, set_language(&doc, "python"))];
        for (i, seconds) in [5, 30, 100, 101, 170].into_iter().enumerate() {
            entries.push(entry(i as i64 + 2, seconds, Some(ada), type_code(&doc)));
        }
        entries.push(entry(7, 200, Some(ada), set_language(&doc, "go")));
        let (mut languages, mut bursts) = (LanguageTracker::default(), BurstTracker::default());
        for run in [&entries[..2], &entries[2..5], &entries[5..]] {
            languages.feed(run);
            bursts.feed(run);
        }
        assert_eq!(languages.changes(), language_changes(&entries).as_slice());
        assert_eq!(languages.changes().len(), 2);
        assert_eq!(bursts.bursts(), note_bursts(&entries));
    }

    #[test]
    fn note_bursts_merge_each_authors_edits_less_than_a_minute_apart() {
        let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let edit = |seq, seconds, author| entry(seq, seconds, Some(author), Vec::new());
        let entries = vec![
            edit(1, 0, ada),
            edit(2, 30, bob),
            edit(3, 59, ada),
            edit(4, 100, bob),
            edit(5, 118, ada),
            edit(6, 119, ada),
            edit(7, 200, ada),
        ];
        let bursts: Vec<(i64, i64, Option<Uuid>, u64)> = note_bursts(&entries)
            .iter()
            .map(|b| ((b.at - at(0)).num_seconds(), (b.until - at(0)).num_seconds(), b.participant_id, b.edits))
            .collect();
        assert_eq!(
            bursts,
            vec![(0, 119, Some(ada), 4), (30, 30, Some(bob), 1), (100, 100, Some(bob), 1), (200, 200, Some(ada), 1)]
        );
    }
}
