//! Why a connection's input was refused. These never describe a server fault: each one is
//! the client's doing, and the usual consequence is closing that one connection.

use thiserror::Error;

/// A refused frame or message from one connection.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    /// The connection id was never `connect`ed to this live document (or already disconnected).
    #[error("unknown connection")]
    UnknownConnection,
    /// The frame is larger than [`crate::Limits::max_frame_bytes`].
    #[error("frame of {len} bytes exceeds the limit of {max}")]
    FrameTooLarge { len: usize, max: usize },
    /// A document update is larger than [`crate::Limits::max_update_bytes`].
    #[error("update of {len} bytes exceeds the limit of {max}")]
    UpdateTooLarge { len: usize, max: usize },
    /// Accepting the update would grow the document past [`crate::Limits::max_doc_bytes`].
    #[error("document would exceed {max} bytes")]
    DocTooLarge { max: usize },
    /// The bytes are not a y-websocket message (or declare impossible sizes).
    #[error("malformed message: {0}")]
    Malformed(String),
    /// The update decoded but could not be integrated, or it broke the document (a panic
    /// inside yrs); the live document rolled back to its last good state.
    #[error("rejected update: {0}")]
    RejectedUpdate(String),
}
