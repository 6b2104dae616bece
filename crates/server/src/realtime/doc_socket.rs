//! `GET /ws/yjs/{interview_id}/{code|notes}`: the y-websocket endpoint.
//!
//! Everything is decided before the upgrade (refusals are plain HTTP 401/403/404): who the
//! caller is, that the `Origin` is ours, and what the caller may do with this document —
//! host and co-interviewers write both documents; the candidate writes the code while the
//! interview is live (unless the interviewers lock their editor: their updates are then
//! dropped, `held_by_editor_lock`) and never sees the notes; observers read the code only; an
//! ended interview makes the code read-only for everyone (the notes stay writable). Observers' cursors and selections are
//! never shown (`shares_cursor`: the live document keeps only who they are). A participant may hold a few sockets per
//! document, an address a few dozen (`socket_caps`; past them 429 `too_many_sockets`). After
//! the upgrade, the socket loop only moves bytes: client frames to the live document, the live document's
//! outbox to the client (large messages in fragments sliced from the shared frame), pings
//! both ways, and closes (4401/4403) when the caller's credential or right is gone
//! (`revocations`).

use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use codeview_collab::{ConnPermissions, DocKind, Identity};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};
use uuid::Uuid;

use super::live_docs::{DocKey, RoomLink, RoomSetup};
use super::outbox::{OutboxReceiver, Outgoing, outbox};
use super::revocations::SocketRights;
use super::ws_auth::{check_origin, register_socket, socket_caller};
use super::ws_upgrade::{DocWebSocket, WsUpgrade};
use crate::auth::interview_access;
use crate::domain::policy::{DocAccess, document_access, held_by_editor_lock, shares_cursor};
use crate::error::{AppError, AppResult};
use crate::extract::ClientAddress;
use crate::extract::MaybeAuthenticated;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// Largest WebSocket message or frame accepted from a client.
const MAX_MESSAGE_BYTES: usize = 4 << 20;
/// Initial read buffer per socket (it grows for larger frames). Edits and cursor moves are
/// tens to hundreds of bytes, and every open socket holds one: the main per-document cost.
const READ_BUFFER_BYTES: usize = 1024;
/// How often the server pings; a peer silent for `DEAD_AFTER` is dropped.
const PING_EVERY: Duration = Duration::from_secs(20);
const DEAD_AFTER: Duration = Duration::from_secs(60);
/// A peer that takes longer than this to accept what is queued for it is dropped.
const WRITE_STALL_LIMIT: Duration = Duration::from_secs(15);
/// Larger messages go out as fragments of this size, each a slice of the frame the live document
/// shares between sockets: tungstenite copies what it sends into the socket's write buffer,
/// and that buffer never shrinks, so whole messages would leave a document state's copy in
/// every socket that received one (and in every stalled one).
const SEND_FRAGMENT_BYTES: usize = 64 << 10;
/// Bytes tungstenite may hold for a peer: it takes a frame only once the previous one is
/// written, so one fragment and a control frame or two.
const MAX_WRITE_BUFFER_BYTES: usize = 4 * SEND_FRAGMENT_BYTES;

type DocSink = SplitSink<DocWebSocket, Message>;

#[derive(Debug, Deserialize)]
pub struct SocketQuery {
    /// A personal API token, for clients that cannot send cookies.
    pub token: Option<String>,
}

pub async fn open_doc_socket(
    State(state): State<AppState>,
    MaybeAuthenticated(cookie_caller): MaybeAuthenticated,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiPath((interview_id, doc)): ApiPath<(Uuid, String)>,
    ApiQuery(query): ApiQuery<SocketQuery>,
    upgrade: WsUpgrade,
) -> AppResult<Response> {
    check_origin(&state, &headers)?;
    let kind = DocKind::from_name(&doc).ok_or(AppError::NotFound("document"))?;
    let auth = socket_caller(&state, cookie_caller, query.token.as_deref()).await?;
    let access = interview_access(&state, &auth.caller, interview_id).await?;
    let can_write = document_access(kind, access.role(), access.status())? == DocAccess::ReadWrite;
    let key = DocKey { interview_id, kind };
    state.live_docs.admit(key, access.interview.created_by, &state.quotas).await?;
    let slot = state.live_docs.open_socket(key, access.participant.id, client)?;
    // Registered once the cheap refusals are past: a refused client costs the hub nothing.
    let rights = register_socket(&state, &access, auth.credential);
    let participant = access.participant;
    let perms = ConnPermissions {
        can_write,
        shares_cursor: shares_cursor(participant.role),
        held_by_editor_lock: held_by_editor_lock(participant.role),
        identity: Identity {
            color: color_for(&participant.id),
            participant_id: participant.id.to_string(),
            name: participant.name,
            role: participant.role.as_str().to_owned(),
        },
    };
    let setup = RoomSetup { owner: access.interview.created_by, language: access.interview.language };
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES);
    Ok(upgrade.on_upgrade(config, move |socket| async move {
        let _slot = slot;
        let _open = super::open_sockets::OpenSocket::count("doc");
        let (outbox, inbox) = outbox();
        match state.live_docs.join(key, setup, perms, outbox).await {
            Ok(link) => run_socket(socket, link, inbox, rights).await,
            Err((code, reason)) => close(socket, code, reason).await,
        }
    }))
}

async fn run_socket(socket: DocWebSocket, link: RoomLink, mut outbox: OutboxReceiver, mut rights: SocketRights) {
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut last_heard = Instant::now();
    let close_with = loop {
        tokio::select! {
            biased;
            revoked = rights.revoked() => break Some((revoked.code, revoked.reason)),
            incoming = stream.next() => {
                last_heard = Instant::now();
                match incoming {
                    Some(Ok(Message::Binary(frame))) => {
                        if !link.send(frame).await {
                            break Some((1011, "document unavailable"));
                        }
                    }
                    Some(Ok(Message::Text(_))) => break Some((1003, "binary frames only")),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break None,
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                }
            }
            outgoing = outbox.recv() => {
                let Some(first) = outgoing else { break Some((1013, "too slow; reconnect")) };
                // A peer that stops reading must not hold this task (and its buffers) forever.
                match tokio::time::timeout(WRITE_STALL_LIMIT, send_queued(&mut sink, first, &mut outbox)).await {
                    Ok(Ok(None)) => {}
                    Ok(Ok(Some(close))) => break Some(close),
                    Ok(Err(())) => break None,
                    Err(_) => {
                        metrics::counter!("codeview_doc_connections_closed_total", "reason" => "write stalled").increment(1);
                        break None;
                    }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > DEAD_AFTER {
                    break Some((1001, "no answer to pings"));
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break None;
                }
            }
        }
    };
    link.leave().await;
    if let Some((code, reason)) = close_with {
        let _ = sink.send(close_message(code, reason)).await;
    }
}

fn close_message(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code: code.into(), reason: reason.into() }))
}

/// Sends `first` and everything else queued, then flushes once (fewer syscalls under load).
/// Returns the close the live document asked for, if any; `Err` when the socket failed.
async fn send_queued(
    sink: &mut DocSink,
    first: Outgoing,
    outbox: &mut OutboxReceiver,
) -> Result<Option<(u16, &'static str)>, ()> {
    let mut next = Some(first);
    let mut closing = None;
    while let Some(item) = next.take() {
        match item {
            Outgoing::Frame(frame) => {
                let len = frame.len();
                feed_message(sink, frame).await.map_err(|_| ())?;
                outbox.written(len);
            }
            Outgoing::Close(code, reason) => {
                closing = Some((code, reason));
                break;
            }
        }
        next = outbox.try_recv().ok();
    }
    sink.flush().await.map_err(|_| ())?;
    Ok(closing)
}

/// Feeds one binary message, in fragments of `SEND_FRAGMENT_BYTES` when larger (slices of
/// `frame`, not copies; the peer's WebSocket reassembles them into one message).
async fn feed_message(sink: &mut DocSink, mut frame: Bytes) -> Result<(), tungstenite::Error> {
    if frame.len() <= SEND_FRAGMENT_BYTES {
        return sink.feed(Message::Binary(frame)).await;
    }
    let mut opcode = OpCode::Data(Data::Binary);
    while !frame.is_empty() {
        let fragment = frame.split_to(frame.len().min(SEND_FRAGMENT_BYTES));
        sink.feed(Message::Frame(Frame::message(fragment, opcode, frame.is_empty()))).await?;
        opcode = OpCode::Data(Data::Continue);
    }
    Ok(())
}

async fn close(mut socket: DocWebSocket, code: u16, reason: &'static str) {
    let _ = socket.send(close_message(code, reason)).await;
}

/// A stable cursor colour per participant, from a palette readable on light and dark themes.
fn color_for(id: &Uuid) -> String {
    const PALETTE: [&str; 10] =
        ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#ea580c", "#4f46e5"];
    let index = id.as_bytes().iter().fold(0usize, |acc, b| acc.wrapping_mul(31).wrapping_add(*b as usize));
    PALETTE[index % PALETTE.len()].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_document_fits_in_an_outbox_and_fragments_in_the_write_buffer() {
        let limits = codeview_collab::Limits::default();
        assert!(super::super::outbox::MAX_UNSENT_BYTES >= limits.max_doc_bytes + MAX_MESSAGE_BYTES);
        assert!(MAX_MESSAGE_BYTES >= limits.max_frame_bytes);
    }
}
