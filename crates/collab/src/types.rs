//! Small value types shared by the live document API: which document a live document holds, who a connection
//! is, and what it may do. The server builds these from its authenticated session; this crate
//! trusts them and nothing the client says about itself.

/// Which of an interview's two documents a live document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// The shared code: one Y.Text per question (`"code"` for the first, `"code:{id}"` for the
    /// others, see [`crate::code_text_name`]) plus Y.Map `"meta"` (language).
    Code,
    /// The interviewers' private notes: Y.Text `"notes"`.
    Notes,
}

impl DocKind {
    /// Name of the document (`/ws/yjs/{id}/{name}`) and of its main root Y.Text (the first
    /// question's code, or the notes).
    pub const fn text_name(self) -> &'static str {
        match self {
            DocKind::Code => "code",
            DocKind::Notes => "notes",
        }
    }

    /// The document named `name` (its root Y.Text's name, as in `/ws/yjs/{id}/{name}`).
    pub fn from_name(name: &str) -> Option<DocKind> {
        [DocKind::Code, DocKind::Notes].into_iter().find(|kind| kind.text_name() == name)
    }
}

/// Identifier the adapter gives each socket; unique within a live document for the live document's lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// The authenticated participant behind a connection, as shown to others in awareness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Stable participant (or user) id; two sockets with the same id are the same person
    /// reconnecting, which matters when awareness client ids move between sockets.
    pub participant_id: String,
    /// Display name shown on the remote cursor.
    pub name: String,
    /// Role label (`host`, `interviewer`, `candidate`, `observer`).
    pub role: String,
    /// Cursor colour, e.g. `#e11d48`.
    pub color: String,
}

/// What one connection may do in a live document, fixed when it connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnPermissions {
    /// Whether document updates from this connection may reach the document. Read-only
    /// connections still sync (step 1) and share awareness.
    pub can_write: bool,
    /// Whether others see this connection's cursor and selection. When false (observers),
    /// every awareness state it sends is cut down to the server's `user` before it is stored
    /// or relayed: people see who is watching, never where they click or what they select.
    pub shares_cursor: bool,
    /// Whether the document's editor lock (`LiveDoc::set_editor_locked`) holds back this
    /// connection's document updates (the candidate's); its awareness still flows.
    pub held_by_editor_lock: bool,
    /// Who this connection is; overrides whatever `user` the client puts in awareness.
    pub identity: Identity,
}
