//! Strict response headers for every response: a Content Security Policy that allows only our
//! own origin (plus what Monaco and WebRTC need), no framing, no referrer (invite links carry
//! secrets in their query), `no-store` for API answers, and, when the public URL is https,
//! `Strict-Transport-Security` (browsers then refuse plain http to this host, so a network
//! attacker cannot strip TLS from a later visit; over plain http the header would be wrong).

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{self, HeaderName};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; \
worker-src 'self' blob:; media-src 'self' blob: mediastream:; object-src 'none'; \
frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// One year, and subdomains too: what browsers' preload lists expect.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Which optional headers this server sends.
#[derive(Debug, Clone, Copy)]
pub struct SecurityHeaders {
    /// The public URL is https.
    pub strict_transport_security: bool,
}

pub async fn add_security_headers(State(config): State<SecurityHeaders>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
    );
    if config.strict_transport_security {
        set(headers, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if is_api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
