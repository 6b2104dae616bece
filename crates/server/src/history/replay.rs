//! Replaying history: a fresh yrs document that takes entries one at a time, and the text and
//! language of a document at an instant (every entry accepted at or before it, in order).
//!
//! The entries are what the live document accepted and relayed, in the order it accepted them,
//! so each one's dependencies come before it. Still, they are client bytes: every apply is
//! guarded, and an entry that does not decode or integrate is skipped (the document is rebuilt
//! from the entries applied before it if it may have been half-changed), so a replay never
//! fails and never takes the server down.

use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::{Doc, OffsetKind, Options, Transact, Update};

use super::HistoryEntry;

/// A document built from history entries, one at a time.
pub struct Replayer {
    doc: Doc,
    /// What was applied, to rebuild the document if an apply breaks it.
    applied: Vec<Bytes>,
}

/// What became of an entry that did not apply.
enum Failed {
    /// The document was not touched.
    Untouched,
    /// The document may be half-changed.
    Broken,
}

impl Default for Replayer {
    fn default() -> Self {
        Replayer { doc: new_doc(), applied: Vec::new() }
    }
}

impl Replayer {
    /// Applies `update`; false when it was skipped (it does not decode or integrate).
    pub fn apply(&mut self, update: &Bytes) -> bool {
        match apply_guarded(&self.doc, update) {
            Ok(()) => {
                self.applied.push(update.clone());
                true
            }
            Err(Failed::Untouched) => false,
            Err(Failed::Broken) => {
                tracing::warn!(bytes = update.len(), "a history entry broke its replay; rebuilding without it");
                self.doc = new_doc();
                self.applied.retain(|applied| apply_guarded(&self.doc, applied).is_ok());
                false
            }
        }
    }

    /// The content of the Y.Text `name` ("" when the document has none).
    pub fn text(&self, name: &str) -> String {
        self.doc.try_transact().map(|txn| codeview_collab::read_text(&txn, name)).unwrap_or_default()
    }

    /// The language in the document's `meta` map, if set.
    pub fn language(&self) -> Option<String> {
        self.doc.try_transact().ok().and_then(|txn| codeview_collab::read_language(&txn))
    }
}

/// The text of the Y.Text `text_name` and the language (`meta`) of the document whose history is
/// `entries` (ordered by sequence number), at the instant `at`: every entry accepted at or
/// before it applied, in order.
pub fn text_at(entries: &[HistoryEntry], at: DateTime<Utc>, text_name: &str) -> (String, Option<String>) {
    let mut replayer = Replayer::default();
    for entry in entries.iter().filter(|entry| entry.at <= at) {
        replayer.apply(&entry.update);
    }
    (replayer.text(text_name), replayer.language())
}

/// A fresh document; offsets count UTF-16 code units, like the browser's Yjs (as the live
/// document's).
fn new_doc() -> Doc {
    Doc::with_options(Options { offset_kind: OffsetKind::Utf16, ..Options::default() })
}

fn apply_guarded(doc: &Doc, bytes: &[u8]) -> Result<(), Failed> {
    let applied = catch_unwind(AssertUnwindSafe(|| {
        let update = Update::decode_v1(bytes).map_err(|_| Failed::Untouched)?;
        let mut txn = doc.try_transact_mut().map_err(|_| Failed::Broken)?;
        txn.apply_update(update).map_err(|_| Failed::Broken)?;
        drop(txn);
        Ok(())
    }));
    applied.unwrap_or(Err(Failed::Broken))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::from_ms;
    use crate::history::test_support::typing_session;
    use codeview_collab::yrs::{GetString, ReadTxn, Text, WriteTxn};

    #[test]
    fn the_text_at_an_instant_is_the_text_after_every_entry_up_to_it() {
        let entries = typing_session(200, 3);
        // What the clients saw after each entry.
        let doc = Doc::new();
        let mut seen = Vec::new();
        for entry in &entries {
            doc.transact_mut().apply_update(Update::decode_v1(&entry.update).unwrap()).unwrap();
            let txn = doc.transact();
            seen.push(txn.get_text("code").map(|t| t.get_string(&txn)).unwrap_or_default());
        }
        for i in [0, 1, 57, 120, 199] {
            let (text, language) = text_at(&entries, entries[i].at, "code");
            assert_eq!(text, seen[i], "after entry {i}");
            assert_eq!(language, None);
        }
        let before = from_ms(entries[0].at.timestamp_millis() - 1).unwrap();
        assert_eq!(text_at(&entries, before, "code").0, "", "before the first entry");
        assert_eq!(text_at(&entries, entries[10].at, "code:other").0, "", "another text");
    }

    #[test]
    fn entries_that_do_not_apply_are_skipped() {
        let doc = Doc::new();
        let update = {
            let mut txn = doc.transact_mut();
            let text = txn.get_or_insert_text("notes");
            text.insert(&mut txn, 0, "kept");
            txn.encode_update_v1()
        };
        let mut replayer = Replayer::default();
        assert!(!replayer.apply(&Bytes::from_static(b"\xff\xff\xff not an update")));
        assert!(replayer.apply(&Bytes::from(update)));
        assert_eq!(replayer.text("notes"), "kept");
    }
}
