//! What the adapter must do after handing a frame (or a connect, disconnect or tick) to a
//! live document. Frames are `Bytes` so one encoded update is shared by the log, every peer's queue and
//! the joiner cache without copies.
//!
//! Order matters for durability: append `persist` to the durable log and wait for the commit,
//! then send `reply` to the sender and `broadcast` to every *other* connection, then close the
//! sender if `close` is set. If `replace_log` is set, store it as the live document's snapshot and drop
//! the log written so far (the live document has removed poisoned updates from its state).

use bytes::Bytes;

use crate::error::ProtocolError;

/// Work for the adapter produced by one call into a [`crate::LiveDoc`].
#[derive(Debug, Default)]
#[must_use = "frames to send and updates to persist are lost if Effects are dropped"]
pub struct Effects {
    /// Frames for the connection that caused this call, in order.
    pub reply: Vec<Bytes>,
    /// Frames for every other connection of the live document (never echoed to the sender). For
    /// `tick` and `disconnect`, for every remaining connection.
    pub broadcast: Vec<Bytes>,
    /// Raw v1 updates to append to the durable log before `broadcast` is sent.
    pub persist: Vec<Bytes>,
    /// A full-state v1 update that replaces the live document's snapshot *and* its whole log.
    pub replace_log: Option<Bytes>,
    /// Close the sender after sending `reply` (it may reconnect and re-sync).
    pub close: Option<CloseReason>,
    /// Other connections to close: they sent updates the live document had to remove again.
    pub close_others: Vec<crate::ConnId>,
}

impl Effects {
    /// True when there is nothing to send, store or close.
    pub fn is_empty(&self) -> bool {
        self.reply.is_empty()
            && self.broadcast.is_empty()
            && self.persist.is_empty()
            && self.replace_log.is_none()
            && self.close.is_none()
            && self.close_others.is_empty()
    }

    /// Appends `other` after `self`, keeping the order of frames.
    pub fn merge(&mut self, other: Effects) {
        self.reply.extend(other.reply);
        self.broadcast.extend(other.broadcast);
        self.persist.extend(other.persist);
        if other.replace_log.is_some() {
            self.replace_log = other.replace_log;
        }
        if self.close.is_none() {
            self.close = other.close;
        }
        self.close_others.extend(other.close_others);
    }
}

/// Why the live document wants a connection closed; maps to a WebSocket close code in the adapter
/// (e.g. 1008 policy violation for `Protocol`, 1009 for too large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// The client sent something the protocol or the limits do not allow.
    Protocol(ProtocolError),
}
