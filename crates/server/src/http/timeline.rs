//! `GET /api/interviews/{id}/timeline`: everything the room saw, in server time, for the host
//! and co-interviewers (candidates and observers 403, strangers 404), during the interview
//! and after it. The list is assembled by `timeline::assemble`.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::interview_access;
use crate::domain::policy::may_read_timeline;
use crate::error::AppResult;
use crate::extract::{ApiPath, Caller};
use crate::state::AppState;
use crate::timeline::assemble::interview_timeline;
use crate::timeline::event::TimelineEvent;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_timeline))
}

/// The interview's timeline, ordered by `at`: its start and end, joins and leaves, question,
/// language and control changes, runs, notes edits and the candidate's integrity signals.
#[utoipa::path(get, path = "/api/interviews/{id}/timeline", tag = "interviews",
    responses((status = 200, body = Vec<TimelineEvent>), (status = 401),
        (status = 403, description = "candidates and observers"), (status = 404)))]
async fn get_timeline(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<Vec<TimelineEvent>>> {
    let access = interview_access(&state, &caller, id).await?;
    may_read_timeline(access.role())?;
    Ok(Json(interview_timeline(&state, &access.interview).await?))
}
