//! `GET /api/interviews/{id}/ice`: the STUN/TURN servers a participant's browser uses for the
//! interview's video call, with TURN credentials minted for that participant on each request
//! (see `ice`). Every participant may ask (host, interviewers, observers, the candidate with
//! their participant credential); others get what `interview_access` gives them (404, or 403
//! `interview_ended` for the candidate of an ended interview). Like every API answer it is sent
//! `Cache-Control: no-store` (`security_headers`): the credential is personal and short-lived.

use std::time::SystemTime;

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::interview_access;
use crate::error::AppResult;
use crate::extract::{ApiPath, Caller};
use crate::ice::IceServers;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_ice_servers))
}

/// The ICE servers for the interview's video call: pass `ice_servers` to `RTCPeerConnection`
/// as `iceServers`, and fetch again before `ttl_seconds` pass.
#[utoipa::path(get, path = "/api/interviews/{id}/ice", tag = "interviews",
    responses((status = 200, body = IceServers), (status = 401),
        (status = 403, description = "the candidate of an ended interview"), (status = 404)))]
async fn get_ice_servers(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Json<IceServers>> {
    let access = interview_access(&state, &caller, id).await?;
    Ok(Json(state.settings.ice.servers_for(access.participant.id, SystemTime::now())))
}
