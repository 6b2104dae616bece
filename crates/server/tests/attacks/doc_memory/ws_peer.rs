//! y-websocket peers for the document attacks, built on tokio-tungstenite and yrs: a socket
//! opened from a chosen loopback address (so per-address caps can be exercised from one
//! machine), the frames a joiner sends, and a reading peer that keeps a real yrs document.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message as WsMessage};

pub type Socket = WebSocketStream<TcpStream>;

/// Kernel receive buffer of a joiner that never reads: small, so what the server sends piles
/// up on the server's side (as with a real slow client far away).
const STALLED_RECEIVE_BUFFER: u32 = 4096;

/// Why a socket could not be opened: the server's HTTP answer (status 0: none at all).
#[derive(Debug)]
pub struct Refusal {
    pub status: u16,
    pub body: String,
}

/// Opens `/ws/yjs/{interview}/code` as the owner of `token`, from the loopback address `from`.
pub async fn open(
    server: SocketAddr,
    from: Ipv4Addr,
    interview: &str,
    token: &str,
    stalled: bool,
) -> Result<Socket, Refusal> {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.bind(SocketAddr::from((from, 0))).expect("binding a loopback source address");
    if stalled {
        socket.set_recv_buffer_size(STALLED_RECEIVE_BUFFER).expect("SO_RCVBUF");
    }
    let stream = socket.connect(server).await.map_err(|err| Refusal { status: 0, body: err.to_string() })?;
    let url = format!("ws://{server}/ws/yjs/{interview}/code?token={token}");
    let config = WebSocketConfig::default().max_message_size(Some(64 << 20)).max_frame_size(Some(64 << 20));
    match tokio_tungstenite::client_async_with_config(url, stream, Some(config)).await {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => Err(Refusal {
            status: response.status().as_u16(),
            body: String::from_utf8_lossy(response.body().as_deref().unwrap_or_default()).into_owned(),
        }),
        Err(err) => Err(Refusal { status: 0, body: err.to_string() }),
    }
}

/// What the y-websocket provider sends first: SyncStep1 with an empty state vector.
pub fn empty_sync_step1() -> WsMessage {
    WsMessage::binary(Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1())
}

fn update_message(update: Vec<u8>) -> WsMessage {
    WsMessage::binary(Message::Sync(SyncMessage::Update(update)).encode_v1())
}

/// A peer that reads: its own yrs document, kept in step with the server.
pub struct Peer {
    pub socket: Socket,
    pub doc: Doc,
}

impl Peer {
    pub fn new(socket: Socket) -> Peer {
        Peer { socket, doc: Doc::new() }
    }

    pub fn text(&self) -> String {
        let txn = self.doc.transact();
        txn.get_text("code").map(|text| text.get_string(&txn)).unwrap_or_default()
    }

    /// Inserts `text` at `index` and sends the change as one update.
    pub async fn insert(&mut self, index: u32, text: &str) {
        let update = {
            let code = self.doc.get_or_insert_text("code");
            let mut txn = self.doc.transact_mut();
            code.insert(&mut txn, index, text);
            txn.encode_update_v1()
        };
        self.socket.send(update_message(update)).await.expect("sending an update");
    }

    /// Sends SyncStep1 and applies frames until the server's SyncStep2 has been applied.
    /// `Err` carries the close frame's code if the server closed the socket instead.
    pub async fn sync(&mut self) -> Result<(), Option<u16>> {
        let state_vector = self.doc.transact().state_vector();
        let step1 = Message::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
        self.socket.send(WsMessage::binary(step1)).await.map_err(|_| None)?;
        loop {
            if let Some(Message::Sync(SyncMessage::SyncStep2(update))) = self.next_message().await? {
                self.apply(&update);
                return Ok(());
            }
        }
    }

    /// Applies frames until `done` holds for the document.
    pub async fn until(&mut self, done: impl Fn(&Peer) -> bool) -> Result<(), Option<u16>> {
        while !done(self) {
            self.next_message().await?;
        }
        Ok(())
    }

    /// The next y-websocket message, applied to the document if it carries an update.
    async fn next_message(&mut self) -> Result<Option<Message>, Option<u16>> {
        match self.socket.next().await {
            Some(Ok(WsMessage::Binary(frame))) => {
                let message = Message::decode_v1(&frame).expect("a y-websocket message");
                if let Message::Sync(SyncMessage::Update(update) | SyncMessage::SyncStep2(update)) = &message {
                    self.apply(update);
                }
                Ok(Some(message))
            }
            Some(Ok(WsMessage::Close(frame))) => Err(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => Ok(None),
            Some(Err(_)) | None => Err(None),
        }
    }

    fn apply(&self, update: &[u8]) {
        let update = Update::decode_v1(update).expect("a v1 update");
        self.doc.transact_mut().apply_update(update).expect("applying an update");
    }
}

/// Builds a document of `total` characters in `pieces` updates of about `total / pieces`
/// (each under the server's 4 MiB frame limit) and sends them through `peer`, then waits
/// until the server has answered a sync after them, so they are stored and applied.
pub async fn upload_large_document(peer: &mut Peer, total: usize, pieces: usize) {
    let piece = "x".repeat(total / pieces);
    for _ in 0..pieces {
        let end = peer.text().len() as u32;
        peer.insert(end, &piece).await;
    }
    tokio::time::timeout(Duration::from_secs(30), peer.sync())
        .await
        .expect("the server answers after storing the document")
        .expect("the writer stays connected");
}
