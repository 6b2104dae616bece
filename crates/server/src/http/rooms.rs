//! How a candidate gets in: the public room lookup behind an invite link, and joining with a
//! name and the invite secret, which starts a session bound to that one interview.
//!
//! LiveDoc codes are short and readable, so they are not secrets: both routes need the invite
//! secret (≥ 128 bits) or an existing place in the interview, and both are rate limited per
//! client address. An unknown code and a known code with a wrong secret get the same answer
//! (404 `not_found`), so codes cannot be enumerated.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::views::{InterviewView, ParticipantView};
use crate::auth::access::interview_ended;
use crate::auth::interview_access;
use crate::auth::session::{SessionOwner, start_session};
use crate::db::{InterviewRecord, NewParticipant};
use crate::domain::{InterviewStatus, PersonName, Role, RoomCode};
use crate::error::{AppError, AppResult};
use crate::extract::ClientAddress;
use crate::extract::MaybeCaller;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_room)).routes(routes!(join_room))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RoomQuery {
    /// The invite secret from the link.
    invite: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    name: String,
    invite: String,
}

/// What the join page needs to show before someone joins.
#[derive(Serialize, ToSchema)]
pub struct RoomInfo {
    interview_id: Uuid,
    title: String,
    status: InterviewStatus,
    room_code: String,
    scheduled_at: Option<DateTime<Utc>>,
    duration_minutes: i32,
    /// The name the host entered for the candidate, to prefill the join form.
    candidate_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct JoinResponse {
    interview: InterviewView,
    participant: ParticipantView,
}

#[derive(Serialize, ToSchema)]
pub struct RoomResponse {
    room: RoomInfo,
}

/// Public facts about a room, for the holder of its invite link (or a participant).
#[utoipa::path(get, path = "/api/interviews/room/{code}", tag = "rooms", params(RoomQuery),
    responses((status = 200, body = RoomResponse), (status = 404, description = "unknown code or wrong invite"), (status = 429)))]
async fn get_room(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<RoomQuery>,
) -> AppResult<Json<RoomResponse>> {
    state.limits.join_per_ip.check(client).await?;
    let interview = find_room(&state, &code).await?;
    let is_participant = match &caller {
        Some(caller) => interview_access(&state, caller, interview.id).await.is_ok(),
        None => false,
    };
    if !is_participant {
        check_invite(&interview, query.invite.as_deref().unwrap_or(""))?;
    }
    Ok(Json(RoomResponse {
        room: RoomInfo {
            interview_id: interview.id,
            title: interview.title,
            status: interview.status,
            room_code: interview.room_code,
            scheduled_at: interview.scheduled_at,
            duration_minutes: interview.duration_minutes,
            candidate_name: interview.candidate_name,
        },
    }))
}

/// Joins as the candidate with a name and the invite secret. Starts a candidate session
/// bound to this interview; the candidate waits in the lobby until the host starts.
#[utoipa::path(post, path = "/api/interviews/room/{code}/join", tag = "rooms", request_body = JoinRequest,
    responses((status = 200, body = JoinResponse), (status = 403, description = "interview ended"),
        (status = 404, description = "unknown code or wrong invite"), (status = 409), (status = 422), (status = 429)))]
async fn join_room(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<JoinRequest>,
) -> AppResult<Response> {
    state.limits.join_per_ip.check(client).await?;
    let interview = find_room(&state, &code).await?;
    check_invite(&interview, &body.invite)?;
    if interview.status == InterviewStatus::Ended {
        return Err(interview_ended());
    }
    let name = PersonName::parse(&body.name).map_err(|why| AppError::field("name", why))?;
    if let Some(caller) = &caller
        && let Ok(access) = interview_access(&state, caller, interview.id).await
        && access.role() != Role::Candidate
    {
        return Err(AppError::Conflict {
            code: "already_participant",
            message: format!("You are already in this interview as {}; open it from your dashboard.", access.role()),
        });
    }
    // One candidate per interview: joining again (another browser, a reload) is the same person.
    let participant = match state.store.find_candidate(interview.id).await? {
        Some(existing) => {
            state.store.rename_participant(existing.id, name.as_str()).await?;
            existing
        }
        None => {
            state
                .store
                .add_participant(&NewParticipant {
                    id: Uuid::now_v7(),
                    interview_id: interview.id,
                    user_id: None,
                    role: Role::Candidate,
                    name: name.as_str().to_owned(),
                    email: interview.candidate_email.clone(),
                    created_at: Utc::now(),
                })
                .await?
        }
    };
    let cookie = start_session(&state, &headers, SessionOwner::Participant(participant.id)).await?;
    tracing::info!(interview_id = %interview.id, participant_id = %participant.id, "candidate joined");
    let question_ids = state.store.interview_question_ids(interview.id).await?;
    let participant =
        ParticipantView::new(crate::db::ParticipantRecord { name: name.into_string(), ..participant }, Role::Candidate);
    let interview = InterviewView::new(interview, question_ids, Role::Candidate);
    Ok(([(SET_COOKIE, cookie)], Json(JoinResponse { interview, participant })).into_response())
}

async fn find_room(state: &AppState, code: &str) -> AppResult<InterviewRecord> {
    let code = RoomCode::parse(code).map_err(|_| unknown_room())?;
    state.store.find_interview_by_code(code.as_str()).await?.ok_or_else(unknown_room)
}

/// The one answer for an unknown code and for a wrong invite secret.
fn unknown_room() -> AppError {
    AppError::NotFound("room")
}

/// Compares the presented invite with the room's secret in constant time.
fn check_invite(interview: &InterviewRecord, presented: &str) -> AppResult<()> {
    let expected = Sha256::digest(interview.invite_secret.as_bytes());
    let presented = Sha256::digest(presented.trim().as_bytes());
    let differences = expected.iter().zip(presented.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if differences == 0 { Ok(()) } else { Err(unknown_room()) }
}
