//! Extractors that tell a handler who is calling.
//!
//! - `CurrentUser`: an account holder, by session cookie or `Authorization: Bearer` token;
//!   anything else is 401.
//! - `Caller`: an account holder or a candidate session (bound to one interview participant);
//!   anything else is 401.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use uuid::Uuid;

use super::secret::hash_secret;
use super::session::session_secret;
use crate::app::AppState;
use crate::db::User;
use crate::error::AppError;

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

/// Resolves the request's credentials. A malformed or unknown Bearer token is an error even
/// when a cookie is present: an API client should learn its token is wrong.
pub async fn resolve_caller(state: &AppState, parts: &Parts) -> Result<Option<Caller>, AppError> {
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty() && token.len() <= 128)
            .ok_or(AppError::Unauthorized)?;
        let user = state.store.find_user_by_token(&hash_secret(token)).await?;
        return user.map(|user| Some(Caller::User(user))).ok_or(AppError::Unauthorized);
    }
    let Some(secret) = session_secret(&parts.headers) else {
        return Ok(None);
    };
    let Some(session) = state.store.find_session(&hash_secret(&secret), Utc::now()).await? else {
        return Ok(None);
    };
    match (session.user_id, session.participant_id) {
        (Some(user_id), _) => Ok(state.store.find_user(user_id).await?.map(Caller::User)),
        (None, Some(participant_id)) => Ok(Some(Caller::Candidate { participant_id })),
        (None, None) => Ok(None),
    }
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
            Some(Caller::Candidate { .. }) => Err(AppError::Forbidden("use this with a candidate session")),
            None => Err(AppError::Unauthorized),
        }
    }
}
