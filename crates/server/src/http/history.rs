//! The documents' history, for the host and co-interviewers (candidates and observers 403,
//! strangers 404), in any status, live included:
//!
//! - `GET /api/interviews/{id}/history/{doc}?at=<RFC 3339 | unix ms>[&question=<uuid>]`: the
//!   exact text of `code` or `notes` at that instant (every update the server accepted at or
//!   before it, at millisecond precision), and the code's language then. For the code, the
//!   text of the question active at that instant (`?question=` chooses another).
//! - `GET /api/interviews/{id}/history/{doc}/entries[?after_seq=N]`: every update (after the
//!   N-th) with its time and author, in order (the replay page applies them itself, and while
//!   the interview is live asks for the new ones only).
//!
//! Loading and replaying run on the blocking pool, a few at a time (`history::reading`).

use axum::Json;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use codeview_collab::DocKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::interview_access;
use crate::domain::{InterviewControls, Language, policy};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiPath, ApiQuery, Caller};
use crate::history::reading::{load, replay};
use crate::history::{from_ms, text_at, to_ms, truncate_to_ms};
use crate::state::AppState;
use crate::timeline::event::TimelineDetail;

/// The longest `at` accepted (an RFC 3339 time with nanoseconds and an offset is 35).
const MAX_AT_CHARS: usize = 40;
/// Unix milliseconds have at most this many digits (until the year 33658).
const MAX_MS_DIGITS: usize = 15;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_history_text)).routes(routes!(get_history_entries))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The instant: an RFC 3339 time (`2026-12-06T08:00:00.123Z`) or Unix milliseconds.
    at: Option<String>,
    /// `code` only: the question whose text to give, instead of the one active at `at`.
    question: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// Only the updates numbered after this one (default 0: all).
    #[param(minimum = 0)]
    after_seq: Option<i64>,
}

/// A document's text at an instant.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryText {
    /// `code` or `notes`.
    pub doc: String,
    /// The instant asked for (millisecond precision).
    pub at: DateTime<Utc>,
    /// The text then: every update accepted at or before `at` applied.
    pub text: String,
    /// The code's language then (`meta.language`); null for the notes, or before any was set.
    pub language: Option<Language>,
    /// The question whose text `text` is (null: the notes, or an interview without questions).
    pub question_id: Option<Uuid>,
}

/// Every update of a document, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntries {
    pub doc: String,
    pub entries: Vec<HistoryEntryView>,
}

/// One accepted update.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryView {
    /// Its number in the document's log (increasing).
    pub seq: i64,
    /// When the server accepted it, in Unix milliseconds.
    pub at_ms: i64,
    /// Who sent it (null: the server, e.g. the language it seeds or starter code).
    pub participant_id: Option<Uuid>,
    /// The Yjs v1 update as the server applied it, base64.
    pub update: String,
}

/// The text of `code` or `notes` at an instant.
#[utoipa::path(get, path = "/api/interviews/{id}/history/{doc}", tag = "interviews", params(HistoryQuery),
    responses((status = 200, body = HistoryText),
        (status = 400, description = "`at` (or `question`) missing or unreadable: `invalid_input`"),
        (status = 401), (status = 403, description = "candidates and observers"), (status = 404)))]
async fn get_history_text(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, doc)): ApiPath<(Uuid, String)>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> AppResult<Json<HistoryText>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_replay_history(access.role())?;
    let kind = DocKind::from_name(&doc).ok_or(AppError::NotFound("document"))?;
    let at = parse_at(query.at.as_deref())?;
    let question = match (kind, query.question.as_deref()) {
        (DocKind::Notes, Some(_)) => return Err(invalid("question", "applies to the code document only")),
        (_, Some(raw)) => Some(Uuid::parse_str(raw).map_err(|_| invalid("question", "is not a question id"))?),
        (_, None) => None,
    };
    let (text_name, question_id) = match kind {
        DocKind::Notes => (codeview_collab::NOTES_TEXT.to_owned(), None),
        DocKind::Code => {
            let questions = state.store.interview_question_ids(id).await?;
            let question_id = match question {
                Some(asked) if !questions.contains(&asked) => {
                    return Err(invalid("question", "is not a question of this interview"));
                }
                Some(asked) => Some(asked),
                None => active_question_at(&state, id, &questions, at).await?,
            };
            let is_first = question_id.is_none() || question_id == questions.first().copied();
            let id_text = question_id.map(|q| q.to_string());
            (codeview_collab::code_text_name(id_text.as_deref(), is_first), question_id)
        }
    };
    let entries = load(&state, id, kind, 0).await?;
    let (text, language) = replay(move || text_at(&entries, at, &text_name)).await?;
    let language = if kind == DocKind::Code { language.and_then(|l| Language::parse(&l).ok()) } else { None };
    Ok(Json(HistoryText { doc: kind.text_name().to_owned(), at, text, language, question_id }))
}

/// Every update of `code` or `notes` so far (after `after_seq`), with its time and author, for
/// the replay page: applied in order to an empty Y.Doc they give the document.
#[utoipa::path(get, path = "/api/interviews/{id}/history/{doc}/entries", tag = "interviews", params(EntriesQuery),
    responses((status = 200, body = HistoryEntries),
        (status = 400, description = "`after_seq` negative: `invalid_input`"),
        (status = 401), (status = 403, description = "candidates and observers"), (status = 404)))]
async fn get_history_entries(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, doc)): ApiPath<(Uuid, String)>,
    ApiQuery(query): ApiQuery<EntriesQuery>,
) -> AppResult<Json<HistoryEntries>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_replay_history(access.role())?;
    let kind = DocKind::from_name(&doc).ok_or(AppError::NotFound("document"))?;
    let after_seq = query.after_seq.unwrap_or(0);
    if after_seq < 0 {
        return Err(invalid("after_seq", "must be 0 or more"));
    }
    let entries = load(&state, id, kind, after_seq).await?;
    let entries = replay(move || {
        entries
            .iter()
            .map(|entry| HistoryEntryView {
                seq: entry.seq,
                at_ms: to_ms(entry.at),
                participant_id: entry.author,
                update: STANDARD.encode(&entry.update),
            })
            .collect()
    })
    .await?;
    Ok(Json(HistoryEntries { doc: kind.text_name().to_owned(), entries }))
}

/// The question the room showed at `at`: the one the last `question_changed` event at or
/// before it chose, while it is still one of the interview's `questions`, else the first.
async fn active_question_at(
    state: &AppState,
    id: Uuid,
    questions: &[Uuid],
    at: DateTime<Utc>,
) -> AppResult<Option<Uuid>> {
    let events = state.store.list_events(id).await?;
    let chosen = events
        .iter()
        .rev()
        .filter(|event| event.at <= at)
        .find_map(|event| match event.detail {
            TimelineDetail::QuestionChanged { question_id } => Some(question_id),
            _ => None,
        })
        .flatten();
    Ok(InterviewControls { active_question_id: chosen, ..InterviewControls::default() }.active_question(questions))
}

/// `at` as the contract spells it: Unix milliseconds (digits only) or an RFC 3339 time; cut
/// to the millisecond, the history's precision.
fn parse_at(raw: Option<&str>) -> AppResult<DateTime<Utc>> {
    let raw = raw.ok_or_else(|| invalid("at", "is required"))?;
    let wrong = || invalid("at", "must be an RFC 3339 time (2026-12-06T08:00:00Z) or Unix milliseconds");
    if raw.is_empty() || raw.len() > MAX_AT_CHARS {
        return Err(wrong());
    }
    let at = if raw.bytes().all(|b| b.is_ascii_digit()) {
        if raw.len() > MAX_MS_DIGITS {
            return Err(wrong());
        }
        raw.parse::<i64>().ok().and_then(from_ms).ok_or_else(wrong)?
    } else {
        DateTime::parse_from_rfc3339(raw).map_err(|_| wrong())?.with_timezone(&Utc)
    };
    Ok(truncate_to_ms(at))
}

fn invalid(field: &str, why: &str) -> AppError {
    AppError::InvalidInput([(field.to_owned(), why.to_owned())].into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_is_rfc_3339_or_unix_milliseconds_and_nothing_else() {
        let expected = from_ms(1_796_544_000_123).unwrap();
        assert_eq!(parse_at(Some("1796544000123")).unwrap(), expected);
        assert_eq!(parse_at(Some("2026-12-06T08:00:00.123Z")).unwrap(), expected);
        assert_eq!(parse_at(Some("2026-12-06T09:00:00.123456789+01:00")).unwrap(), expected, "cut to the ms");
        assert_eq!(parse_at(Some("0")).unwrap(), from_ms(0).unwrap());
        for wrong in [
            None,
            Some(""),
            Some("-5"),
            Some("1e12"),
            Some(" 1796544000123"),
            Some("1796544000123000000"),
            Some("2026-12-06"),
            Some("yesterday"),
            Some("2026-12-06T08:00:00.123456789123456789123456789Z"),
        ] {
            let refused = parse_at(wrong).expect_err(&format!("{wrong:?}"));
            assert!(matches!(refused, AppError::InvalidInput(ref f) if f.contains_key("at")), "{wrong:?}");
        }
    }
}
