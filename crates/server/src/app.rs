//! The router that wires the feature modules together with the cross-cutting layers (request
//! ids, tracing, metrics, security headers, body limit and deadline, panic guard). The state
//! handlers share is `state::AppState`.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::AppError;
use crate::http;
use crate::http::body_size::MAX_BODY_BYTES;
use crate::http::security_headers::SecurityHeaders;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "CodeView API", description = "Collaborative code interviews. Errors use \
        `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    tags((name = "auth"), (name = "workspaces"), (name = "questions"), (name = "interviews"), (name = "rooms"), (name = "runs"), (name = "ops")),
    components(schemas(
        crate::realtime::room_events::RoomEvent,
        crate::realtime::room_events::client_messages::RoomClientMessage
    ))
)]
struct ApiDoc;

/// The OpenAPI document, as served at `/api/openapi.json` and printed by `codeview openapi`.
pub fn openapi_json() -> String {
    api().1.to_pretty_json().expect("the OpenAPI document serialises")
}

/// The API routes with their OpenAPI description.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(http::auth::router())
        .merge(http::account::router())
        .merge(http::credentials::router())
        .merge(http::health::router())
        .merge(http::workspaces::router())
        .merge(http::workspace_invites::router())
        .merge(http::questions::router())
        .merge(http::interviews::router())
        .merge(http::ice::router())
        .merge(http::interview_emails::router())
        .merge(http::rooms::router())
        .merge(http::runs::router())
        .merge(http::summary::router())
        .merge(http::scorecards::router())
        .merge(http::timeline::router())
        .merge(http::signals::router())
        .merge(http::history::router())
        .split_for_parts();
    http::sent_in_full::require_every_field(&mut doc);
    (router, doc)
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    let openapi_json: Arc<str> = openapi.to_pretty_json().expect("the OpenAPI document serialises").into();
    let api = api
        .route("/api/openapi.json", get(move || serve_json(openapi_json.clone())))
        .route("/api/{*rest}", any(http::web::api_not_found))
        .route_layer(middleware::from_fn(http::metrics::track_requests));
    let request_id = HeaderName::from_static("x-request-id");
    // HSTS follows from an https public URL, as `Secure` cookies do.
    let security_headers = SecurityHeaders { strict_transport_security: state.settings.secure_cookies };
    Router::new()
        .merge(api)
        .merge(crate::realtime::router())
        .route("/metrics", get(http::metrics::render_public_metrics))
        .merge(http::web::router(&state.settings.web_dir))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(http::body_size::refuse_announced_oversize))
        .layer(middleware::from_fn_with_state(state.settings.body_read, http::body_deadline::enforce_body_deadline))
        .layer(middleware::from_fn_with_state(security_headers, http::security_headers::add_security_headers))
        .layer(CatchPanicLayer::custom(|_| AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

async fn serve_json(body: Arc<str>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}
