//! The built web UI (`web/dist`): static assets with long-lived caching for fingerprinted
//! files, and the SPA fallback that answers every other page path with `index.html`.
//! Unknown `/api/…` paths never fall back to the page: they get the JSON 404.

use std::path::Path;

use axum::Router;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get_service;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

/// A router serving `dir`, or a helpful page when the UI has not been built.
pub fn router(dir: &Path) -> Router<AppState> {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "web UI not built: run `make run` (or `npm run build` in web/)");
        return Router::new().fallback(|| async { (StatusCode::SERVICE_UNAVAILABLE, Html(UNBUILT_PAGE)) });
    }
    let assets = ServeDir::new(dir).fallback(ServeFile::new(index));
    Router::new().fallback_service(get_service(tower::service_fn(move |req: Request<axum::body::Body>| {
        let assets = assets.clone();
        async move {
            let immutable = req.uri().path().starts_with("/assets/");
            let mut response = assets.oneshot(req).await.into_response();
            let cache = if immutable && response.status().is_success() {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(cache));
            Ok::<Response, std::convert::Infallible>(response)
        }
    })))
}

/// The JSON 404 for unknown API paths.
pub async fn api_not_found() -> Response {
    crate::error::AppError::NotFound("API route").into_response()
}

const UNBUILT_PAGE: &str = "<!doctype html><meta charset=utf-8><title>CodeView</title>\
<h1>CodeView</h1><p>The web UI has not been built. Run <code>make run</code>, or \
<code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>, then reload.</p>";
