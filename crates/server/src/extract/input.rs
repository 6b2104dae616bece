//! Request extractors that answer bad input with the contract's error body instead of axum's
//! plain-text rejections.
//!
//! - `ApiJson<T>`: 415 for a missing JSON content type, 413 over the body limit, 400 for
//!   malformed JSON, 422 naming the field for missing, unknown or mistyped fields.
//! - `OptionalApiJson<T>`: the same for a body that may be left out (no body is `T::default()`).
//! - `ApiPath<T>`: a path id that does not parse is a 404 (no such thing).
//! - `ApiQuery<T>`: a bad query string is a 422 naming the parameter.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(&req) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = read_body(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body a client may leave out: an empty body stands for `T::default()`, any other is
/// read as by `ApiJson` (so it needs the JSON content type).
pub struct OptionalApiJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = has_json_content_type(&req);
        let bytes = read_body(req, state).await?;
        if bytes.is_empty() {
            return Ok(OptionalApiJson(T::default()));
        }
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        parse_json(&bytes).map(OptionalApiJson)
    }
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest("The request body could not be read.".into())
        }
    })
}

pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|_| AppError::NotFound("resource"))
    }
}

pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri).map(|Query(value)| ApiQuery(value)).map_err(|rejection| {
            let text = rejection.body_text();
            let why = text.rsplit(": ").next().unwrap_or(&text).to_owned();
            AppError::field("query", why)
        })
    }
}

fn has_json_content_type(req: &Request) -> bool {
    let Some(value) = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Ok(mime) = value.parse::<mime::Mime>() else {
        return false;
    };
    mime.type_() == "application" && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
}

/// Parses a JSON body, turning serde's errors into the contract's error kinds.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if !inner.is_data() {
            return AppError::BadRequest(format!("The request body is not valid JSON ({inner})."));
        }
        let text = inner.to_string();
        let (field, why) = if let Some(name) = backticked_after(&text, "missing field ") {
            (join_path(&path, &name), "is required".to_owned())
        } else if let Some(name) = backticked_after(&text, "unknown field ") {
            // serde_path_to_error already ends the path with the unknown field's name.
            (if path == "." { name } else { path }, "is not a known field".to_owned())
        } else {
            let why = text.split(" at line ").next().unwrap_or(&text).to_owned();
            (if path == "." { "body".to_owned() } else { path }, why)
        };
        AppError::field(&field, why)
    })
}

fn backticked_after(text: &str, prefix: &str) -> Option<String> {
    let rest = text.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next().map(str::to_owned)
}

fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        age: Option<u32>,
    }

    fn fields_of(err: AppError) -> Vec<(String, String)> {
        match err {
            AppError::Validation(fields) => fields.into_iter().collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let err = parse_json::<Body>(br#"{"age": 3}"#).unwrap_err();
        assert_eq!(fields_of(err), vec![("email".into(), "is required".into())]);
    }

    #[test]
    fn unknown_fields_are_named() {
        let err = parse_json::<Body>(br#"{"email": "a", "admin": true}"#).unwrap_err();
        assert_eq!(fields_of(err), vec![("admin".into(), "is not a known field".into())]);
    }

    #[test]
    fn mistyped_fields_are_named() {
        let err = parse_json::<Body>(br#"{"email": "a", "age": "old"}"#).unwrap_err();
        assert_eq!(fields_of(err)[0].0, "age");
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(parse_json::<Body>(b"{\"email\": "), Err(AppError::BadRequest(_))));
        assert!(matches!(parse_json::<Body>(b"nope"), Err(AppError::BadRequest(_))));
    }
}
