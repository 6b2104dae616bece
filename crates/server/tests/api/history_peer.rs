//! A y-websocket peer for the history tests: a real yrs document that edits locally, sends its
//! changes while online, answers the server's sync (so edits made offline merge when it comes
//! back) and can be taken offline or pointed at a restarted server.

use std::time::Duration;

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, Map, ReadTxn, Transact, TransactionMut, Update, WriteTxn};
use futures_util::{SinkExt, StreamExt};
use reqwest::header::{COOKIE, HeaderValue};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::Socket;

/// How a peer proves who it is: a personal API token, or the candidate's session cookie.
#[derive(Debug, Clone)]
pub enum Credential {
    Token(String),
    Cookie(String),
}

pub struct HistoryPeer {
    doc: Doc,
    socket: Option<Socket>,
    interview: String,
    credential: Credential,
}

impl HistoryPeer {
    /// An offline peer of the interview's code document with an empty document.
    pub fn new(interview: &str, credential: Credential) -> HistoryPeer {
        HistoryPeer { doc: Doc::new(), socket: None, interview: interview.to_owned(), credential }
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    pub fn is_online(&self) -> bool {
        self.socket.is_some()
    }

    /// Opens the document on the server at `base` (`http://…`) and syncs both ways.
    pub async fn connect(&mut self, base: &str) {
        let mut url = format!("{}/ws/yjs/{}/code", base.replace("http://", "ws://"), self.interview);
        if let Credential::Token(token) = &self.credential {
            url.push_str(&format!("?token={token}"));
        }
        let mut request = url.into_client_request().unwrap();
        if let Credential::Cookie(cookie) = &self.credential {
            request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("document socket");
        self.socket = Some(socket);
        self.sync().await;
    }

    /// Drops the connection (the peer keeps its document and goes on editing offline).
    pub fn disconnect(&mut self) {
        self.socket = None;
    }

    /// Makes a change locally and, when online, sends it.
    pub async fn edit(&mut self, change: impl FnOnce(&Doc, &mut TransactionMut<'_>)) {
        let update = {
            let mut txn = self.doc.transact_mut();
            change(&self.doc, &mut txn);
            txn.encode_update_v1()
        };
        if let Some(socket) = &mut self.socket {
            let frame = Message::Sync(SyncMessage::Update(update)).encode_v1();
            socket.send(WsMessage::binary(frame)).await.expect("sending an update");
        }
    }

    /// Sends SyncStep1 and applies what arrives until the server's SyncStep2, answering the
    /// server's own SyncStep1 with what it lacks. When it returns, the peer has everything the
    /// server had stored when it read the SyncStep1 (the answer waits for the stores before it).
    pub async fn sync(&mut self) {
        let state_vector = self.doc.transact().state_vector();
        let socket = self.socket.as_mut().expect("online");
        let step1 = Message::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
        socket.send(WsMessage::binary(step1)).await.expect("sending SyncStep1");
        let doc = &self.doc;
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let frame = match socket.next().await {
                    Some(Ok(WsMessage::Binary(frame))) => frame,
                    Some(Ok(WsMessage::Close(frame))) => panic!("the server closed the document socket: {frame:?}"),
                    Some(Ok(_)) => continue,
                    other => panic!("the document socket failed: {other:?}"),
                };
                match Message::decode_v1(&frame).expect("a y-websocket message") {
                    Message::Sync(SyncMessage::SyncStep1(theirs)) => {
                        let missing = doc.transact().encode_state_as_update_v1(&theirs);
                        let answer = Message::Sync(SyncMessage::SyncStep2(missing)).encode_v1();
                        socket.send(WsMessage::binary(answer)).await.expect("answering SyncStep1");
                    }
                    Message::Sync(SyncMessage::SyncStep2(update)) => {
                        apply(doc, &update);
                        return;
                    }
                    Message::Sync(SyncMessage::Update(update)) => apply(doc, &update),
                    _ => {}
                }
            }
        })
        .await
        .expect("the server answers a sync");
    }

    /// The content of the Y.Text `name` ("" when the document has none).
    pub fn text(&self, name: &str) -> String {
        codeview_collab::read_text(&self.doc.transact(), name)
    }

    /// The language in `meta`, if set.
    pub fn language(&self) -> Option<String> {
        codeview_collab::read_language(&self.doc.transact())
    }
}

fn apply(doc: &Doc, update: &[u8]) {
    let update = Update::decode_v1(update).expect("a v1 update");
    doc.transact_mut().apply_update(update).expect("applying an update");
}

/// Sets `meta.language` (as the room's language selector does).
pub fn set_language(language: &'static str) -> impl FnOnce(&Doc, &mut TransactionMut<'_>) {
    move |_, txn| {
        let meta = txn.get_or_insert_map("meta");
        meta.insert(txn, "language", language);
    }
}
