//! The application state shared by every handler and the router that wires the feature
//! modules together with the cross-cutting layers (request ids, tracing, metrics, security
//! headers, body limit and deadline, panic guard).

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Router, middleware};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::password::PasswordHashing;
use crate::db::Store;
use crate::error::AppError;
use crate::http;
use crate::http::body_deadline::BodyReadLimits;
use crate::http::security_headers::SecurityHeaders;
use crate::rate_limit::RateLimits;

/// Largest request body accepted by any route.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Cheap-to-clone handles to everything a handler may need.
#[derive(Clone)]
pub struct AppState {
    /// The database, behind the backend-neutral trait.
    pub store: Arc<dyn Store>,
    /// Settings derived from the configuration at start-up; read-only afterwards.
    pub settings: Arc<Settings>,
    /// Per-key request budgets (login, join, …).
    pub limits: RateLimits,
    /// What one account may hold, and the locks that make its checks exact.
    pub quotas: crate::quotas::Quotas,
    /// The gate every password hash goes through.
    pub passwords: PasswordHashing,
    /// Sends email (workspace invites) when SMTP is configured.
    pub mailer: crate::mail::Mailer,
    /// Renders the Prometheus metrics.
    pub metrics: PrometheusHandle,
    /// The live collaborative documents.
    pub doc_rooms: crate::realtime::DocRooms,
    /// Code runs: queue, workers, sandbox, room events.
    pub runs: crate::runs::RunService,
    /// Closes open sockets whose credential or right is gone.
    pub revocations: crate::realtime::Revocations,
}

/// Start-up settings handlers consult.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL people use to reach the server, without a trailing slash.
    pub public_url: String,
    /// Whether cookies carry `Secure` (the public URL is https).
    pub secure_cookies: bool,
    pub session_hours: u32,
    /// Who may create an account.
    pub registration: crate::config::RegistrationMode,
    pub web_dir: PathBuf,
    /// How fast request bodies must arrive.
    pub body_read: BodyReadLimits,
    /// The SHA-256 of `--metrics-token`: with it, the public port serves `/metrics` to bearers.
    pub metrics_token_hash: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "CodeView API", description = "Collaborative code interviews. Errors use \
        `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    tags((name = "auth"), (name = "workspaces"), (name = "questions"), (name = "interviews"), (name = "rooms"), (name = "runs"), (name = "ops"))
)]
struct ApiDoc;

/// The API routes with their OpenAPI description.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(http::auth::router())
        .merge(http::credentials::router())
        .merge(http::health::router())
        .merge(http::workspaces::router())
        .merge(http::workspace_invites::router())
        .merge(http::questions::router())
        .merge(http::interviews::router())
        .merge(http::rooms::router())
        .merge(http::runs::router())
        .split_for_parts()
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
