//! Interview controls: what the interviewers allow the candidate in the room, stored with the
//! interview and enforced by the server (only interviewers change them, `policy`). The room's
//! clients apply them live when the `controls` room event arrives.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The interview's controls, as stored and as every participant reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct InterviewControls {
    /// Whether the candidate's editor offers completions (suggestions, snippets, the
    /// TypeScript service's); interviewers and observers keep theirs.
    pub candidate_autocomplete: bool,
    /// The question the room shows and edits (its prompt, its code); null: the first one.
    pub active_question_id: Option<Uuid>,
    /// Whether the candidate's editor is locked: the server drops their document updates to
    /// the code (like an observer's) while their cursor is still shown.
    pub editor_locked: bool,
    /// Whether running code is paused for the candidate (`403 runs_disabled`); interviewers
    /// still run.
    pub runs_disabled: bool,
    /// Whether the server ends the live interview by itself once `started_at +
    /// duration_minutes` has passed (`auto_end`).
    pub auto_end: bool,
}

impl Default for InterviewControls {
    fn default() -> InterviewControls {
        InterviewControls {
            candidate_autocomplete: true,
            active_question_id: None,
            editor_locked: false,
            runs_disabled: false,
            auto_end: false,
        }
    }
}

impl InterviewControls {
    /// The active question among the interview's `question_ids` (in order): the chosen one
    /// while it is still one of them, else the first; none for an interview without questions.
    pub fn active_question(&self, question_ids: &[Uuid]) -> Option<Uuid> {
        self.active_question_id.filter(|id| question_ids.contains(id)).or_else(|| question_ids.first().copied())
    }
}
