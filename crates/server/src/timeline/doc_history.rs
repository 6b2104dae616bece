//! The timeline's events that only the documents' history knows: `language_changed` (the code
//! document's `meta.language`) and `note_edited` (bursts of one author's notes edits).

use uuid::Uuid;

use super::event::TimelineEvent;
use crate::error::AppResult;
use crate::state::AppState;

/// The interview's language changes and notes bursts, from its documents' history.
// TODO(merge): with HISTORY's `crate::history`: load each document's history with
// `crate::history::load_history(...)` and map `crate::history::derive::language_changes` to
// `TimelineDetail::LanguageChanged` and `crate::history::derive::note_bursts` to
// `TimelineDetail::NoteEdited { until, edits }` (the burst's author as `participant_id`).
pub async fn doc_history_events(_state: &AppState, _interview_id: Uuid) -> AppResult<Vec<TimelineEvent>> {
    Ok(Vec::new())
}
