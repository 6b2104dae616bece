//! The history's storage budget (`docs/benchmarks.md`, "Replay history"): a 60-minute interview
//! with 20,000 single-character edits and 200 idle seconds keeps at most 1 MB of history.
//!
//! The session is built the way the server builds it: two yrs clients (the candidate typing
//! nine edits in ten, an interviewer the rest; a tenth of the edits are deletions, one in
//! twenty moves the cursor) send their updates to a `LiveDoc`, whose accepted updates are
//! stored through the store's log writer with the snapshots this backend's live documents
//! take (SQLite: 2 s after the first entry since the last; PostgreSQL: every 500 entries),
//! sealing a history block every 30 s (or 500 entries); then the document unloads (sealing the
//! rest) and its blocks are repacked.
//! Times are the session's own (an hour cannot pass in a test), at 170 ms a keystroke.
//!
//! `cargo test -p codeview --test api history_budget -- --nocapture` prints the figures.

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use codeview::db::{DocAppend, DocLogWriter, DocSnapshot, HistoryBlock};
use codeview::history::uncovered::Uncovered;
use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, Text, Transact, Update, WriteTxn};
use codeview_collab::{ConnId, ConnPermissions, DocKind, Identity, LiveDoc};
use uuid::Uuid;

use crate::fixtures::create_interview;
use crate::helpers::TestApp;

crate::on_both_backends!(a_60_minute_interview_keeps_under_a_megabyte_of_history);

const EDITS: usize = 20_000;
const IDLE_SECONDS: i64 = 200;
const SESSION_SECONDS: i64 = 3_600;
/// The budget.
const MAX_HISTORY_BYTES: usize = 1_000_000;

/// A deterministic stream of numbers (xorshift).
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(n.max(1))) as u32
    }
}

/// One typist: a yrs client, its connection to the live document, its cursor.
struct Typist {
    doc: Doc,
    conn: ConnId,
    participant: Uuid,
    cursor: u32,
}

impl Typist {
    /// Types (or deletes) one character; the update as sent.
    fn keystroke(&mut self, dice: &mut Dice) -> Vec<u8> {
        let mut txn = self.doc.transact_mut();
        let text = txn.get_or_insert_text("code");
        let len = text.len(&txn);
        if dice.below(20) == 0 {
            self.cursor = dice.below(len + 1);
        }
        self.cursor = self.cursor.min(len);
        if self.cursor > 0 && dice.below(10) == 0 {
            self.cursor -= 1;
            text.remove_range(&mut txn, self.cursor, 1);
        } else {
            let c = match dice.below(30) {
                0 => '\n',
                1..=5 => ' ',
                n => char::from(b'a' + (n % 26) as u8),
            };
            text.insert(&mut txn, self.cursor, &c.to_string());
            self.cursor += 1;
        }
        txn.encode_update_v1()
    }
}

fn perms(participant: Uuid, role: &str) -> ConnPermissions {
    ConnPermissions {
        can_write: true,
        shares_cursor: true,
        held_by_editor_lock: role == "candidate",
        identity: Identity {
            participant_id: participant.to_string(),
            name: role.into(),
            role: role.into(),
            color: "#2563eb".into(),
        },
    }
}

/// Milliseconds after the start at which each edit is made: evenly paced over the hour but
/// for four idle stretches of 50 s between five stretches of typing.
fn edit_times() -> Vec<i64> {
    let active_ms = (SESSION_SECONDS - IDLE_SECONDS) * 1000;
    let step = active_ms / EDITS as i64;
    (0..EDITS as i64).map(|i| i * step + (i * 5 / EDITS as i64) * (IDLE_SECONDS / 4) * 1000).collect()
}

/// The entries accepted between two snapshots (number, time, author, update), and the second.
type Window = (Vec<(i64, DateTime<Utc>, Uuid, Bytes)>, Compaction);

/// A snapshot with the block it seals and the newest entry sealed, as a live document stores it.
struct Compaction {
    snapshot: Bytes,
    up_to_seq: i64,
    sealed: Option<HistoryBlock>,
    sealed_seq: i64,
}

async fn a_60_minute_interview_keeps_under_a_megabyte_of_history(app: TestApp) {
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, serde_json::json!({"title": "An hour"})).await;
    let id: Uuid = interview.id.parse().unwrap();
    let store = codeview::db::connect(&app.database_url).await.unwrap();
    let writer = store.open_log_writer().unwrap();
    let keeps_journal = writer.keeps_journal();

    let mut room = LiveDoc::new(DocKind::Code);
    let mut typists: Vec<Typist> = ["candidate", "interviewer"]
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let typist = Typist { doc: Doc::new(), conn: ConnId(i as u64 + 1), participant: Uuid::new_v4(), cursor: 0 };
            let _ = room.connect(typist.conn, perms(typist.participant, role));
            typist
        })
        .collect();
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let start: DateTime<Utc> = codeview::history::truncate_to_ms(Utc::now() - Duration::hours(2));
    // What the writer is given, window by window: (appends, compaction).
    let mut windows: Vec<Window> = Vec::new();
    let mut window = Vec::new();
    let mut uncovered = Uncovered::default();
    let (mut seq, mut window_end, mut update_bytes) = (0_i64, None::<DateTime<Utc>>, 0);
    // When the oldest unsealed entry was accepted (SQLite's live documents seal 30 s later).
    let mut first_unsealed = None::<DateTime<Utc>>;
    let seal_after = Duration::from_std(codeview::history::uncovered::SEAL_AFTER).unwrap();
    let times = edit_times();
    for (i, offset) in times.iter().enumerate() {
        let at = start + Duration::milliseconds(*offset);
        let seal = keeps_journal && first_unsealed.is_some_and(|first| at >= first + seal_after);
        if seal || window_end.is_some_and(|due| at >= due) {
            windows.push((std::mem::take(&mut window), compact(&mut room, &mut uncovered, seq, seal)));
            window_end = None;
        }
        if !uncovered.has_unsealed() {
            first_unsealed = Some(at);
        }
        let who = usize::from(dice.below(10) == 0);
        let update = typists[who].keystroke(&mut dice);
        let frame = Message::Sync(SyncMessage::Update(update.clone())).encode_v1();
        let fx = room.receive(typists[who].conn, &frame);
        assert!(fx.close.is_none(), "the live document refused edit {i}");
        let other = &typists[1 - who];
        other.doc.transact_mut().apply_update(Update::decode_v1(&update).unwrap()).unwrap();
        for accepted in fx.persist {
            seq += 1;
            update_bytes += accepted.len();
            uncovered.push(seq, at, Some(typists[who].participant), std::slice::from_ref(&accepted));
            window.push((seq, at, typists[who].participant, accepted));
        }
        if window_end.is_none() && keeps_journal {
            window_end = Some(at + Duration::seconds(2));
        }
        if !keeps_journal && uncovered.since_snapshot() >= 500 {
            windows.push((std::mem::take(&mut window), compact(&mut room, &mut uncovered, seq, false)));
        }
    }
    // The document unloads: a last snapshot.
    let end = start + Duration::seconds(SESSION_SECONDS);
    windows.push((std::mem::take(&mut window), compact(&mut room, &mut uncovered, seq, true)));
    let final_text = codeview_collab::read_text(&typists[0].doc.transact(), "code");
    assert_eq!(room.text(), final_text);

    let snapshots = windows.len();
    tokio::task::spawn_blocking(move || write_all(writer, id, windows)).await.unwrap();
    let at_snapshots = stored_bytes(&*store, id).await;
    let merged = codeview::history::repack::repack(&*store, id, "code").await.unwrap();
    let repacked = stored_bytes(&*store, id).await;
    println!(
        "history budget ({}): {EDITS} edits in {SESSION_SECONDS} s ({IDLE_SECONDS} s idle), {update_bytes} update \
         bytes; {snapshots} snapshots stored {} blocks of {} bytes; repacked into {} blocks ({merged} merged) of {} \
         bytes (budget {MAX_HISTORY_BYTES})",
        if keeps_journal { "SQLite" } else { "PostgreSQL" },
        at_snapshots.0,
        at_snapshots.1,
        repacked.0,
        repacked.1
    );
    assert!(repacked.1 <= MAX_HISTORY_BYTES, "over budget: {} bytes", repacked.1);

    // Nothing was lost on the way: every entry, and the text at the end.
    let entries = codeview::history::load_history(&*store, id, "code", 0).await.unwrap();
    assert_eq!(entries.len() as i64, seq);
    assert_eq!(codeview::history::text_at(&entries, end, "code").0, final_text);
}

/// The live document's snapshot, covering the entries up to `seq`, sealing them if `seal` (or
/// if they are many).
fn compact(room: &mut LiveDoc, uncovered: &mut Uncovered, seq: i64, seal: bool) -> Compaction {
    let (snapshot, fx) = room.snapshot();
    assert!(fx.is_empty());
    let sealed = uncovered.for_snapshot(seal);
    Compaction { snapshot, up_to_seq: seq, sealed, sealed_seq: uncovered.sealed_seq() }
}

/// Stores each window's appends and then its snapshot with its block, in one transaction each
/// (as the writer's group commits would).
fn write_all(mut writer: Box<dyn DocLogWriter>, id: Uuid, windows: Vec<Window>) {
    for (appends, compaction) in windows {
        let updates: Vec<[Bytes; 1]> = appends.iter().map(|(.., update)| [update.clone()]).collect();
        let appends: Vec<DocAppend<'_>> = appends
            .iter()
            .zip(&updates)
            .map(|((seq, at, author, _), update)| DocAppend {
                interview_id: id,
                doc: "code",
                after_seq: seq - 1,
                updates: update,
                at: *at,
                author: Some(*author),
                fence: None,
            })
            .collect();
        let snapshot = DocSnapshot {
            interview_id: id,
            doc: "code",
            data: &compaction.snapshot,
            up_to_seq: compaction.up_to_seq,
            sealed: compaction.sealed.as_ref(),
            sealed_seq: compaction.sealed_seq,
            fence: None,
        };
        writer.write(&appends, &[snapshot]).expect("storing a window");
    }
    let end = writer.journal_end().unwrap();
    writer.trim_journal(end + 1).unwrap();
}

/// `(blocks, bytes)` of the document's stored history.
async fn stored_bytes(store: &dyn codeview::db::Store, id: Uuid) -> (usize, usize) {
    let history = store.load_history(id, "code", 0).await.unwrap();
    assert!(history.tail.is_empty(), "entries left outside the blocks");
    (history.blocks.len(), history.blocks.iter().map(|block| block.data.len()).sum())
}
