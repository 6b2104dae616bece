//! Names the realtime modules share, kept in a leaf so that the live-document live documents, their
//! log, their quotas and the socket caps can all use them without depending on each other.

use codeview_collab::DocKind;
use uuid::Uuid;

/// A live document's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocKey {
    pub interview_id: Uuid,
    pub kind: DocKind,
}

impl DocKey {
    pub fn doc_name(&self) -> &'static str {
        self.kind.text_name()
    }
}
