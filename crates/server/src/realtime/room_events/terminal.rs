//! The vocabulary of the interactive terminal's room messages (`terminal_*`), shared by the
//! messages browsers send (`client_messages`) and the events they get (`RoomEvent`): what a
//! signal asks for, and why a terminal message was refused. The sessions themselves are
//! `crate::terminal`'s.

use serde::{Deserialize, Serialize};

/// Longest `terminal_input` text, in bytes of UTF-8.
pub const MAX_TERMINAL_INPUT_BYTES: usize = 4096;

/// What `terminal_signal` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminalSignal {
    /// Ctrl+C: SIGINT to the program's processes.
    Interrupt,
    /// Ctrl+D: end of input.
    Eof,
}

/// Why a terminal message was refused (`terminal_error`, to its sender only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminalErrorCode {
    /// An observer, or the interview is not live (or runs are paused for the candidate).
    NotAllowed,
    /// A session already runs in this interview.
    Busy,
    /// No such session, or it has ended.
    NotRunning,
    /// Over the sender's allowance of terminal messages or bytes.
    RateLimited,
    /// Malformed, too long, or nothing to run.
    Invalid,
    /// No sandbox, the language is unavailable, every terminal slot is taken, or (with several
    /// server instances) Redis or the instance running the session cannot be reached.
    Unavailable,
}
