//! `POST /api/interviews/{id}/signals`: the candidate's browser reports an integrity signal
//! (a paste, the tab hidden or shown, the window losing or getting the focus, a copy), with
//! the candidate's session as the room uses it. Only the candidate (others 403, strangers 404),
//! only while the interview is live (403 `interview_not_live` before; after the end the
//! candidate's session is gone, 401), within the candidate's allowance and the interview's cap
//! (429). The same report is accepted on the room socket (`signal` message).
//! What happens to a signal is `timeline::signals`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::interview_access;
use crate::domain::InterviewStatus;
use crate::domain::policy::may_report_signals;
use crate::error::AppResult;
use crate::extract::{ApiJson, ApiPath, Caller};
use crate::state::AppState;
use crate::timeline::signal_report::SignalReport;
use crate::timeline::signals::{Refusal, Reporter, SignalRecord, accept_report};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_signal))
}

/// Records an integrity signal from the candidate's browser and shows it to the interviewers.
#[utoipa::path(post, path = "/api/interviews/{id}/signals", tag = "interviews", request_body = SignalReport,
    responses((status = 202, body = SignalRecord), (status = 401), (status = 403, description = "anyone but the candidate; `interview_not_live`, `interview_ended`"),
        (status = 404),
        (status = 422), (status = 429, description = "`rate_limited`, `too_many_signals`")))]
async fn report_signal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(report): ApiJson<SignalReport>,
) -> AppResult<(StatusCode, Json<SignalRecord>)> {
    let access = interview_access(&state, &caller, id).await?;
    may_report_signals(access.role())?;
    if access.status() != InterviewStatus::Live {
        return Err(Refusal::NotLive(access.status()).into());
    }
    let signal = report.validate()?;
    let reporter = Reporter { interview_id: id, participant_id: access.participant.id, role: access.role() };
    let record = accept_report(&state, reporter, signal).await?;
    Ok((StatusCode::ACCEPTED, Json(record)))
}
