//! `GET /api/health`: liveness plus a real round trip to the database.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when everything answers, `degraded` otherwise.
    status: &'static str,
    /// `ok` or `error`.
    db: &'static str,
    backend: &'static str,
    version: &'static str,
}

/// Reports whether the server and its database answer.
#[utoipa::path(get, path = "/api/health", tag = "ops",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db_ok = match state.store.ping().await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            false
        }
    };
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status: if db_ok { "ok" } else { "degraded" },
        db: if db_ok { "ok" } else { "error" },
        backend: state.store.backend(),
        version: env!("CARGO_PKG_VERSION"),
    };
    (status, Json(body))
}
