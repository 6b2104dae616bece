//! The documents' history: `history?at=` gives the exact text at instants between real clients'
//! edits, through compaction and a restart; `…/entries` gives every update with its author;
//! deleting the interview deletes its history, and `--history-days` purges it; only the host
//! and co-interviewers may read it; a candidate's large code insert is reported.
//! (The randomized session with a server kill is `history_fidelity.rs`; the storage budget
//! `history_budget.rs`.)

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::{Doc, Text, Transact, Update, WriteTxn};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::doc_peer::DocPeer;
use crate::fixtures::{Actor, Cast, Interview};
use crate::helpers::{TestApp, assert_error};
use crate::history_peer::{Credential, HistoryPeer};

crate::on_both_backends!(
    history_gives_the_exact_text_at_each_instant_through_compaction_and_restart,
    deleting_the_interview_deletes_its_history,
    retention_purges_the_history_of_interviews_ended_long_ago,
    only_the_hiring_team_replays_history_and_at_is_checked,
    large_code_inserts_of_the_candidate_are_reported,
    a_document_whose_history_is_full_takes_no_more_updates,
    the_timeline_tells_language_changes_and_notes_edits_from_the_history,
    entries_stay_in_the_log_until_sealed,
    a_shutdown_stores_each_live_document_and_seals_its_history,
);

/// An instant between edits: nothing is accepted within 2 ms of it (history times have
/// millisecond precision).
pub async fn instant() -> DateTime<Utc> {
    tokio::time::sleep(Duration::from_millis(2)).await;
    let now = Utc::now();
    tokio::time::sleep(Duration::from_millis(2)).await;
    now
}

/// `at` in RFC 3339 with `Z` (a `+` in a query would read as a space).
pub fn rfc3339(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// `GET …/history/{doc}?at=` (RFC 3339 or Unix milliseconds) as `client`; the body.
pub async fn history_at(app: &TestApp, client: &Client, interview: &str, doc: &str, at: &str) -> Value {
    let response = app.get(client, &format!("/api/interviews/{interview}/history/{doc}?at={at}")).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "history of {doc} at {at}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Appends `count` characters to the Y.Text "code" one update at a time without waiting, then
/// syncs: enough entries for a snapshot on both backends (PostgreSQL's come every 500).
async fn type_quickly(peer: &mut HistoryPeer, count: usize) {
    for i in 0..count {
        let c = char::from(b'a' + (i % 26) as u8).to_string();
        peer.edit(|_, txn| {
            let text = txn.get_or_insert_text("code");
            let end = text.len(txn);
            text.insert(txn, end, &c);
        })
        .await;
    }
    peer.sync().await;
}

async fn append(peer: &mut HistoryPeer, content: &str) {
    peer.edit(|_, txn| {
        let text = txn.get_or_insert_text("code");
        let end = text.len(txn);
        text.insert(txn, end, content);
    })
    .await;
}

/// Syncs every peer twice (everything each sent is then stored and every peer has it) and
/// checks that they agree; returns their text.
async fn quiesce(peers: &mut [&mut HistoryPeer]) -> String {
    for _ in 0..2 {
        for peer in peers.iter_mut() {
            peer.sync().await;
        }
    }
    let text = peers[0].text("code");
    assert!(peers.iter().all(|p| p.text("code") == text), "the peers did not converge");
    text
}

/// Quiesces the peers (`quiesce`), then takes an instant: their text at that instant.
async fn sample(peers: &mut [&mut HistoryPeer]) -> (DateTime<Utc>, String) {
    let text = quiesce(peers).await;
    (instant().await, text)
}

/// Waits until the interview's documents have at least one history block.
async fn wait_for_blocks(app: &TestApp, interview: &str) {
    let store = codeview::db::connect(&app.database_url).await.unwrap();
    let id: Uuid = interview.parse().unwrap();
    for _ in 0..200 {
        if !store.load_history(id, "code", 0).await.unwrap().blocks.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no history block was stored");
}

/// Snapshots (SQLite's come 2 s after an edit) write no history: the entries stay in the log
/// until their live document seals them into a block (a row per snapshot cost live latency);
/// the end of the interview seals them, and the history reads the same before and after.
async fn entries_stay_in_the_log_until_sealed(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let app = &cast.app;
    let store = codeview::db::connect(&app.database_url).await.unwrap();
    let id: Uuid = interview.id.parse().unwrap();
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.host).await));
    host.connect(&app.base).await;
    type_quickly(&mut host, 30).await;
    let (at, text) = sample(&mut [&mut host]).await;
    if !app.database_url.starts_with("postgres") {
        // Wait for the snapshot (SQLite's come 2 s after an edit; PostgreSQL's at 500 entries).
        let mut loaded = store.load_document(id, "code").await.unwrap();
        for _ in 0..100 {
            if loaded.snapshot_seq == loaded.last_seq {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            loaded = store.load_document(id, "code").await.unwrap();
        }
        assert_eq!(loaded.snapshot_seq, 31, "no snapshot of the language seed and the 30 edits");
        assert_eq!((loaded.sealed_seq, loaded.updates.len()), (0, 31), "the snapshot sealed its entries");
    }
    let stored = store.load_history(id, "code", 0).await.unwrap();
    assert!(stored.blocks.is_empty(), "a snapshot of a few edits stored a block");
    let body = history_at(app, &cast.host, &interview.id, "code", &rfc3339(&at)).await;
    assert_eq!(body["text"], json!(text));

    end(app, &cast.host, &interview).await;
    let mut stored = store.load_history(id, "code", 0).await.unwrap();
    for _ in 0..100 {
        if stored.tail.is_empty() && !stored.blocks.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        stored = store.load_history(id, "code", 0).await.unwrap();
    }
    assert_eq!(stored.blocks.len(), 1, "the end did not seal the history");
    assert_eq!(stored.blocks[0].entries, 31);
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!((loaded.sealed_seq, loaded.updates.len()), (31, 0), "sealed entries stayed in the log");
    let body = history_at(app, &cast.host, &interview.id, "code", &rfc3339(&at)).await;
    assert_eq!(body["text"], json!(text), "sealing changed the history");
}

/// The interview's timeline events of `kind`, as `client` reads them.
async fn of_kind(app: &TestApp, client: &Client, interview: &str, kind: &str) -> Vec<Value> {
    let timeline: Value = app.get(client, &format!("/api/interviews/{interview}/timeline")).await.json().await.unwrap();
    timeline.as_array().unwrap().iter().filter(|e| e["kind"] == kind).cloned().collect()
}

async fn participant_ids(app: &TestApp, host: &Client, interview: &str) -> Vec<(String, Uuid)> {
    let detail: Value = app.get(host, &format!("/api/interviews/{interview}")).await.json().await.unwrap();
    detail["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["role"].as_str().unwrap().to_owned(), p["id"].as_str().unwrap().parse().unwrap()))
        .collect()
}

async fn history_gives_the_exact_text_at_each_instant_through_compaction_and_restart(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let app = &cast.app;
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.host).await));
    let mut co = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.co).await));
    host.connect(&app.base).await;
    co.connect(&app.base).await;

    let mut samples = vec![sample(&mut [&mut host, &mut co]).await];
    append(&mut host, "fn main() {\n").await;
    samples.push(sample(&mut [&mut host, &mut co]).await);
    append(&mut co, "    // the co-interviewer's line\n").await;
    append(&mut host, "}\n").await;
    samples.push(sample(&mut [&mut host, &mut co]).await);
    host.edit(|_, txn| {
        let text = txn.get_or_insert_text("code");
        text.remove_range(txn, 0, 2);
        text.insert(txn, 0, "pub fn");
    })
    .await;
    samples.push(sample(&mut [&mut host, &mut co]).await);
    // Enough entries for a snapshot on both backends: the entries it covers move to a block.
    // The host reads between bursts: a peer that reads nothing while 512 frames queue for it
    // is too slow and is closed (`outbox::OUTBOX_CAPACITY`), which a starved test could reach.
    for _ in 0..4 {
        type_quickly(&mut co, 130).await;
        host.sync().await;
    }
    samples.push(sample(&mut [&mut host, &mut co]).await);
    wait_for_blocks(app, &interview.id).await;
    append(&mut host, "// after the snapshot\n").await;
    samples.push(sample(&mut [&mut host, &mut co]).await);
    assert_eq!(samples[0].1, "");
    assert!(samples[3].1.starts_with("pub fn main() {\n"), "{}", samples[3].1);

    for (i, (at, text)) in samples.iter().enumerate() {
        // Both spellings of the instant.
        let spelled = if i % 2 == 0 { at.timestamp_millis().to_string() } else { rfc3339(at) };
        let body = history_at(app, &cast.host, &interview.id, "code", &spelled).await;
        assert_eq!(body["text"], json!(text), "text at sample {i}");
        assert_eq!(
            body["at"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap().timestamp_millis(),
            at.timestamp_millis()
        );
        assert_eq!(
            (&body["doc"], &body["language"], &body["question_id"]),
            (&json!("code"), &json!("python"), &json!(null))
        );
    }

    // Every update with its author: applied in order to an empty document they give the text.
    let participants = participant_ids(app, &cast.host, &interview.id).await;
    let id_of = |role: &str| participants.iter().find(|(r, _)| r == role).unwrap().1;
    let entries: Value = app
        .get(&cast.co, &format!("/api/interviews/{}/history/code/entries", interview.id))
        .await
        .json()
        .await
        .unwrap();
    let entries = entries["entries"].as_array().unwrap();
    let doc = Doc::new();
    let (mut last_seq, mut last_ms) = (0, 0);
    let mut authors = BTreeSet::new();
    for entry in entries {
        let (seq, ms) = (entry["seq"].as_i64().unwrap(), entry["at_ms"].as_i64().unwrap());
        assert!(seq > last_seq && ms >= last_ms, "entries out of order: {entry}");
        (last_seq, last_ms) = (seq, ms);
        authors.insert(entry["participant_id"].as_str().map(|id| id.parse::<Uuid>().unwrap()));
        let update = STANDARD.decode(entry["update"].as_str().unwrap()).unwrap();
        doc.transact_mut().apply_update(Update::decode_v1(&update).unwrap()).unwrap();
    }
    assert_eq!(codeview_collab::read_text(&doc.transact(), "code"), samples.last().unwrap().1);
    // `after_seq`: the later entries only (the replay page's refresh while live).
    let middle = entries[entries.len() / 2]["seq"].as_i64().unwrap();
    let later: Value = app
        .get(&cast.co, &format!("/api/interviews/{}/history/code/entries?after_seq={middle}", interview.id))
        .await
        .json()
        .await
        .unwrap();
    let seqs = |list: &[Value]| list.iter().map(|e| e["seq"].as_i64().unwrap()).collect::<Vec<_>>();
    let expected: Vec<i64> = seqs(entries).into_iter().filter(|seq| *seq > middle).collect();
    assert!(!expected.is_empty());
    assert_eq!(seqs(later["entries"].as_array().unwrap()), expected);
    // The server seeded the language; the host and the co-interviewer typed.
    assert_eq!(authors, BTreeSet::from([None, Some(id_of("host")), Some(id_of("interviewer"))]));

    // A restart changes nothing of it, and the history goes on.
    let app = cast.app.restart_with(|_| {}).await;
    for (i, (at, text)) in samples.iter().enumerate() {
        let body = history_at(&app, &cast.host, &interview.id, "code", &at.timestamp_millis().to_string()).await;
        assert_eq!(body["text"], json!(text), "text at sample {i} after the restart");
    }
    host.disconnect();
    co.disconnect();
    host.connect(&app.base).await;
    co.connect(&app.base).await;
    append(&mut co, "// after the restart\n").await;
    let (at, text) = sample(&mut [&mut host, &mut co]).await;
    assert!(text.ends_with("// after the restart\n"));
    assert_eq!(history_at(&app, &cast.host, &interview.id, "code", &rfc3339(&at)).await["text"], json!(text));
    let notes = history_at(&app, &cast.host, &interview.id, "notes", &rfc3339(&at)).await;
    assert_eq!((&notes["text"], &notes["language"]), (&json!(""), &json!(null)));
}

async fn deleting_the_interview_deletes_its_history(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let app = &cast.app;
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.host).await));
    host.connect(&app.base).await;
    type_quickly(&mut host, 510).await;
    wait_for_blocks(app, &interview.id).await;
    assert!(app.row_count("doc_history").await > 0);
    host.disconnect();

    let deleted = app.delete(&cast.host, &format!("/api/interviews/{}", interview.id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    for table in ["doc_history", "doc_updates", "doc_journal", "doc_snapshots"] {
        assert_eq!(app.row_count(table).await, 0, "{table} kept rows of the deleted interview");
    }
}

/// A server that stops (alone, without Redis) stores each live document first: a snapshot
/// of everything, its history sealed into a block; the next start loads it from there.
async fn a_shutdown_stores_each_live_document_and_seals_its_history(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let store = codeview::db::connect(&cast.app.database_url).await.unwrap();
    let id: Uuid = interview.id.parse().unwrap();
    let token = cast.app.token(&cast.host).await;
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(token.clone()));
    host.connect(&cast.app.base).await;
    type_quickly(&mut host, 30).await;
    let (at, text) = sample(&mut [&mut host]).await;
    let live = store.load_document(id, "code").await.unwrap();
    assert_eq!((live.last_seq, live.sealed_seq), (31, 0), "the language seed and 30 edits, none sealed yet");

    let app = cast.app.restart_with(|_| {}).await;
    let stopped = store.load_document(id, "code").await.unwrap();
    assert_eq!(
        (stopped.last_seq, stopped.snapshot_seq, stopped.sealed_seq, stopped.updates.len()),
        (31, 31, 31, 0),
        "the shutdown left entries out of the snapshot or unsealed"
    );
    let blocks = store.load_history(id, "code", 0).await.unwrap().blocks;
    assert_eq!(blocks.iter().map(|b| (b.from_seq, b.to_seq)).collect::<Vec<_>>(), [(1, 31)]);
    assert_eq!(history_at(&app, &cast.host, &interview.id, "code", &rfc3339(&at)).await["text"], json!(text));
    let mut reader = HistoryPeer::new(&interview.id, Credential::Token(token));
    reader.connect(&app.base).await;
    assert_eq!(reader.text("code"), text);
}

/// Ends `interview` as the host.
async fn end(app: &TestApp, host: &Client, interview: &Interview) {
    let ended = app.post_json(host, &format!("/api/interviews/{}/end", interview.id), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
}

async fn retention_purges_the_history_of_interviews_ended_long_ago(app: TestApp) {
    let cast = Cast::new(app).await;
    let (ended, live) = (cast.interview(true).await, cast.interview(true).await);
    let app = &cast.app;
    let token = app.token(&cast.host).await;
    for interview in [&ended, &live] {
        let mut host = HistoryPeer::new(&interview.id, Credential::Token(token.clone()));
        host.connect(&app.base).await;
        type_quickly(&mut host, 510).await;
        wait_for_blocks(app, &interview.id).await;
    }
    end(app, &cast.host, &ended).await;
    let database_url = cast.app.database_url.clone();
    let blocks = |interview: &Interview| {
        let (url, id) = (database_url.clone(), interview.id.parse::<Uuid>().unwrap());
        async move {
            let store = codeview::db::connect(&url).await.unwrap();
            store.load_history(id, "code", 0).await.unwrap().blocks.len()
        }
    };

    // The end compacts the code and repacks its history: one block.
    for _ in 0..100 {
        if blocks(&ended).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(blocks(&ended).await, 1, "the ended interview's history was not repacked");

    // Kept while it ended less than a day ago; purged (at start) with a retention of 0 days;
    // a live interview's history is kept.
    let app = cast.app.restart_with(|config| config.history_days = Some(1)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(blocks(&ended).await > 0, "purged before its time");
    let _app = app.restart_with(|config| config.history_days = Some(0)).await;
    for _ in 0..100 {
        if blocks(&ended).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(blocks(&ended).await, 0, "the ended interview's history was not purged");
    assert!(blocks(&live).await > 0, "the live interview's history was purged");
}

async fn only_the_hiring_team_replays_history_and_at_is_checked(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let app = &cast.app;
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.host).await));
    host.connect(&app.base).await;
    append(&mut host, "secret thoughts").await;
    host.sync().await;
    let at = instant().await.timestamp_millis();
    let id = &interview.id;
    for actor in Actor::ALL {
        let client = cast.client(actor);
        for path in [
            format!("/api/interviews/{id}/history/code?at={at}"),
            format!("/api/interviews/{id}/history/notes/entries"),
        ] {
            let response = app.get(client, &path).await;
            let (status, code) = match actor {
                Actor::Host | Actor::CoInterviewer => (StatusCode::OK, ""),
                Actor::Observer | Actor::Candidate => (StatusCode::FORBIDDEN, "forbidden"),
                Actor::OtherCandidate | Actor::Stranger => (StatusCode::NOT_FOUND, "not_found"),
                Actor::Anonymous => (StatusCode::UNAUTHORIZED, "unauthorized"),
            };
            if status == StatusCode::OK {
                assert_eq!(response.status(), status, "{actor:?} {path}");
            } else {
                assert_error(response, status, code).await;
            }
        }
    }
    let host = &cast.host;
    let get = |path: String| async move { app.get(host, &path).await };
    for wrong in ["", "?at=", "?at=yesterday", "?at=-1", "?at=2026-12-06", "?at=99999999999999999999"] {
        let body = assert_error(
            get(format!("/api/interviews/{id}/history/code{wrong}")).await,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        )
        .await;
        assert!(body["error"]["fields"]["at"].is_string(), "{wrong}: {body}");
    }
    let question = Uuid::new_v4();
    let body = assert_error(
        get(format!("/api/interviews/{id}/history/code?at={at}&question={question}")).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert!(body["error"]["fields"]["question"].is_string());
    let body = assert_error(
        get(format!("/api/interviews/{id}/history/notes?at={at}&question={question}")).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert!(body["error"]["fields"]["question"].is_string());
    assert_error(
        get(format!("/api/interviews/{id}/history/code?at={at}&wat=1")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_error(
        get(format!("/api/interviews/{id}/history/scratch?at={at}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        get(format!("/api/interviews/{}/history/code?at={at}", Uuid::new_v4())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        get(format!("/api/interviews/{id}/history/code/entries?after_seq=-1")).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        get(format!("/api/interviews/{}/history/code/entries", Uuid::new_v4())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let body: Value = get(format!("/api/interviews/{id}/history/code?at={at}")).await.json().await.unwrap();
    assert_eq!(body["text"], "secret thoughts");
}

async fn large_code_inserts_of_the_candidate_are_reported(app: TestApp) {
    use codeview::realtime::live_docs::{DocKey, LiveDocs, RoomSetup};
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::{ConnPermissions, DocKind, Identity};

    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let participants = participant_ids(&cast.app, &cast.host, &interview.id).await;
    let id_of = |role: &str| participants.iter().find(|(r, _)| r == role).unwrap().1;
    let interview_id: Uuid = interview.id.parse().unwrap();
    // A live document of this process, on the test server's database (which never opens it).
    let store = codeview::db::connect(&cast.app.database_url).await.unwrap();
    let docs = LiveDocs::new(store, codeview::config::DocSocketArgs::default()).unwrap();
    let mut reports = docs.subscribe_large_inserts();
    let key = DocKey { interview_id, kind: DocKind::Code };
    let setup = RoomSetup { owner: Uuid::new_v4(), language: codeview::domain::Language::Python };
    let connect = |role: &str| {
        let perms = ConnPermissions {
            can_write: true,
            shares_cursor: true,
            held_by_editor_lock: role == "candidate",
            identity: Identity {
                participant_id: id_of(role).to_string(),
                name: role.into(),
                role: role.into(),
                color: "#2563eb".into(),
            },
        };
        let (outbox, received) = codeview::realtime::outbox::outbox();
        let (docs, setup) = (docs.clone(), setup.clone());
        async move { (docs.join(key, setup, perms, outbox).await.expect("joined"), received) }
    };
    let (candidate, _candidate_frames) = connect("candidate").await;
    let (interviewer, _interviewer_frames) = connect("interviewer").await;
    let client = Doc::new();
    let insert = |length: usize| {
        let mut txn = client.transact_mut();
        let text = txn.get_or_insert_text("code");
        text.push(&mut txn, &"x".repeat(length));
        bytes::Bytes::from(Message::Sync(SyncMessage::Update(txn.encode_update_v1())).encode_v1())
    };
    assert!(candidate.send(insert(199)).await, "a short insert");
    assert!(interviewer.send(insert(600)).await, "an interviewer's paste");
    assert!(candidate.send(insert(250)).await, "the candidate's large insert");
    let report = tokio::time::timeout(Duration::from_secs(10), reports.recv()).await.expect("a report").unwrap();
    assert_eq!(
        (report.interview_id, report.participant_id, report.length),
        (interview_id, id_of("candidate"), 250),
        "only the candidate's large insert is reported"
    );
    assert!((Utc::now() - report.at).num_seconds() < 10);
    candidate.leave().await;
    interviewer.leave().await;
}

async fn a_document_whose_history_is_full_takes_no_more_updates(app: TestApp) {
    use codeview::db::{DocSnapshot, HistoryBlock};
    use codeview::realtime::live_docs::{DocKey, LiveDocs, RoomSetup};
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::{ConnPermissions, DocKind, Identity};

    let cast = Cast::new(app).await;
    let (full, roomy) = (cast.interview(true).await, cast.interview(true).await);
    let store = codeview::db::connect(&cast.app.database_url).await.unwrap();
    // The full one's history holds as much as a document's may (as stored: one block saying so).
    let full_id: Uuid = full.id.parse().unwrap();
    let mut writer = store.open_log_writer().unwrap();
    tokio::task::spawn_blocking(move || {
        let entry = codeview::history::HistoryEntry {
            seq: 1,
            at: codeview::history::truncate_to_ms(Utc::now()),
            author: None,
            update: bytes::Bytes::from_static(&[0, 0]),
        };
        let block = HistoryBlock {
            bytes: codeview::history::MAX_DOCUMENT_HISTORY_BYTES as i64,
            ..codeview::history::block::encode(&[entry], codeview::history::block::LIVE_LEVEL)
        };
        let (data, sealed) = (&[0, 0][..], Some(&block));
        let snapshot =
            DocSnapshot { interview_id: full_id, doc: "code", data, up_to_seq: 1, sealed, sealed_seq: 1, fence: None };
        writer.write(&[], &[snapshot]).unwrap();
    })
    .await
    .unwrap();

    let docs = LiveDocs::new(store, codeview::config::DocSocketArgs::default()).unwrap();
    for (interview, kept) in [(&roomy, true), (&full, false)] {
        let key = DocKey { interview_id: interview.id.parse().unwrap(), kind: DocKind::Code };
        let setup = RoomSetup { owner: Uuid::new_v4(), language: codeview::domain::Language::Python };
        let perms = ConnPermissions {
            can_write: true,
            shares_cursor: true,
            held_by_editor_lock: false,
            identity: Identity {
                participant_id: Uuid::new_v4().to_string(),
                name: "Hana".into(),
                role: "host".into(),
                color: "#2563eb".into(),
            },
        };
        let (outbox, _frames) = codeview::realtime::outbox::outbox();
        let link = docs.join(key, setup, perms, outbox).await.expect("joined");
        let client = Doc::new();
        let update = {
            let mut txn = client.transact_mut();
            txn.get_or_insert_text("code").push(&mut txn, "one more line");
            txn.encode_update_v1()
        };
        assert!(link.send(bytes::Bytes::from(Message::Sync(SyncMessage::Update(update)).encode_v1())).await);
        let text = docs.read_text(key).await.unwrap();
        assert_eq!(text == "one more line", kept, "{text:?} (history full: {})", !kept);
        link.leave().await;
    }
}

/// The timeline's `language_changed` and `note_edited` come from the documents' history: the
/// language the code started in is not a change; one burst of notes edits is one event.
async fn the_timeline_tells_language_changes_and_notes_edits_from_the_history(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let app = &cast.app;
    let ids = participant_ids(app, &cast.host, &interview.id).await;
    let id_of = |role: &str| ids.iter().find(|(r, _)| r == role).map(|(_, id)| json!(id)).unwrap();
    let mut host = HistoryPeer::new(&interview.id, Credential::Token(app.token(&cast.host).await));
    host.connect(&app.base).await;
    host.edit(crate::history_peer::set_language("go")).await;
    let mut notes = DocPeer::open_doc(app, &interview.id, "notes", &app.token(&cast.co).await).await;
    notes.append("notes", "Strong start.").await;
    notes.append("notes", " Asked about edge cases.").await;

    let languages = of_kind(app, &cast.host, &interview.id, "language_changed").await;
    assert_eq!(languages.len(), 1, "{languages:?}");
    assert_eq!(languages[0]["data"], json!({"language": "go"}));
    assert_eq!(languages[0]["participant_id"], id_of("host"));
    let notes_edits = of_kind(app, &cast.host, &interview.id, "note_edited").await;
    assert_eq!(notes_edits.len(), 1, "{notes_edits:?}");
    assert_eq!(notes_edits[0]["participant_id"], id_of("interviewer"));
    assert_eq!(notes_edits[0]["data"]["edits"], json!(2));

    // What was derived is kept between requests and fed only what came since: a later change
    // and a later edit (of the same burst) show, nothing twice.
    host.edit(crate::history_peer::set_language("rust")).await;
    host.sync().await;
    notes.append("notes", " Tested well.").await;
    let languages = of_kind(app, &cast.host, &interview.id, "language_changed").await;
    let chosen: Vec<&Value> = languages.iter().map(|e| &e["data"]["language"]).collect();
    assert_eq!(chosen, [&json!("go"), &json!("rust")]);
    let notes_edits = of_kind(app, &cast.host, &interview.id, "note_edited").await;
    assert_eq!(notes_edits.len(), 1, "{notes_edits:?}");
    assert_eq!(notes_edits[0]["data"]["edits"], json!(3));
}
