//! The timeline's events that only the documents' history knows: `language_changed` (the code
//! document's `meta.language`) and `note_edited` (bursts of one author's notes edits).
//!
//! Deriving them replays the code's whole history, and the replay page of a live interview
//! asks for the timeline every few seconds: what was derived is kept per interview
//! (`derived`) and fed only the entries that came since (`after_seq`).

use codeview_collab::DocKind;
use uuid::Uuid;

use super::derived::KEPT_CODE_BYTES;
use super::event::TimelineEvent;
use crate::error::AppResult;
use crate::history::reading::{load, replay};
use crate::state::AppState;

/// The interview's language changes and notes bursts, from its documents' history.
pub async fn doc_history_events(state: &AppState, interview_id: Uuid) -> AppResult<Vec<TimelineEvent>> {
    let cache = &state.timeline.derived;
    let mut derived = cache.take(interview_id).lock_owned().await;
    let code = load(state, interview_id, DocKind::Code, derived.code_seq).await?;
    let notes = load(state, interview_id, DocKind::Notes, derived.notes_seq).await?;
    let (events, code_bytes) = replay(move || {
        derived.feed(&code, &notes);
        (derived.events(), derived.code_bytes)
    })
    .await?;
    if code_bytes > KEPT_CODE_BYTES {
        cache.forget(interview_id);
    }
    Ok(events)
}
