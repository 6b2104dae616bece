//! The one error type of the HTTP layer and its mapping to the JSON error body of the
//! public contract: `{"error": {"code", "message", "fields"?}}`.
//!
//! Handlers return `Result<_, AppError>`. Client errors carry a stable snake_case code and a
//! human message; server errors are logged with their context and answered with a generic
//! message so that no internal detail (SQL, paths, secrets) ever reaches a response.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::StoreError;
pub use crate::domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    /// A query parameter that is missing or cannot be read (400 `invalid_input`), e.g. a
    /// history instant; the fields name it.
    #[error("invalid input")]
    InvalidInput(FieldErrors),
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// A refusal with its own code, e.g. `interview_ended` or `invalid_invite`.
    #[error("{message}")]
    ForbiddenWithCode { code: &'static str, message: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {message}")]
    Conflict { code: &'static str, message: String },
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The account holds as much of something as it may (`crate::quotas`).
    #[error("quota exceeded: {quota:?}")]
    QuotaExceeded { quota: crate::quotas::Quota, limit: u64 },
    /// A 429 with its own code, e.g. `too_many_sockets` (no `Retry-After`: it clears when the
    /// caller closes some) or `run_queue_full` (retry after a few seconds).
    #[error("{message}")]
    TooMany { code: &'static str, message: String, retry_after_secs: Option<u64> },
    /// The request body did not arrive in time (see `http::body_deadline`).
    #[error("request body too slow")]
    RequestTimeout,
    /// A bounded resource (e.g. password hashing) is saturated; the client should retry.
    #[error("server busy")]
    ServerBusy { retry_after_secs: u64 },
    /// A 503 with its own code: something another part of the deployment does cannot be done
    /// now, e.g. `relay_unavailable` (the instance that owns a live document cannot be reached).
    #[error("{message}")]
    Unavailable { code: &'static str, message: String, retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A validation error about one field.
    pub fn field(field: &str, why: impl Into<String>) -> Self {
        AppError::Validation(BTreeMap::from([(field.to_owned(), why.into())]))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "malformed_request"),
            AppError::InvalidInput(_) => (StatusCode::BAD_REQUEST, "invalid_input"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::ForbiddenWithCode { code, .. } => (StatusCode::FORBIDDEN, code),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            AppError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::QuotaExceeded { quota, .. } if quota.is_size() => {
                (StatusCode::PAYLOAD_TOO_LARGE, "quota_exceeded")
            }
            AppError::QuotaExceeded { .. } => (StatusCode::TOO_MANY_REQUESTS, "quota_exceeded"),
            AppError::TooMany { code, .. } => (StatusCode::TOO_MANY_REQUESTS, code),
            AppError::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            AppError::ServerBusy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "server_busy"),
            AppError::Unavailable { code, .. } => (StatusCode::SERVICE_UNAVAILABLE, code),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }

    fn message(&self) -> String {
        match self {
            AppError::Unauthorized => "You need to sign in first.".into(),
            AppError::InvalidCredentials => "Wrong email or password.".into(),
            AppError::Forbidden(why) => format!("You are not allowed to {why}."),
            AppError::NotFound(what) => format!("No such {what}."),
            AppError::PayloadTooLarge => "The request body is too large.".into(),
            AppError::UnsupportedMediaType => {
                "Send the request body as JSON with `Content-Type: application/json`.".into()
            }
            AppError::Validation(fields) | AppError::InvalidInput(fields) => match fields.len() {
                1 => {
                    let (field, why) = fields.iter().next().expect("one field");
                    format!("Invalid {field}: {why}.")
                }
                _ => "Some fields are invalid.".into(),
            },
            AppError::RateLimited { retry_after_secs } => {
                format!("Too many requests; try again in {retry_after_secs} s.")
            }
            AppError::QuotaExceeded { quota, limit } => {
                crate::quotas::QuotaExceeded { quota: *quota, limit: *limit }.message()
            }
            AppError::RequestTimeout => "The request body arrived too slowly.".into(),
            AppError::ServerBusy { retry_after_secs } => {
                format!("The server is busy; try again in {retry_after_secs} s.")
            }
            AppError::Internal(_) => "Something went wrong on our side.".into(),
            AppError::BadRequest(m) => m.clone(),
            AppError::Conflict { message, .. }
            | AppError::ForbiddenWithCode { message, .. }
            | AppError::TooMany { message, .. }
            | AppError::Unavailable { message, .. } => message.clone(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a FieldErrors>,
}

impl From<crate::domain::InvalidFields> for AppError {
    fn from(invalid: crate::domain::InvalidFields) -> AppError {
        AppError::Validation(invalid.0)
    }
}

impl From<crate::quotas::QuotaExceeded> for AppError {
    fn from(refusal: crate::quotas::QuotaExceeded) -> AppError {
        AppError::QuotaExceeded { quota: refusal.quota, limit: refusal.limit }
    }
}

impl From<crate::domain::policy::Denial> for AppError {
    fn from(denial: crate::domain::policy::Denial) -> AppError {
        use crate::domain::policy::Denial;
        match denial {
            Denial::Forbidden(action) => AppError::Forbidden(action),
            Denial::NotLive(message) => {
                AppError::ForbiddenWithCode { code: "interview_not_live", message: message.into() }
            }
            Denial::NotStarted => AppError::ForbiddenWithCode {
                code: "interview_not_started",
                message: "The interview has not started yet.".into(),
            },
            Denial::RunsDisabled => AppError::ForbiddenWithCode {
                code: "runs_disabled",
                message: "The interviewer has paused running code.".into(),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let fields = match &self {
            AppError::Validation(fields) | AppError::InvalidInput(fields) => Some(fields),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code, message: self.message(), fields } };
        let mut response = (status, axum::Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs }
        | AppError::ServerBusy { retry_after_secs }
        | AppError::Unavailable { retry_after_secs, .. }
        | AppError::TooMany { retry_after_secs: Some(retry_after_secs), .. } = self
        {
            response.headers_mut().insert("retry-after", retry_after_secs.to_string().parse().expect("digits"));
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(what) => {
                AppError::Conflict { code: "conflict", message: format!("{what} already exists.") }
            }
            StoreError::Database(e) => AppError::Internal(anyhow::Error::new(e)),
            StoreError::Sqlite(e) => AppError::Internal(anyhow::Error::new(e)),
            StoreError::Other(e) => AppError::Internal(e),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
