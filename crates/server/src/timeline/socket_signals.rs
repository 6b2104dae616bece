//! A `signal` message on the room socket: the same report as `POST …/signals`, accepted the
//! same way (`signals::accept_report`). The socket stays open whatever happens: a refusal is
//! answered with the socket's `call_error` (not the candidate: `forbidden`; not live:
//! `interview_ended` or `invalid_message`), and a report over the allowance or the interview's
//! cap, or one the store could not take, is dropped without an answer (the call's error line
//! is no place for it, and the browser could do nothing about it).

use super::signal_report::{SignalReport, describe};
use super::signals::{Refusal, Reporter, accept_report};
use crate::domain::InterviewStatus;
use crate::realtime::room_events::{CallErrorCode, CallRefusal, RoomEvent};
use crate::state::AppState;

/// Handles a signal from `reporter`'s socket; returns what to answer, if anything.
pub async fn signal_from_socket(state: &AppState, reporter: Reporter, report: SignalReport) -> Option<RoomEvent> {
    let refused = |code, message: &str| Some(CallRefusal::new(code, message).into_event());
    let signal = match report.validate() {
        Ok(signal) => signal,
        Err(invalid) => return refused(CallErrorCode::InvalidMessage, &describe(&invalid)),
    };
    match accept_report(state, reporter, signal).await {
        Ok(_) | Err(Refusal::RateLimited(_) | Refusal::TooMany) => None,
        Err(Refusal::Forbidden(_)) => {
            refused(CallErrorCode::Forbidden, "Only the candidate's browser reports integrity signals.")
        }
        Err(Refusal::NotLive(InterviewStatus::Scheduled)) => {
            refused(CallErrorCode::InvalidMessage, "Signals are recorded once the interview has started.")
        }
        Err(Refusal::NotLive(_)) => refused(CallErrorCode::InterviewEnded, "The interview has ended."),
        Err(Refusal::Failed(err)) => {
            tracing::warn!(error = %err, "storing a signal from the room socket failed");
            None
        }
    }
}
