//! The history of a document: every update its live document accepted, with the server time it
//! was accepted at and its author, kept for the interview's lifetime so that any instant of
//! the interview can be replayed exactly.
//!
//! How it is kept (`docs/architecture.md`, "Document history"): entries stay in the log until
//! their live document seals them (`uncovered`: every 10 s of typing or 500 entries, and when
//! it unloads) into a block of `doc_history` (`block`), stored with a snapshot in its
//! transaction; the small blocks of a document are merged into large ones when it unloads
//! (`repack`); `--history-days` purges the history of interviews ended long ago
//! (`retention`).
//!
//! How it is read: `load` (blocks and the log after them, as entries), `replay` (the text and
//! language at an instant), `derive` (language changes and note bursts, for the timeline),
//! `inserts` (how many characters an update inserts, for the large-insert signal).

pub mod block;
pub mod derive;
pub mod inserts;
pub mod load;
pub mod reading;
pub mod repack;
pub mod replay;
pub mod retention;
pub mod uncovered;

use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

pub use load::load_history;
pub use replay::text_at;

/// The most update bytes a document's history may hold: a hundred times an hour of heavy
/// typing (`docs/benchmarks.md`, "Replay history"). A live document whose history reaches it
/// takes no more updates (it becomes read-only, as the code of an ended interview does), so
/// that nobody can fill the disk by writing and deleting again and again.
pub const MAX_DOCUMENT_HISTORY_BYTES: u64 = 64 << 20;

/// One accepted update of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Its number in the document's log (1, 2, …; numbered by the live document).
    pub seq: i64,
    /// When the live document accepted it (server clock, millisecond precision).
    pub at: DateTime<Utc>,
    /// The participant whose connection sent it; `None` for changes the server made (the
    /// language it seeds, starter code).
    pub author: Option<Uuid>,
    /// The Yjs v1 update as the server applied it.
    pub update: Bytes,
}

/// Milliseconds since the Unix epoch.
pub fn to_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The instant `ms` milliseconds after the Unix epoch, if representable.
pub fn from_ms(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// `at` cut to the millisecond: history times have millisecond precision everywhere (blocks,
/// the log, the API), so an entry reads back with the time it was stored with.
pub fn truncate_to_ms(at: DateTime<Utc>) -> DateTime<Utc> {
    from_ms(to_ms(at)).unwrap_or(at)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use codeview_collab::yrs::{Doc, Text, Transact, WriteTxn};

    /// `edits` single-character edits by `authors` clients into the Y.Text "code", one every
    /// 150 ms, as the clients encoded them: mostly typing at the end, sometimes in the middle,
    /// one edit in ten a deletion.
    pub fn typing_session(edits: usize, authors: usize) -> Vec<HistoryEntry> {
        let docs: Vec<(Doc, Uuid)> = (0..authors).map(|_| (Doc::new(), Uuid::new_v4())).collect();
        let start = 1_765_000_000_000_i64;
        let mut entries = Vec::with_capacity(edits);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % u64::from(below.max(1))) as u32
        };
        for i in 0..edits {
            let (doc, author) = &docs[i % authors];
            let update = {
                let mut txn = doc.transact_mut();
                let text = txn.get_or_insert_text("code");
                let len = text.len(&txn);
                if len > 0 && random(10) == 0 {
                    text.remove_range(&mut txn, random(len), 1);
                } else {
                    let at = if random(5) == 0 { random(len + 1) } else { len };
                    let c = char::from(b'a' + random(26) as u8).to_string();
                    text.insert(&mut txn, at, &c);
                }
                txn.encode_update_v1()
            };
            for (other, _) in &docs {
                let decoded = codeview_collab::yrs::Update::decode_v1(&update).unwrap();
                other.transact_mut().apply_update(decoded).unwrap();
            }
            let at = from_ms(start + 150 * i as i64).unwrap();
            entries.push(HistoryEntry { seq: i as i64 + 1, at, author: Some(*author), update: Bytes::from(update) });
        }
        entries
    }

    use codeview_collab::yrs::updates::decoder::Decode;
}
