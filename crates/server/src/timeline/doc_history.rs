//! The timeline's events that only the documents' history knows: `language_changed` (the code
//! document's `meta.language`) and `note_edited` (bursts of one author's notes edits).

use codeview_collab::DocKind;
use uuid::Uuid;

use super::event::{TimelineDetail, TimelineEvent};
use crate::domain::Language;
use crate::error::AppResult;
use crate::history::derive::{language_changes, note_bursts};
use crate::history::reading::{load, replay};
use crate::state::AppState;

/// The interview's language changes and notes bursts, from its documents' history.
pub async fn doc_history_events(state: &AppState, interview_id: Uuid) -> AppResult<Vec<TimelineEvent>> {
    let code = load(state, interview_id, DocKind::Code, 0).await?;
    let notes = load(state, interview_id, DocKind::Notes, 0).await?;
    replay(move || {
        // The first is the language the document started in (the interview's), not a change.
        let languages = language_changes(&code).into_iter().skip(1).filter_map(|change| {
            // A language no runner knows (a hostile client can write any) is not a change.
            let language = Language::parse(&change.language).ok()?;
            let detail = TimelineDetail::LanguageChanged { language };
            Some(TimelineEvent { at: change.at, participant_id: change.participant_id, detail })
        });
        let edits = note_bursts(&notes).into_iter().map(|burst| TimelineEvent {
            at: burst.at,
            participant_id: burst.participant_id,
            detail: TimelineDetail::NoteEdited {
                until: burst.until,
                edits: u32::try_from(burst.edits).unwrap_or(u32::MAX),
            },
        });
        languages.chain(edits).collect()
    })
    .await
}
