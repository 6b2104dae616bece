//! Interview controls: what the interviewers allow the candidate in the room, stored with the
//! interview and enforced by the server (only interviewers change them, `policy`). The room's
//! clients apply them live when the `controls` room event arrives.

use serde::Serialize;
use utoipa::ToSchema;

/// The interview's controls, as stored and as every participant reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct InterviewControls {
    /// Whether the candidate's editor offers completions (suggestions, snippets, the
    /// TypeScript service's); interviewers and observers keep theirs.
    pub candidate_autocomplete: bool,
}

impl Default for InterviewControls {
    fn default() -> InterviewControls {
        InterviewControls { candidate_autocomplete: true }
    }
}
