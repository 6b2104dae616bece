//! Sans-IO collaborative live documents for CodeView: one [`LiveDoc`] owns one `yrs` document and
//! its awareness (cursors, names), speaks the stock y-websocket protocol, enforces per-connection
//! permissions, and treats every client byte as hostile. It takes frames in and hands back
//! [`Effects`] (frames to reply, frames to broadcast, updates to persist); the WebSocket adapter in
//! the server owns sockets, tasks and storage. See `docs/collab.md`.
//!
//! ```
//! use codeview_collab::{ConnId, ConnPermissions, DocKind, Identity, LiveDoc};
//!
//! let (mut doc, report) = LiveDoc::load(DocKind::Code, None, std::iter::empty());
//! assert!(report.is_clean());
//! let identity = Identity {
//!     participant_id: "p1".into(),
//!     name: "Ada".into(),
//!     role: "candidate".into(),
//!     color: "#2563eb".into(),
//! };
//! let conn = ConnId(1);
//! let first_frames = doc.connect(conn, ConnPermissions { can_write: true, shares_cursor: true, held_by_editor_lock: true, identity });
//! assert!(!first_frames.is_empty()); // SyncStep1 (+ awareness): send them first
//!
//! let frame: &[u8] = &[0, 0, 1, 0]; // what the browser sends: SyncStep1, empty state vector
//! let fx = doc.receive(conn, frame);
//! // 1. append fx.persist to the durable log, 2. send fx.reply to `conn` and fx.broadcast
//! // to everyone else, 3. close `conn` if fx.close is set.
//! assert!(fx.persist.is_empty() && fx.close.is_none());
//! assert_eq!(fx.reply.len(), 1); // SyncStep2
//! let _ = doc.disconnect(conn);
//! ```
//!
//! Module map:
//! - [`live_doc`]: the public `LiveDoc` driving everything below.
//! - `doc_state`: the document, its last verified full state, the joiner cache, recovery.
//! - `replay`: guarded apply, full-state verification, rebuild/load that skips poison.
//! - `inbound`: splits client frames into messages and refuses impossible sizes.
//! - `guard`: panic isolation around every yrs call that sees client bytes.
//! - `presence`: awareness ownership, identity binding (observers keep only `user`) and flood
//!   coalescing.
//! - `frames`: y-websocket frame builders (using yrs' encoder, not our own codec).
//! - `meta`: the shared `meta` map (the live document's language).
//! - `roots`: which root types a document may hold; which Y.Text holds which question's code.
#![forbid(unsafe_code)]

mod doc_state;
mod effects;
mod error;
mod frames;
mod guard;
mod inbound;
mod limits;
pub mod live_doc;
mod load_report;
mod meta;
mod presence;
mod replay;
mod roots;
mod types;

pub use effects::{CloseReason, Effects};
pub use error::ProtocolError;
pub use limits::Limits;
pub use live_doc::LiveDoc;
pub use load_report::{LoadReport, SkippedUpdate};
pub use meta::{read_language, read_text};
pub use roots::{CODE_TEXT, CODE_TEXT_PREFIX, NOTES_TEXT, allows_root, code_text_name, code_text_names};
pub use types::{ConnId, ConnPermissions, DocKind, Identity};

/// Re-exported so the adapter and tests use the exact yrs this crate was built against.
pub use yrs;
