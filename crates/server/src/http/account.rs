//! The account holder's own account: change the display name, change the password.
//!
//! Changing the password needs the current one and a browser session (a stolen API token
//! must not be able to lock the owner out). Every other browser session of the account is
//! signed out and its sockets close; the session that made the change stays. API tokens stay
//! too, unless the request says `sign_out_tokens: true`: scripts and CI keep working after a
//! routine change, and a person who fears a leak revokes them all in the same step.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::UserResponse;
use crate::domain::{FieldCheck, Password, PersonName};
use crate::error::{AppError, AppResult};
use crate::extract::ClientAddress;
use crate::extract::{ApiJson, Authenticated, Credential};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(update_me)).routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// The display name, 1–100 characters.
    name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    current_password: String,
    /// The rules of registration: 8–256 characters, not only spaces.
    new_password: String,
    /// Also revoke every API token of the account (default: tokens keep working).
    #[serde(default)]
    sign_out_tokens: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordChanged {
    /// Other browser sessions of the account that were signed out.
    sessions_ended: usize,
    /// API tokens revoked (0 unless `sign_out_tokens` was asked).
    tokens_revoked: usize,
}

/// Renames the signed-in account.
#[utoipa::path(patch, path = "/api/auth/me", tag = "auth", request_body = UpdateMeRequest,
    responses((status = 200, body = UserResponse), (status = 401), (status = 403), (status = 422)))]
async fn update_me(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> AppResult<Json<UserResponse>> {
    let (user, _) = auth.account()?;
    let name = PersonName::parse(&body.name).map_err(|why| AppError::field("name", why))?;
    let user = state.store.set_user_name(user.id, name.as_str()).await?.ok_or(AppError::Unauthorized)?;
    Ok(Json(UserResponse { user }))
}

/// Changes the password. A wrong `current_password` is 422 on that field and counts as a
/// failed login (after a few, 429 with `Retry-After`). Every other browser session is signed
/// out (its sockets close); API tokens stay unless `sign_out_tokens`. Needs a browser session
/// (403 `session_required` with a token).
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 200, body = PasswordChanged), (status = 401), (status = 403), (status = 422),
        (status = 429), (status = 503, description = "too many passwords being hashed; see `Retry-After`")))]
async fn change_password(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    auth: Authenticated,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<Json<PasswordChanged>> {
    let (user, credential) = auth.account()?;
    let Credential::Session { id: current_session, .. } = credential else {
        return Err(AppError::ForbiddenWithCode {
            code: "session_required",
            message: "The password is changed from a signed-in browser session, not with an API token.".into(),
        });
    };
    let mut check = FieldCheck::default();
    let current = check.take("current_password", Password::parse_attempt(&body.current_password));
    let new = check.take("new_password", Password::parse_new(&body.new_password));
    check.finish()?;
    let (Some(current), Some(new)) = (current, new) else {
        unreachable!("finish() returned Ok, so every field parsed");
    };
    state.limits.auth_per_ip.check(client).await?;
    state.limits.failed_logins.check(&user.email, client).await?;
    let stored_hash = state.store.find_user_by_email(&user.email).await?.map(|account| account.password_hash);
    if !state.passwords.verify(current, stored_hash).await? {
        state.limits.failed_logins.record_failure(&user.email, client).await;
        return Err(AppError::field("current_password", "is not your current password"));
    }
    state.limits.failed_logins.record_success(&user.email, client).await;
    if body.new_password == body.current_password {
        return Err(AppError::field("new_password", "must differ from the current password"));
    }
    let hash = state.passwords.hash(new).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    let ended = state.store.delete_user_sessions_except(user.id, Some(current_session)).await?;
    for id_hash in &ended {
        state.revocations.session_ended(id_hash);
    }
    let mut tokens_revoked = 0;
    if body.sign_out_tokens {
        let revoked = state.store.delete_user_api_tokens(user.id).await?;
        for id in &revoked {
            state.revocations.token_revoked(*id);
        }
        tokens_revoked = revoked.len();
    }
    tracing::info!(user_id = %user.id, sessions_ended = ended.len(), tokens_revoked, "password changed");
    Ok(Json(PasswordChanged { sessions_ended: ended.len(), tokens_revoked }))
}
