//! Real-time adapters: WebSocket endpoints around the sans-IO cores.
//!
//! - `live_docs`: one task per live document owning a `codeview_collab::LiveDoc`, its update
//!   log in the store, and the outboxes of its connections.
//! - `doc_relay`: live documents across instances sharing Redis and PostgreSQL — one owner
//!   per document (a Redis lease, a fence in the store), other instances' sockets relayed to it.
//! - `doc_socket`: `/ws/yjs/{interview_id}/{code|notes}` — authentication and role checks
//!   before the upgrade, then the socket loop (frames in, outbox out, ping/pong).
//! - `outbox`, `send_budget`, `socket_caps`: what bounds the memory of document sockets —
//!   bytes queued per connection, large frames in flight per live document and process, sockets per
//!   participant and address.
//! - `ws_upgrade`: the document sockets' own upgrade, so large messages go out in fragments.
//! - `update_log`: the group-commit writer every live document appends its updates through.
//! - `large_inserts`: the candidate's code updates that insert many characters at once.
//! - `room_events`: the room-event hub (run output, interview status) per interview, its
//!   Redis fan-out to the other processes, presence (who has the room open) and the video
//!   call's roster; `room_socket`: `/ws/rooms/{interview_id}`, which streams those events to
//!   one participant and makes them present while it is open, and takes the call's messages
//!   (`call_seat`: the socket's place in the call; `sdp_media`: what a description sends;
//!   `message_rate`: how many messages a socket may send; `terminal_seat`: the socket's use
//!   of the interactive terminal, `crate::terminal`).
//! - `room_cluster`: with Redis, the room's presence and terminal across server instances.
//! - `ws_auth`: the caller of a socket (cookie or `?token=`) and the `Origin` check.
//! - `revocations`: closes open sockets (4401/4403) when their credential or right is gone.
//! - `open_sockets`: the gauge of the sockets this process holds, by kind.

pub mod call_seat;
pub mod doc_relay;
pub mod doc_socket;
pub mod large_inserts;
pub mod live_docs;
pub mod live_usage;
pub mod message_rate;
pub mod open_sockets;
pub mod outbox;
pub mod revocations;
pub mod room_cluster;
pub mod room_events;
pub mod room_socket;
pub mod sdp_media;
pub mod send_budget;
pub mod shared_usage;
pub mod socket_caps;
pub mod terminal_seat;
pub mod types;
pub mod update_log;
pub mod ws_auth;
pub mod ws_upgrade;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub use live_docs::LiveDocs;
pub use revocations::Revocations;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ws/yjs/{interview_id}/{doc}", get(doc_socket::open_doc_socket))
        .route("/ws/rooms/{interview_id}", get(room_socket::open_room_socket))
}
