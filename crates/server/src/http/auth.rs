//! Account routes: register (as `--registration` allows, with a personal workspace or through
//! a workspace invite), login, me, logout (tokens and sessions: `credentials`; changing the
//! name or password: `account`).

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::workspace_invites::{join_through, pending_invite};
use super::workspaces::create_personal_workspace;
use crate::auth::session::{SessionOwner, end_session, start_session};
use crate::config::RegistrationMode;
use crate::db::{NewUser, User};
use crate::domain::{Email, FieldCheck, Password, PersonName, bounded_text};
use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use crate::extract::Caller;
use crate::extract::ClientAddress;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(registration))
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(logout))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    email: String,
    name: String,
    password: String,
    /// A workspace invite's token: the account joins that workspace (and gets no personal
    /// one). Its email must be the invited one.
    #[serde(default)]
    invite: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationPolicy {
    mode: RegistrationMode,
    /// No account exists yet: the first may register whatever the mode, to set the install up.
    first_account: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    pub(super) user: User,
}

/// The signed-in account, or the candidate identity of a candidate session.
#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidate: Option<CandidateIdentity>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateIdentity {
    participant_id: Uuid,
    interview_id: Uuid,
    name: String,
}

/// Who may register here (`--registration`).
#[utoipa::path(get, path = "/api/auth/registration", tag = "auth", responses((status = 200, body = RegistrationPolicy)))]
async fn registration(State(state): State<AppState>) -> AppResult<Json<RegistrationPolicy>> {
    let first_account = !state.store.any_user_exists().await?;
    Ok(Json(RegistrationPolicy { mode: state.settings.registration, first_account }))
}

/// Creates an account, with a personal workspace or in the workspace of an invite, and signs
/// it in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserResponse), (status = 403, description = "registration_closed"),
        (status = 404, description = "unknown invite"), (status = 409, description = "email taken, invite used or expired"),
        (status = 422),
        (status = 429), (status = 503, description = "too many passwords being hashed; see `Retry-After`")))]
async fn register(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> AppResult<Response> {
    state.limits.auth_per_ip.check(client).await?;
    let mut check = FieldCheck::default();
    let email = check.take("email", Email::parse(&body.email));
    let name = check.take("name", PersonName::parse(&body.name));
    let password = check.take("password", Password::parse_new(&body.password));
    check.finish()?;
    let (Some(email), Some(name), Some(password)) = (email, name, password) else {
        unreachable!("finish() returned Ok, so every field parsed");
    };
    let invite = match body.invite.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => Some(pending_invite(&state, token).await?),
        None => None,
    };
    let allowed = match state.settings.registration {
        RegistrationMode::Open => true,
        RegistrationMode::InviteOnly => invite.is_some(),
        RegistrationMode::Closed => false,
    };
    // The first account of an empty install may always register, or nobody could set it up.
    if !allowed && state.store.any_user_exists().await? {
        return Err(AppError::ForbiddenWithCode {
            code: "registration_closed",
            message: match state.settings.registration {
                RegistrationMode::Closed => "This CodeView does not take new accounts.".into(),
                _ => "Accounts on this CodeView are by invitation only: ask a workspace admin for an invite.".into(),
            },
        });
    }
    if let Some(invite) = &invite
        && !invite.email.eq_ignore_ascii_case(email.as_str())
    {
        return Err(AppError::field("email", "must be the address the invite was sent to"));
    }
    if state.store.find_user_by_email(email.as_str()).await?.is_some() {
        return Err(email_taken());
    }
    let new = NewUser {
        id: Uuid::now_v7(),
        email: email.as_str().to_owned(),
        name: name.into_string(),
        password_hash: state.passwords.hash(password).await?,
        created_at: Utc::now(),
    };
    let user = state.store.create_user(&new).await.map_err(|err| match AppError::from(err) {
        AppError::Conflict { .. } => email_taken(),
        other => other,
    })?;
    match &invite {
        Some(invite) => join_through(&state, invite, &user).await?,
        None => {
            create_personal_workspace(&state, &user).await?;
        }
    }
    let cookie = start_session(&state, &headers, SessionOwner::User(user.id)).await?;
    tracing::info!(user_id = %user.id, invited = invite.is_some(), "account created");
    Ok((StatusCode::CREATED, [(SET_COOKIE, cookie)], Json(UserResponse { user })).into_response())
}

fn email_taken() -> AppError {
    AppError::Conflict { code: "email_taken", message: "An account with this email already exists.".into() }
}

/// Signs in with email and password. The answer to a failure never says which part was wrong.
/// After a few failures for one email from one address, further attempts from there wait
/// (429 with a growing `Retry-After`); other addresses are not affected.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = UserResponse), (status = 401), (status = 429),
        (status = 503, description = "too many passwords being hashed; see `Retry-After`")))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let mut check = FieldCheck::default();
    check.take("email", bounded_text(&body.email, 0, 254, false));
    let password = check.take("password", Password::parse_attempt(&body.password));
    check.finish()?;
    let password = password.expect("checked above");
    let email = body.email.trim().to_lowercase();
    state.limits.auth_per_ip.check(client).await?;
    state.limits.failed_logins.check(&email, client).await?;
    let account = state.store.find_user_by_email(&email).await?;
    let stored_hash = account.as_ref().map(|a| a.password_hash.clone());
    if !state.passwords.verify(password, stored_hash).await? {
        state.limits.failed_logins.record_failure(&email, client).await;
        return Err(AppError::InvalidCredentials);
    }
    state.limits.failed_logins.record_success(&email, client).await;
    let user = account.expect("verified passwords belong to an account").into_user();
    let cookie = start_session(&state, &headers, SessionOwner::User(user.id)).await?;
    Ok(([(SET_COOKIE, cookie)], Json(UserResponse { user })).into_response())
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401)))]
async fn me(State(state): State<AppState>, caller: Caller) -> AppResult<Json<MeResponse>> {
    match caller {
        Caller::User(user) => Ok(Json(MeResponse { user: Some(user), candidate: None })),
        Caller::Candidate { participant_id } => {
            let participant = state.store.find_participant(participant_id).await?.ok_or(AppError::Unauthorized)?;
            Ok(Json(MeResponse {
                user: None,
                candidate: Some(CandidateIdentity {
                    participant_id,
                    interview_id: participant.interview_id,
                    name: participant.name,
                }),
            }))
        }
    }
}

/// Signs out: the session is deleted on the server, so the old cookie is dead.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let cookie = end_session(&state, &headers).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}
