//! A request that announces a body over the limit (`Content-Length`) is answered 413
//! `payload_too_large` at once, with `Connection: close`, before anything reads it: the server
//! does not take in a megabyte it will refuse, and the client learns it before sending it all.
//! Bodies without a length (chunked) are still cut at the limit when read (`DefaultBodyLimit`).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Largest request body accepted by any route.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub async fn refuse_announced_oversize(request: Request, next: Next) -> Response {
    let announced = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        let mut response = AppError::PayloadTooLarge.into_response();
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    next.run(request).await
}
