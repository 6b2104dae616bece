//! Extractors that tell a handler who is calling.
//!
//! - `CurrentUser`: an account holder, by session cookie or `Authorization: Bearer` token;
//!   anything else is 401.
//! - `Caller`: an account holder or a candidate session (bound to one interview participant);
//!   anything else is 401.
//! - `Authenticated`: a `Caller` with the `Credential` it presented (sockets and the account
//!   routes that manage sessions and tokens need to know which).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{Duration, Utc};
use uuid::Uuid;

use crate::auth::secret::{MAX_SECRET_CHARS, hash_secret};
use crate::auth::session::session_secret;
use crate::db::User;
use crate::error::AppError;
use crate::state::AppState;

/// How stale a session's or a token's `last_used_at` may get before a request writes it again
/// (a write per request would be a cost for nothing a person needs to the second).
const LAST_USED_RESOLUTION: Duration = Duration::minutes(5);

/// The signed-in account holder.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// Whoever is calling: an account holder or a candidate.
#[derive(Debug, Clone)]
pub enum Caller {
    User(User),
    /// A candidate session, bound to this interview participant.
    Candidate {
        participant_id: Uuid,
    },
}

impl Caller {
    pub fn user(&self) -> Option<&User> {
        match self {
            Caller::User(user) => Some(user),
            Caller::Candidate { .. } => None,
        }
    }
}

/// What the caller presented, once it checked out: sockets remember it so they close when it
/// ends, and some account routes need a browser session rather than a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    /// A cookie session, by the hash it is stored under, and its public id.
    Session { id: Uuid, id_hash: String },
    /// A personal API token, by id.
    Token { id: Uuid },
}

/// A caller together with the credential it was recognised by.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub caller: Caller,
    pub credential: Credential,
}

/// Resolves the request's credentials. A malformed or unknown Bearer token is an error even
/// when a cookie is present: an API client should learn its token is wrong.
pub async fn authenticate(state: &AppState, parts: &Parts) -> Result<Option<Authenticated>, AppError> {
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token =
            header.to_str().ok().and_then(|value| value.strip_prefix("Bearer ")).ok_or(AppError::Unauthorized)?;
        return token_caller(state, token).await.map(Some);
    }
    let Some(secret) = session_secret(&parts.headers) else {
        return Ok(None);
    };
    let Some(session) = state.store.find_session(&hash_secret(&secret), Utc::now()).await? else {
        return Ok(None);
    };
    let caller = match (session.user_id, session.participant_id) {
        (Some(user_id), _) => state.store.find_user(user_id).await?.map(Caller::User),
        (None, Some(participant_id)) => Some(Caller::Candidate { participant_id }),
        (None, None) => None,
    };
    let now = Utc::now();
    if session.last_used_at.is_none_or(|used| now - used > LAST_USED_RESOLUTION) {
        state.store.touch_session(&session.id_hash, now).await?;
    }
    let credential = Credential::Session { id: session.id, id_hash: session.id_hash };
    Ok(caller.map(|caller| Authenticated { caller, credential }))
}

/// The account behind an API token (from `Authorization: Bearer` or a socket's `?token=`);
/// 401 when it is malformed, unknown or expired.
pub async fn token_caller(state: &AppState, token: &str) -> Result<Authenticated, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_SECRET_CHARS {
        return Err(AppError::Unauthorized);
    }
    let now = Utc::now();
    let owner = state.store.find_token_owner(&hash_secret(token), now).await?.ok_or(AppError::Unauthorized)?;
    if owner.last_used_at.is_none_or(|used| now - used > LAST_USED_RESOLUTION) {
        state.store.touch_api_token(owner.token_id, now).await?;
    }
    Ok(Authenticated { caller: Caller::User(owner.user), credential: Credential::Token { id: owner.token_id } })
}

/// Resolves the request's caller (see [`authenticate`]).
pub async fn resolve_caller(state: &AppState, parts: &Parts) -> Result<Option<Caller>, AppError> {
    Ok(authenticate(state, parts).await?.map(|auth| auth.caller))
}

impl Authenticated {
    /// The account holder and credential; 403 for a candidate session.
    pub fn account(self) -> Result<(User, Credential), AppError> {
        match self.caller {
            Caller::User(user) => Ok((user, self.credential)),
            Caller::Candidate { .. } => Err(candidate_refused()),
        }
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(state, parts).await?.ok_or(AppError::Unauthorized)
    }
}

/// The caller and credential if any: for sockets, which may also authenticate by `?token=`.
#[derive(Debug, Clone)]
pub struct MaybeAuthenticated(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybeAuthenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(state, parts).await.map(MaybeAuthenticated)
    }
}

fn candidate_refused() -> AppError {
    AppError::Forbidden("use this with a candidate session")
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        resolve_caller(state, parts).await?.ok_or(AppError::Unauthorized)
    }
}

/// The caller if any: for routes open to everyone that still behave better for participants.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        resolve_caller(state, parts).await.map(MaybeCaller)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve_caller(state, parts).await? {
            Some(Caller::User(user)) => Ok(CurrentUser(user)),
            Some(Caller::Candidate { .. }) => Err(candidate_refused()),
            None => Err(AppError::Unauthorized),
        }
    }
}
