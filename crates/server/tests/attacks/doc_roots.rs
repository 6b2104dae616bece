//! Root types: a participant who may write the code document sends updates creating root
//! types the document does not have (another name, a `code:` text that is no question id, the
//! notes' text). Each root would stay in the document for good, and in every joiner's state:
//! the server refuses the frame like any hostile update (close 1008), stores nothing of it,
//! and the document's own texts still work for the next writer.

use std::time::Duration;

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, Text, Transact, WriteTxn};
use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::fixtures::create_interview;
use crate::helpers::TestApp;
use crate::support::{SocketAuth, close_code, open_socket, register, still_open};

crate::on_both_backends!(a_frame_creating_another_root_type_is_refused_and_not_stored);

/// An update frame writing `content` into the root text `name`.
fn text_frame(name: &str, content: &str) -> WsMessage {
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    let text = txn.get_or_insert_text(name);
    text.insert(&mut txn, 0, content);
    WsMessage::binary(Message::Sync(SyncMessage::Update(txn.encode_update_v1())).encode_v1())
}

async fn a_frame_creating_another_root_type_is_refused_and_not_stored(app: TestApp) {
    let host = register(&app, "host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host.client, json!({"title": "Roots"})).await;
    let path = format!("/ws/yjs/{}/code", interview.id);
    for name in ["list", "code:../../etc", "code:00000000-0000-0000-0000-00000000000G", "notes"] {
        let mut socket = open_socket(&app, &path, SocketAuth::Cookie(&host.cookie)).await;
        socket.send(text_frame(name, "junk")).await.unwrap();
        assert_eq!(close_code(&mut socket, Duration::from_secs(2)).await, 1008, "{name}");
    }
    // The document's own texts are still writable, and only they were stored.
    let mut socket = open_socket(&app, &path, SocketAuth::Cookie(&host.cookie)).await;
    socket.send(text_frame("code:00000000-0000-0000-0000-00000000000a", "fine")).await.unwrap();
    assert!(still_open(&mut socket, Duration::from_millis(500)).await, "a question's text is accepted");
    drop(socket);
    let store = codeview::db::connect(&app.database_url).await.expect("store");
    let id = interview.id.parse().unwrap();
    let stored = store.load_document(id, "code").await.unwrap();
    let (doc, report) = codeview_collab::LiveDoc::load(
        codeview_collab::DocKind::Code,
        stored.snapshot.as_deref(),
        stored.updates.iter().map(|update| update.data.as_slice()),
    );
    assert!(report.is_clean());
    assert_eq!(doc.named_text("code:00000000-0000-0000-0000-00000000000a"), "fine");
    for name in ["list", "notes", "code:../../etc"] {
        assert_eq!(doc.named_text(name), "", "{name} was not stored");
    }
}
