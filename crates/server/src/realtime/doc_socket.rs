//! `GET /ws/yjs/{interview_id}/{code|notes}`: the y-websocket endpoint.
//!
//! Everything is decided before the upgrade (refusals are plain HTTP 401/403/404): who the
//! caller is, that the `Origin` is ours, and what the caller may do with this document —
//! host and co-interviewers write both documents; the candidate writes the code while the
//! interview is live and never sees the notes; observers read the code only; an ended
//! interview makes the code read-only for everyone. After the upgrade, the socket loop only
//! moves bytes: client frames to the room, the room's outbox to the client, pings both ways,
//! and closes (4401/4403) when the caller's credential or right is gone (`revocations`).

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use codeview_collab::{ConnPermissions, DocKind, Identity};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::Instant;
use uuid::Uuid;

use super::doc_rooms::{DocKey, OUTBOX_CAPACITY, Outgoing, RoomLink, RoomSetup};
use super::revocations::SocketRights;
use super::ws_auth::{check_origin, register_socket, socket_caller};
use crate::app::AppState;
use crate::auth::{MaybeAuthenticated, interview_access};
use crate::domain::{InterviewStatus, Role};
use crate::error::{AppError, AppResult};
use crate::http::extract::{ApiPath, ApiQuery};

/// Largest WebSocket message or frame accepted from a client.
const MAX_MESSAGE_BYTES: usize = 4 << 20;
/// Initial read buffer per socket (it grows for larger frames). Edits and cursor moves are
/// tens to hundreds of bytes, and every open socket holds one: the main per-room cost.
const READ_BUFFER_BYTES: usize = 1024;
/// How often the server pings; a peer silent for `DEAD_AFTER` is dropped.
const PING_EVERY: Duration = Duration::from_secs(20);
const DEAD_AFTER: Duration = Duration::from_secs(60);
/// A peer that takes longer than this to accept what is queued for it is dropped.
const WRITE_STALL_LIMIT: Duration = Duration::from_secs(15);
/// Bytes tungstenite may hold for a peer that is not reading: the frames the room may queue
/// (`OUTBOX_CAPACITY`) are bounded by count, this bounds them by size. A joiner's first
/// frame holds the whole document (up to the room's `max_doc_bytes`), so it must fit.
const MAX_WRITE_BUFFER_BYTES: usize = (16 << 20) + 2 * MAX_MESSAGE_BYTES;

#[derive(Debug, Deserialize)]
pub struct SocketQuery {
    /// A personal API token, for clients that cannot send cookies.
    pub token: Option<String>,
}

pub async fn open_doc_socket(
    State(state): State<AppState>,
    MaybeAuthenticated(cookie_caller): MaybeAuthenticated,
    headers: HeaderMap,
    ApiPath((interview_id, doc)): ApiPath<(Uuid, String)>,
    ApiQuery(query): ApiQuery<SocketQuery>,
    upgrade: WebSocketUpgrade,
) -> AppResult<Response> {
    check_origin(&state, &headers)?;
    let kind = match doc.as_str() {
        "code" => DocKind::Code,
        "notes" => DocKind::Notes,
        _ => return Err(AppError::NotFound("document")),
    };
    let auth = socket_caller(&state, cookie_caller, query.token.as_deref()).await?;
    let access = interview_access(&state, &auth.caller, interview_id).await?;
    let ended = access.status == InterviewStatus::Ended;
    let can_write = match (kind, access.role) {
        (DocKind::Notes, Role::Host | Role::Interviewer) => !ended,
        (DocKind::Notes, _) => return Err(AppError::Forbidden("read the interviewers' notes")),
        (DocKind::Code, Role::Host | Role::Interviewer) => !ended,
        (DocKind::Code, Role::Candidate) if access.status == InterviewStatus::Live => true,
        (DocKind::Code, Role::Candidate) => {
            return Err(AppError::ForbiddenWithCode {
                code: "interview_not_started",
                message: "The interview has not started yet.".into(),
            });
        }
        (DocKind::Code, Role::Observer) => false,
    };
    let rights = register_socket(&state, &access, auth.credential);
    let participant = access.participant;
    let perms = ConnPermissions {
        can_write,
        identity: Identity {
            color: color_for(&participant.id),
            participant_id: participant.id.to_string(),
            name: participant.name,
            role: access.role.as_str().to_owned(),
        },
    };
    let setup = RoomSetup { language: access.interview.language, read_only: ended };
    let is_candidate = access.role == Role::Candidate;
    let key = DocKey { interview_id, kind };
    Ok(upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            let (outbox, inbox) = mpsc::channel(OUTBOX_CAPACITY);
            match state.doc_rooms.join(key, setup, perms, is_candidate, outbox).await {
                Some(link) => run_socket(socket, link, inbox, rights).await,
                None => close(socket, 1011, "document unavailable").await,
            }
        }))
}

async fn run_socket(socket: WebSocket, link: RoomLink, mut outbox: mpsc::Receiver<Outgoing>, mut rights: SocketRights) {
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
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
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
        let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
    }
}

/// Sends `first` and everything else queued, then flushes once (fewer syscalls under load).
/// Returns the close the room asked for, if any; `Err` when the socket failed.
async fn send_queued(
    sink: &mut SplitSink<WebSocket, Message>,
    first: Outgoing,
    outbox: &mut mpsc::Receiver<Outgoing>,
) -> Result<Option<(u16, &'static str)>, ()> {
    let mut next = Some(first);
    let mut closing = None;
    while let Some(item) = next.take() {
        match item {
            Outgoing::Frame(frame) => sink.feed(Message::Binary(frame)).await.map_err(|_| ())?,
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

async fn close(mut socket: WebSocket, code: u16, reason: &'static str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
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
    fn the_largest_document_fits_in_a_write_buffer() {
        let limits = codeview_collab::Limits::default();
        assert!(MAX_WRITE_BUFFER_BYTES >= limits.max_doc_bytes + MAX_MESSAGE_BYTES);
        assert!(MAX_MESSAGE_BYTES >= limits.max_frame_bytes);
    }
}
