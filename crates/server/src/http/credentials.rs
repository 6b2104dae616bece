//! The signed-in account's credentials: personal API tokens (create, list, revoke) and browser
//! sessions (list, end).
//!
//! Tokens expire (90 days unless asked otherwise, a year at most) and only a browser session
//! mints them, so a stolen token cannot make itself a successor that outlives its revocation.
//! Revoking a token or ending a session closes the sockets it opened, at once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::secret::{hash_secret, new_secret};
use crate::auth::session::clear_cookie;
use crate::db::{ApiToken, NewApiToken};
use crate::domain::bounded_text;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ApiPath};
use crate::extract::{Authenticated, Credential};
use crate::quotas::Quota;
use crate::state::AppState;

/// Lifetime of a token when the request does not say.
const DEFAULT_TOKEN_DAYS: i64 = 90;
/// Longest lifetime a token may ask for.
const MAX_TOKEN_DAYS: i64 = 365;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_sessions, end_other_sessions))
        .routes(routes!(end_session))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    name: String,
    /// Days until the token expires: 1 to 365, default 90.
    expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CreateTokenResponse {
    /// The secret token; shown only in this response.
    token: String,
    id: Uuid,
    name: String,
    expires_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Never the secret or its hash.
    tokens: Vec<ApiToken>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionView {
    id: Uuid,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// The browser's `User-Agent` when it signed in (at most 256 characters), null when none
    /// was sent.
    user_agent: Option<String>,
    /// When it was last used (to within five minutes), null when not since sign-in.
    last_used_at: Option<DateTime<Utc>>,
    /// The session this request was made with.
    current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    sessions: Vec<SessionView>,
}

/// Creates a personal API token for `Authorization: Bearer`. The token is shown once. Only a
/// browser session may create one (403 `session_required` for a token).
#[utoipa::path(post, path = "/api/auth/tokens", tag = "auth", request_body = CreateTokenRequest,
    responses((status = 201, body = CreateTokenResponse), (status = 401), (status = 403), (status = 422)))]
async fn create_token(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<CreateTokenRequest>,
) -> AppResult<(StatusCode, Json<CreateTokenResponse>)> {
    let (user, credential) = auth.account()?;
    if !matches!(credential, Credential::Session { .. }) {
        return Err(AppError::ForbiddenWithCode {
            code: "session_required",
            message: "API tokens are created from a signed-in browser session, not with another token.".into(),
        });
    }
    let name = bounded_text(&body.name, 1, 100, false).map_err(|why| AppError::field("name", why))?;
    let days = body.expires_in_days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(AppError::field("expires_in_days", format!("must be between 1 and {MAX_TOKEN_DAYS} days")));
    }
    let now = Utc::now();
    let _quota = state.quotas.lock(user.id).await;
    state.quotas.check(Quota::Tokens, state.store.count_live_tokens(user.id, now).await?)?;
    let token = new_secret("cvt_");
    let stored = state
        .store
        .create_api_token(&NewApiToken {
            id: Uuid::now_v7(),
            user_id: user.id,
            name,
            token_hash: hash_secret(&token),
            created_at: now,
            expires_at: now + Duration::days(days),
        })
        .await?;
    let created = CreateTokenResponse { token, id: stored.id, name: stored.name, expires_at: stored.expires_at };
    Ok((StatusCode::CREATED, Json(created)))
}

/// The account's API tokens, expired ones included until revoked.
#[utoipa::path(get, path = "/api/auth/tokens", tag = "auth",
    responses((status = 200, body = TokenList), (status = 401), (status = 403)))]
async fn list_tokens(State(state): State<AppState>, auth: Authenticated) -> AppResult<Json<TokenList>> {
    let (user, _) = auth.account()?;
    Ok(Json(TokenList { tokens: state.store.list_api_tokens(user.id).await? }))
}

/// Revokes one of the account's tokens; its sockets close at once. 404 for anyone else's.
#[utoipa::path(delete, path = "/api/auth/tokens/{id}", tag = "auth",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
async fn revoke_token(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<StatusCode> {
    let (user, _) = auth.account()?;
    if !state.store.delete_api_token(user.id, id).await? {
        return Err(AppError::NotFound("token"));
    }
    state.revocations.token_revoked(id);
    Ok(StatusCode::NO_CONTENT)
}

/// The account's signed-in browser sessions.
#[utoipa::path(get, path = "/api/auth/sessions", tag = "auth",
    responses((status = 200, body = SessionList), (status = 401), (status = 403)))]
async fn list_sessions(State(state): State<AppState>, auth: Authenticated) -> AppResult<Json<SessionList>> {
    let (user, credential) = auth.account()?;
    let current = match credential {
        Credential::Session { id, .. } => Some(id),
        Credential::Token { .. } => None,
    };
    let sessions = state.store.list_user_sessions(user.id, Utc::now()).await?;
    let sessions = sessions
        .into_iter()
        .map(|s| SessionView {
            current: Some(s.id) == current,
            id: s.id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            user_agent: s.user_agent,
            last_used_at: s.last_used_at,
        })
        .collect();
    Ok(Json(SessionList { sessions }))
}

#[derive(Serialize, ToSchema)]
pub struct SessionsEnded {
    /// How many sessions were signed out.
    sessions_ended: usize,
}

/// "Sign out everywhere else": ends every session of the account but the one making the
/// request (with an API token: every session), closing their sockets. Tokens stay.
#[utoipa::path(delete, path = "/api/auth/sessions", tag = "auth",
    responses((status = 200, body = SessionsEnded), (status = 401), (status = 403)))]
async fn end_other_sessions(State(state): State<AppState>, auth: Authenticated) -> AppResult<Json<SessionsEnded>> {
    let (user, credential) = auth.account()?;
    let keep = match credential {
        Credential::Session { id, .. } => Some(id),
        Credential::Token { .. } => None,
    };
    let ended = state.store.delete_user_sessions_except(user.id, keep).await?;
    for id_hash in &ended {
        state.revocations.session_ended(id_hash);
    }
    Ok(Json(SessionsEnded { sessions_ended: ended.len() }))
}

/// Ends one of the account's sessions (signing that browser out and closing its sockets).
/// Ending the current one also clears its cookie. 404 for anyone else's.
#[utoipa::path(delete, path = "/api/auth/sessions/{id}", tag = "auth",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
async fn end_session(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<Response> {
    let (user, credential) = auth.account()?;
    let id_hash = state.store.delete_user_session(user.id, id).await?.ok_or(AppError::NotFound("session"))?;
    state.revocations.session_ended(&id_hash);
    if matches!(credential, Credential::Session { id: current, .. } if current == id) {
        return Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, clear_cookie(&state))]).into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
