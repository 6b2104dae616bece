//! Server-side sessions carried by the `codeview_session` cookie. The cookie holds a random
//! secret; the store keeps only its hash. Signing in always mints a new session (and kills
//! the one presented, if any), so a session id planted before login is worthless.

use axum::http::HeaderValue;
use axum::http::header::{COOKIE, HeaderMap, USER_AGENT};
use chrono::{Duration, Utc};
use uuid::Uuid;

use super::secret::{MAX_SECRET_CHARS, hash_secret, new_secret};
use crate::db::NewSession;
use crate::error::AppResult;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "codeview_session";
/// Longest `User-Agent` kept with a session (characters).
const MAX_USER_AGENT_CHARS: usize = 256;

/// Who a new session belongs to.
pub enum SessionOwner {
    User(Uuid),
    /// A candidate without an account, bound to one interview participant.
    Participant(Uuid),
}

/// Creates a session and returns the `Set-Cookie` value for it. A session presented with
/// the request is ended first (rotation).
pub async fn start_session(state: &AppState, headers: &HeaderMap, owner: SessionOwner) -> AppResult<HeaderValue> {
    if let Some(old) = session_secret(headers) {
        forget_session(state, &hash_secret(&old)).await?;
    }
    let secret = new_secret("");
    let now = Utc::now();
    let ttl = Duration::hours(i64::from(state.settings.session_hours));
    let (user_id, participant_id) = match owner {
        SessionOwner::User(id) => (Some(id), None),
        SessionOwner::Participant(id) => (None, Some(id)),
    };
    state
        .store
        .create_session(&NewSession {
            id: Uuid::now_v7(),
            id_hash: hash_secret(&secret),
            user_id,
            participant_id,
            created_at: now,
            expires_at: now + ttl,
            user_agent: user_agent(headers),
        })
        .await?;
    Ok(cookie_header(state, &secret, ttl.num_seconds()))
}

/// The request's `User-Agent`, trimmed and cut short; `None` when absent, blank or not text.
fn user_agent(headers: &HeaderMap) -> Option<String> {
    let agent = headers.get(USER_AGENT)?.to_str().ok()?.trim();
    (!agent.is_empty()).then(|| agent.chars().take(MAX_USER_AGENT_CHARS).collect())
}

/// Ends the session presented with the request, if any (closing its sockets), and returns a
/// cookie that clears it.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> AppResult<HeaderValue> {
    if let Some(secret) = session_secret(headers) {
        forget_session(state, &hash_secret(&secret)).await?;
    }
    Ok(clear_cookie(state))
}

/// A `Set-Cookie` value that removes the session cookie from the browser.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    cookie_header(state, "", 0)
}

/// Deletes a session and closes the sockets it opened.
async fn forget_session(state: &AppState, id_hash: &str) -> AppResult<()> {
    state.store.delete_session(id_hash).await?;
    state.revocations.session_ended(id_hash);
    Ok(())
}

/// The session secret from the request's cookies.
pub fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty() && value.len() <= MAX_SECRET_CHARS)
}

fn cookie_header(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.settings.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&cookie).expect("cookie characters are base64url")
}
