//! Integrity signals: accepting the candidate's reports (from `POST …/signals` and the room
//! socket alike) and storing the server's own `large_insert`s. A signal is stored on the
//! timeline and sent at once to the interview's host and interviewers (`signal` room event,
//! `Audience::Interviewers`), never to the candidate or observers.
//!
//! A report is refused unless it comes from the candidate (`policy::may_report_signals`),
//! within their allowance (`rates`), while the interview is live, and while the interview holds
//! fewer than `MAX_SIGNALS_PER_INTERVIEW` signals. Server-made signals may use
//! `SERVER_SIGNAL_RESERVE` more, so a candidate filling the cap cannot hide a large insert.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::event::{SignalData, SignalKind, TimelineDetail, event_time};
use crate::auth::access::interview_ended;
use crate::db::{AppendRule, Appended, InterviewEvent, StoreError};
use crate::domain::policy::{Denial, may_report_signals};
use crate::domain::{InterviewStatus, Role};
use crate::error::AppError;
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION, RoomEvent};
use crate::state::AppState;

/// Signals stored per interview, at most (reports then answer 429 `too_many_signals`).
pub const MAX_SIGNALS_PER_INTERVIEW: i64 = 5_000;
/// Room kept beyond that cap for the server's own signals.
pub const SERVER_SIGNAL_RESERVE: i64 = 1_000;

const REPORTED: AppendRule = AppendRule { max_of_kind: MAX_SIGNALS_PER_INTERVIEW, while_live: true };
const SERVER_MADE: AppendRule =
    AppendRule { max_of_kind: MAX_SIGNALS_PER_INTERVIEW + SERVER_SIGNAL_RESERVE, while_live: true };

/// A stored signal, as `POST …/signals` answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalRecord {
    pub id: Uuid,
    pub interview_id: Uuid,
    /// When the server received it.
    pub at: DateTime<Utc>,
    /// The candidate's participant id.
    pub participant_id: Uuid,
    pub signal: SignalData,
}

/// Why a signal was not stored.
#[derive(Debug)]
pub enum Refusal {
    /// Not the candidate.
    Forbidden(Denial),
    /// The interview is not live: where it is (`Ended` also when it is gone).
    NotLive(InterviewStatus),
    /// Over the participant's allowance (the 429 to answer).
    RateLimited(AppError),
    /// The interview holds as many signals as it may.
    TooMany,
    Failed(StoreError),
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::Forbidden(denial) => denial.into(),
            // As for every candidate route: 403 with the reason's code (`auth::access`).
            Refusal::NotLive(InterviewStatus::Scheduled) => {
                Denial::NotLive("Signals are recorded once the interview has started.").into()
            }
            Refusal::NotLive(_) => interview_ended(),
            Refusal::RateLimited(err) => err,
            Refusal::TooMany => AppError::TooMany {
                code: "too_many_signals",
                message: format!("The interview holds {MAX_SIGNALS_PER_INTERVIEW} signals, as many as it may."),
                retry_after_secs: None,
            },
            Refusal::Failed(err) => err.into(),
        }
    }
}

/// Who reports: the caller's participant and role in the interview.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub role: Role,
}

/// Stores and announces a validated report from `reporter`.
pub async fn accept_report(state: &AppState, reporter: Reporter, signal: SignalData) -> Result<SignalRecord, Refusal> {
    may_report_signals(reporter.role).map_err(Refusal::Forbidden)?;
    state.timeline.rates.take_reported(reporter.participant_id).map_err(Refusal::RateLimited)?;
    let at = event_time(Utc::now());
    if signal.kind == SignalKind::Paste {
        // Noted even if the cap refuses it below: the paste happened, and explains an insert.
        state.timeline.pastes.note(reporter.participant_id, at);
    }
    store_and_announce(state, reporter.interview_id, reporter.participant_id, at, signal, REPORTED).await
}

/// Stores and announces the server's `large_insert` about the candidate `participant_id`
/// (dropped past the server's own allowance or cap, and when the interview is not live).
pub async fn flag_large_insert(
    state: &AppState,
    interview_id: Uuid,
    participant_id: Uuid,
    at: DateTime<Utc>,
    length: u64,
) {
    if !state.timeline.rates.take_server_made(participant_id) {
        tracing::debug!(%interview_id, "large insert not flagged: over the server's allowance");
        return;
    }
    let signal = SignalData::large_insert(length);
    match store_and_announce(state, interview_id, participant_id, at, signal, SERVER_MADE).await {
        Ok(_) | Err(Refusal::NotLive(_)) => {}
        Err(Refusal::TooMany) => {
            tracing::warn!(%interview_id, "large insert not flagged: the interview holds too many signals")
        }
        Err(refusal) => tracing::warn!(%interview_id, ?refusal, "flagging a large insert failed"),
    }
}

async fn store_and_announce(
    state: &AppState,
    interview_id: Uuid,
    participant_id: Uuid,
    at: DateTime<Utc>,
    signal: SignalData,
    rule: AppendRule,
) -> Result<SignalRecord, Refusal> {
    let at = event_time(at);
    let event = InterviewEvent {
        id: Uuid::now_v7(),
        interview_id,
        at,
        participant_id: Some(participant_id),
        detail: TimelineDetail::Signal(signal),
    };
    match state.store.append_event(&event, rule).await.map_err(Refusal::Failed)? {
        Appended::Stored => {}
        Appended::NotLive(status) => return Err(Refusal::NotLive(status)),
        Appended::Full => return Err(Refusal::TooMany),
    }
    let live = RoomEvent::Signal { v: PROTOCOL_VERSION, at, participant_id, signal };
    state.runs.events.publish(interview_id, Audience::Interviewers, &live);
    Ok(SignalRecord { id: event.id, interview_id, at, participant_id, signal })
}
