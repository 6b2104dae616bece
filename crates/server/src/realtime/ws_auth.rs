//! Who opens a WebSocket, checked before the upgrade: the session cookie or an API token in
//! `?token=` (browsers cannot set headers on WebSockets), and an `Origin` that is our own
//! (axum does not check it; without the check any web page could open a socket with the
//! visitor's cookie). An accepted socket registers what it was opened with, so it closes
//! when that is gone (`revocations`).

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};

use super::revocations::{SocketGrant, SocketRights};
use crate::auth::InterviewAccess;
use crate::error::{AppError, AppResult};
use crate::extract::token_caller;
use crate::extract::{Authenticated, Credential};
use crate::state::AppState;

/// The caller from `?token=` if given, else from the cookie session already resolved.
pub async fn socket_caller(
    state: &AppState,
    cookie_caller: Option<Authenticated>,
    token: Option<&str>,
) -> AppResult<Authenticated> {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => token_caller(state, token).await,
        None => cookie_caller.ok_or(AppError::Unauthorized),
    }
}

/// Registers a socket about to open with `access`, by `credential`.
pub fn register_socket(state: &AppState, access: &InterviewAccess, credential: Credential) -> SocketRights {
    state.revocations.register(SocketGrant {
        interview_id: access.interview.id,
        participant_id: access.participant.id,
        user_id: access.participant.user_id,
        role: access.role(),
        credential,
    })
}

/// Accepts a request without `Origin` (not a browser), or whose `Origin` is the public URL's
/// origin or the origin of the `Host` it was sent to.
pub fn check_origin(state: &AppState, headers: &HeaderMap) -> AppResult<()> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| forbidden_origin())?;
    let public = origin_of(&state.settings.public_url);
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let same_host = host.is_some_and(|host| origin_host(origin) == Some(host));
    if Some(origin) == public.as_deref() || same_host { Ok(()) } else { Err(forbidden_origin()) }
}

fn forbidden_origin() -> AppError {
    AppError::ForbiddenWithCode { code: "bad_origin", message: "This page may not open CodeView sockets.".into() }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

fn origin_host(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, host)| host.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_by_scheme_host_and_port() {
        assert_eq!(origin_of("https://cv.example.com/app").as_deref(), Some("https://cv.example.com"));
        assert_eq!(origin_host("http://127.0.0.1:8080"), Some("127.0.0.1:8080"));
    }
}
