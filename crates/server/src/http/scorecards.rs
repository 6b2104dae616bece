//! Rubrics and scorecards: the interview's rubric (the host edits it until the first scorecard
//! is submitted), each interviewer's own scorecard (a draft saved as they type, then
//! submitted and locked), the list of what the caller may see (blind until their own is
//! submitted; the host sees every submitted one) and the host's reopening of a submitted
//! scorecard. Observers and candidates keep no scorecard and see none (`policy`). Nothing here
//! depends on the interview's status: scorecards are written during the interview and after.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{InterviewAccess, interview_access};
use crate::db::{NewDraft, Scorecard, StoredRubric};
use crate::domain::{
    CriterionInput, RatingInput, Recommendation, Role, ScorecardStatus, missing_for_submit, parse_draft,
    parse_rubric_change, policy,
};
use crate::error::{AppError, AppResult};
use crate::evaluation::{Rubric, ScorecardList, interview_rubric, own_scorecard, visible_scorecards};
use crate::extract::{ApiJson, ApiPath, Caller};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rubric, update_rubric))
        .routes(routes!(get_my_scorecard, save_my_scorecard))
        .routes(routes!(submit_my_scorecard))
        .routes(routes!(list_scorecards))
        .routes(routes!(reopen_scorecard))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricInput {
    /// The whole rubric in order: 1–12 criteria, the limits of a workspace's default rubric. Keep a
    /// criterion's `id` to keep it (and its ratings); leave it out for a new criterion.
    criteria: Vec<CriterionInput>,
}

#[derive(Serialize, ToSchema)]
pub struct RubricResponse {
    rubric: Rubric,
}

/// The caller's draft, replacing what was saved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardInput {
    /// Each criterion at most once; criteria left out are unrated.
    #[serde(default)]
    ratings: Vec<RatingInput>,
    #[serde(default)]
    recommendation: Option<Recommendation>,
    #[serde(default)]
    summary: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScorecardResponse {
    scorecard: Scorecard,
}

/// The interview's rubric (host, co-interviewers and observers). `editable` is true for the
/// host until a scorecard is submitted.
#[utoipa::path(get, path = "/api/interviews/{id}/rubric", tag = "interviews",
    responses((status = 200, body = RubricResponse), (status = 401), (status = 403), (status = 404)))]
async fn get_rubric(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<RubricResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_read_rubric(access.role())?;
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    Ok(Json(RubricResponse { rubric: rubric_view(rubric, access.role()) }))
}

/// Replaces the rubric (host only) until the first scorecard is submitted: then 409
/// `rubric_locked`.
#[utoipa::path(put, path = "/api/interviews/{id}/rubric", tag = "interviews", request_body = RubricInput,
    responses((status = 200, body = RubricResponse), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn update_rubric(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<RubricInput>,
) -> AppResult<Json<RubricResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_edit_rubric(access.role())?;
    let current = interview_rubric(state.store.as_ref(), &access.interview).await?;
    if current.locked {
        return Err(rubric_locked());
    }
    let criteria = parse_rubric_change(&current.criteria, body.criteria)?;
    if !state.store.replace_rubric(id, &criteria, Utc::now()).await? {
        return Err(rubric_locked());
    }
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    Ok(Json(RubricResponse { rubric: rubric_view(rubric, access.role()) }))
}

/// The caller's own scorecard (host and co-interviewers): as saved, or a fresh draft with a
/// nil id that is stored on the first `PUT`.
#[utoipa::path(get, path = "/api/interviews/{id}/scorecards/me", tag = "interviews",
    responses((status = 200, body = ScorecardResponse), (status = 401), (status = 403), (status = 404)))]
async fn get_my_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<ScorecardResponse>> {
    let access = scorecard_keeper(&state, &caller, id).await?;
    Ok(Json(ScorecardResponse { scorecard: my_scorecard(&state, &access).await? }))
}

/// Saves the caller's draft: ratings 1–4 or null for criteria of the rubric, comments up to
/// 4,000 characters, the summary up to 10,000. 409 `scorecard_submitted` once submitted.
#[utoipa::path(put, path = "/api/interviews/{id}/scorecards/me", tag = "interviews", request_body = ScorecardInput,
    responses((status = 200, body = ScorecardResponse), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn save_my_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ScorecardInput>,
) -> AppResult<Json<ScorecardResponse>> {
    let access = scorecard_keeper(&state, &caller, id).await?;
    let current = my_scorecard(&state, &access).await?;
    if current.status == ScorecardStatus::Submitted {
        return Err(scorecard_submitted());
    }
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    let content = parse_draft(&rubric.criteria, body.ratings, body.recommendation, &body.summary)?;
    let draft = NewDraft {
        id: Uuid::now_v7(),
        interview_id: id,
        participant_id: access.participant.id,
        content,
        at: Utc::now(),
    };
    if !state.store.save_draft(&draft).await? {
        return Err(scorecard_submitted());
    }
    Ok(Json(ScorecardResponse { scorecard: my_scorecard(&state, &access).await? }))
}

/// Submits the caller's draft: it needs a score for every criterion and a recommendation
/// (422 naming each missing one as `ratings.{criterion_id}` or `recommendation`). A submitted
/// scorecard is locked, and the rubric with it.
#[utoipa::path(post, path = "/api/interviews/{id}/scorecards/me/submit", tag = "interviews",
    responses((status = 200, body = ScorecardResponse), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn submit_my_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<ScorecardResponse>> {
    let access = scorecard_keeper(&state, &caller, id).await?;
    // The rubric exists before anything is checked against it.
    interview_rubric(state.store.as_ref(), &access.interview).await?;
    if !state.store.submit_scorecard(id, access.participant.id, Utc::now()).await? {
        let current = my_scorecard(&state, &access).await?;
        if current.status == ScorecardStatus::Submitted {
            return Err(scorecard_submitted());
        }
        let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
        let missing = missing_for_submit(&rubric.criteria, &current.ratings, current.recommendation);
        if missing.is_empty() {
            // Changed in between (a rubric edit, say): nothing is missing now.
            return Err(AppError::Conflict { code: "conflict", message: "The scorecard changed; try again.".into() });
        }
        return Err(AppError::Validation(missing));
    }
    Ok(Json(ScorecardResponse { scorecard: my_scorecard(&state, &access).await? }))
}

/// The scorecards the caller may see (host and co-interviewers): their own, and the others'
/// submitted ones with the aggregate — for a co-interviewer only once theirs is submitted
/// (`blind` until then). Nobody sees another's draft.
#[utoipa::path(get, path = "/api/interviews/{id}/scorecards", tag = "interviews",
    responses((status = 200, body = ScorecardList), (status = 401), (status = 403), (status = 404)))]
async fn list_scorecards(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<ScorecardList>> {
    let access = scorecard_keeper(&state, &caller, id).await?;
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    let all = state.store.list_scorecards(id).await?;
    Ok(Json(visible_scorecards(access.role(), access.participant.id, all, &rubric.criteria)))
}

/// Turns a submitted scorecard back into a draft its author can change (host only); the
/// scorecard records when and by whom. 409 `scorecard_not_submitted` for a draft.
#[utoipa::path(post, path = "/api/interviews/{id}/scorecards/{scorecard_id}/reopen", tag = "interviews",
    responses((status = 200, body = ScorecardResponse), (status = 401), (status = 403), (status = 404), (status = 409)))]
async fn reopen_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, scorecard_id)): ApiPath<(Uuid, Uuid)>,
) -> AppResult<Json<ScorecardResponse>> {
    let access = interview_access(&state, &caller, id).await?;
    policy::may_reopen_scorecard(access.role())?;
    let reopened = state.store.reopen_scorecard(id, scorecard_id, &access.participant.name, Utc::now()).await?;
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    let scorecard = state.store.list_scorecards(id).await?.into_iter().find(|s| s.id == scorecard_id);
    match (reopened, scorecard) {
        (true, Some(scorecard)) => {
            Ok(Json(ScorecardResponse { scorecard: crate::evaluation::with_rubric(scorecard, &rubric.criteria) }))
        }
        (false, Some(_)) => Err(AppError::Conflict {
            code: "scorecard_not_submitted",
            message: "Only a submitted scorecard can be reopened.".into(),
        }),
        (_, None) => Err(AppError::NotFound("scorecard")),
    }
}

/// The caller's access, refused unless they keep a scorecard (host, co-interviewer).
async fn scorecard_keeper(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<InterviewAccess> {
    let access = interview_access(state, caller, id).await?;
    policy::may_keep_scorecard(access.role())?;
    Ok(access)
}

async fn my_scorecard(state: &AppState, access: &InterviewAccess) -> AppResult<Scorecard> {
    let rubric = interview_rubric(state.store.as_ref(), &access.interview).await?;
    let all = state.store.list_scorecards(access.interview.id).await?;
    Ok(own_scorecard(&all, &access.participant, &rubric.criteria))
}

fn rubric_view(rubric: StoredRubric, role: Role) -> Rubric {
    Rubric { criteria: rubric.criteria, editable: !rubric.locked && policy::may_edit_rubric(role).is_ok() }
}

fn rubric_locked() -> AppError {
    AppError::Conflict {
        code: "rubric_locked",
        message: "The rubric can no longer change: a scorecard has been submitted.".into(),
    }
}

fn scorecard_submitted() -> AppError {
    AppError::Conflict {
        code: "scorecard_submitted",
        message: "This scorecard is submitted; ask the host to reopen it to change it.".into(),
    }
}
