//! A y-websocket peer for API tests that read or write a shared document: a real yrs document
//! kept in step with the server over `/ws/yjs/{interview}/{code|notes}`.

use std::time::Duration;

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, ReadTxn, Text, Transact, Update, WriteTxn};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::helpers::{Socket, TestApp};

pub struct DocPeer {
    socket: Socket,
    doc: Doc,
}

impl DocPeer {
    /// Opens the interview's code document as the owner of `token` and syncs with it.
    pub async fn open(app: &TestApp, interview: &str, token: &str) -> DocPeer {
        DocPeer::open_doc(app, interview, "code", token).await
    }

    /// Opens the interview's document `doc` (`code` or `notes`) as the owner of `token` and
    /// syncs with it.
    pub async fn open_doc(app: &TestApp, interview: &str, doc: &str, token: &str) -> DocPeer {
        let url = format!("{}/ws/yjs/{interview}/{doc}?token={token}", app.base.replace("http://", "ws://"));
        let (socket, _) = tokio_tungstenite::connect_async(url).await.expect("document socket");
        let mut peer = DocPeer { socket, doc: Doc::new() };
        peer.sync().await;
        peer
    }

    /// The content of the Y.Text `name` ("" when the document has none).
    pub fn text(&self, name: &str) -> String {
        let txn = self.doc.transact();
        txn.get_text(name).map(|text| text.get_string(&txn)).unwrap_or_default()
    }

    /// Appends `content` to the Y.Text `name`, sends the change, and waits until the server
    /// has answered a sync after it (so it is applied).
    pub async fn append(&mut self, name: &str, content: &str) {
        let update = {
            let mut txn = self.doc.transact_mut();
            let text = txn.get_or_insert_text(name);
            let end = text.len(&txn);
            text.insert(&mut txn, end, content);
            txn.encode_update_v1()
        };
        let frame = Message::Sync(SyncMessage::Update(update)).encode_v1();
        self.socket.send(WsMessage::binary(frame)).await.expect("sending an update");
        self.sync().await;
    }

    /// Sends SyncStep1 and applies what arrives until the server's SyncStep2.
    pub async fn sync(&mut self) {
        let state_vector = self.doc.transact().state_vector();
        let step1 = Message::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
        self.socket.send(WsMessage::binary(step1)).await.expect("sending SyncStep1");
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let frame = match self.socket.next().await {
                    Some(Ok(WsMessage::Binary(frame))) => frame,
                    Some(Ok(WsMessage::Close(frame))) => panic!("the server closed the document socket: {frame:?}"),
                    Some(Ok(_)) => continue,
                    other => panic!("the document socket failed: {other:?}"),
                };
                match Message::decode_v1(&frame).expect("a y-websocket message") {
                    Message::Sync(SyncMessage::SyncStep2(update)) => {
                        self.apply(&update);
                        return;
                    }
                    Message::Sync(SyncMessage::Update(update)) => self.apply(&update),
                    _ => {}
                }
            }
        })
        .await
        .expect("the server answers a sync");
    }

    fn apply(&self, update: &[u8]) {
        let update = Update::decode_v1(update).expect("a v1 update");
        self.doc.transact_mut().apply_update(update).expect("applying an update");
    }
}
