//! Interview controls the candidate must not get around, and the documents after the end:
//! while the interviewers lock the editor, a candidate's updates to the code (sent straight
//! over the document socket, as a modified client would) are dropped — not relayed, not
//! stored, not there after a restart — on a socket opened before the lock and on one opened
//! after a restart alike; after the unlock they are accepted again. A candidate's run while
//! runs are disabled is refused `runs_disabled`. After the end, the interviewers still write
//! the notes and nobody writes the code.

use std::time::Duration;

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, ReadTxn, Text, Transact, Update};
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::fixtures::{Interview, create_interview};
use crate::helpers::{Socket, TestApp, assert_error};
use crate::support::{Session, SocketAuth, connect, join_as_candidate, post_run, register};

crate::on_both_backends!(
    a_locked_candidates_code_updates_are_dropped_until_the_unlock,
    a_candidates_run_while_runs_are_disabled_is_refused,
    after_the_end_interviewers_write_the_notes_but_nobody_the_code,
);

/// A y-websocket client of one document: a socket and a yrs document of its own.
struct DocClient {
    socket: Socket,
    doc: Doc,
    text: &'static str,
}

impl DocClient {
    /// Opens document `name` (`code` or `notes`) of `interview` and syncs with it.
    async fn open(app: &TestApp, interview: &str, name: &'static str, cookie: &str) -> DocClient {
        let socket = connect(app, &format!("/ws/yjs/{interview}/{name}"), SocketAuth::Cookie(cookie)).await;
        let mut client = DocClient { socket, doc: Doc::new(), text: name };
        client.sync().await;
        client
    }

    fn text(&self) -> String {
        let txn = self.doc.transact();
        txn.get_text(self.text).map(|text| text.get_string(&txn)).unwrap_or_default()
    }

    /// Types `text` at the end, as one update sent to the server.
    async fn type_at_end(&mut self, text: &str) {
        let update = {
            let shared = self.doc.get_or_insert_text(self.text);
            let mut txn = self.doc.transact_mut();
            let end = shared.len(&txn);
            shared.insert(&mut txn, end, text);
            txn.encode_update_v1()
        };
        let frame = Message::Sync(SyncMessage::Update(update)).encode_v1();
        self.socket.send(WsMessage::binary(frame)).await.expect("sending an update");
    }

    /// Sends SyncStep1 and applies frames until the server's SyncStep2: everything this
    /// socket sent before has then been handled by the server.
    async fn sync(&mut self) {
        let state_vector = self.doc.transact().state_vector();
        let step1 = Message::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
        self.socket.send(WsMessage::binary(step1)).await.expect("sending SyncStep1");
        let answered = async {
            loop {
                match self.socket.next().await {
                    Some(Ok(WsMessage::Binary(frame))) => match Message::decode_v1(&frame).expect("a message") {
                        Message::Sync(SyncMessage::SyncStep2(update)) => {
                            self.apply(&update);
                            return;
                        }
                        Message::Sync(SyncMessage::Update(update)) => self.apply(&update),
                        _ => {}
                    },
                    Some(Ok(WsMessage::Close(frame))) => panic!("the document socket closed: {frame:?}"),
                    Some(Ok(_)) => {}
                    other => panic!("the document socket ended: {other:?}"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), answered).await.expect("the server answers SyncStep1");
    }

    fn apply(&self, update: &[u8]) {
        let update = Update::decode_v1(update).expect("a v1 update");
        self.doc.transact_mut().apply_update(update).expect("applying an update");
    }
}

/// The document's text as a fresh client of `cookie` reads it from the server.
async fn read(app: &TestApp, interview: &str, name: &'static str, cookie: &str) -> String {
    DocClient::open(app, interview, name, cookie).await.text()
}

/// A live interview with its host and joined candidate.
async fn live_interview(app: &TestApp) -> (Session, Session, Interview) {
    let host = register(app, "host@example.com", "Hana Host").await;
    let interview = create_interview(app, &host.client, json!({"title": "Pairing"})).await;
    let candidate = join_as_candidate(app, &interview, "Cara").await;
    let started = app.post_json(&host.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    (host, candidate, interview)
}

async fn set_controls(app: &TestApp, host: &Session, interview: &str, controls: serde_json::Value) {
    let response = app.patch_json(&host.client, &format!("/api/interviews/{interview}/controls"), &controls).await;
    assert_eq!(response.status(), StatusCode::OK, "{controls}");
}

async fn a_locked_candidates_code_updates_are_dropped_until_the_unlock(app: TestApp) {
    let (host, candidate, interview) = live_interview(&app).await;
    let id = interview.id.clone();
    let mut typing = DocClient::open(&app, &id, "code", &candidate.cookie).await;
    let mut watching = DocClient::open(&app, &id, "code", &host.cookie).await;
    typing.type_at_end("before ").await;
    typing.sync().await;
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "before ");

    // Locked while the candidate's socket is open: their next update goes nowhere.
    set_controls(&app, &host, &id, json!({"editor_locked": true})).await;
    typing.type_at_end("LOCKED").await;
    typing.sync().await;
    watching.sync().await;
    assert_eq!(watching.text(), "before ", "nothing is relayed");
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "before ", "the update was dropped");
    assert_eq!(read(&app, &id, "code", &candidate.cookie).await, "before ", "and the candidate's reload shows it");

    // The interviewers still write while the candidate's editor is locked.
    let mut host_writer = DocClient::open(&app, &id, "code", &host.cookie).await;
    host_writer.type_at_end("host ").await;
    host_writer.sync().await;
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "before host ");

    // Unlocked: the candidate's editor re-syncs and writes again.
    set_controls(&app, &host, &id, json!({"editor_locked": false})).await;
    let mut typing = DocClient::open(&app, &id, "code", &candidate.cookie).await;
    typing.type_at_end("after").await;
    typing.sync().await;
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "before host after");

    // The lock is stored: a restarted server (the document loaded afresh) still holds it.
    set_controls(&app, &host, &id, json!({"editor_locked": true})).await;
    let app = app.restart_with(|_| {}).await;
    let mut typing = DocClient::open(&app, &id, "code", &candidate.cookie).await;
    typing.type_at_end(" LOCKED AGAIN").await;
    typing.sync().await;
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "before host after", "nothing written while locked");
}

async fn a_candidates_run_while_runs_are_disabled_is_refused(app: TestApp) {
    let (host, candidate, interview) = live_interview(&app).await;
    let body = json!({"language": "python", "code": "print(1)", "mode": "run"});
    set_controls(&app, &host, &interview.id, json!({"runs_disabled": true})).await;
    let refused = assert_error(
        post_run(&app, &candidate.client, &interview.id, &body).await,
        StatusCode::FORBIDDEN,
        "runs_disabled",
    )
    .await;
    assert_eq!(refused["error"]["message"], "The interviewer has paused running code.");
    // Without code of its own (the shared document) it is refused too.
    let shared = json!({"language": "python", "mode": "run"});
    assert_error(
        post_run(&app, &candidate.client, &interview.id, &shared).await,
        StatusCode::FORBIDDEN,
        "runs_disabled",
    )
    .await;
    assert_eq!(post_run(&app, &host.client, &interview.id, &body).await.status(), StatusCode::ACCEPTED);

    set_controls(&app, &host, &interview.id, json!({"runs_disabled": false})).await;
    assert_eq!(post_run(&app, &candidate.client, &interview.id, &body).await.status(), StatusCode::ACCEPTED);
}

async fn after_the_end_interviewers_write_the_notes_but_nobody_the_code(app: TestApp) {
    let (host, _candidate, interview) = live_interview(&app).await;
    let id = interview.id.clone();
    // Both documents are live when the interview ends (the end must freeze only the code).
    let mut notes = DocClient::open(&app, &id, "notes", &host.cookie).await;
    let mut code = DocClient::open(&app, &id, "code", &host.cookie).await;
    notes.type_at_end("during. ").await;
    code.type_at_end("code").await;
    notes.sync().await;
    code.sync().await;

    let ended = app.post_json(&host.client, &format!("/api/interviews/{id}/end"), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    notes.type_at_end("after.").await;
    code.type_at_end(" edited").await;
    notes.sync().await;
    code.sync().await;
    assert_eq!(read(&app, &id, "notes", &host.cookie).await, "during. after.");
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "code");

    // Also when the documents load afresh after the end.
    let app = app.restart_with(|_| {}).await;
    let mut notes = DocClient::open(&app, &id, "notes", &host.cookie).await;
    let mut code = DocClient::open(&app, &id, "code", &host.cookie).await;
    notes.type_at_end(" Later.").await;
    code.type_at_end(" later").await;
    notes.sync().await;
    code.sync().await;
    assert_eq!(read(&app, &id, "notes", &host.cookie).await, "during. after. Later.");
    assert_eq!(read(&app, &id, "code", &host.cookie).await, "code");
}
