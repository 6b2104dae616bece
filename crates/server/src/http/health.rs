//! Health checks. `GET /api/health`: the server and a real round trip to the database.
//! `GET /api/health/live`: the process is up (for a liveness probe: restart it if not).
//! `GET /api/health/ready`: the process can do its work (for a readiness probe and the
//! operator): it is not draining (shutting down, see `drain`), the database, Redis when
//! configured, and the code sandbox when this process executes runs, with its isolation level
//! and what it lacks.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::runs::isolation::SandboxHealth;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(live)).routes(routes!(ready))
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
    let db_ok = database_answers(&state).await;
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status: if db_ok { "ok" } else { "degraded" },
        db: if db_ok { "ok" } else { "error" },
        backend: state.store.backend(),
        version: env!("CARGO_PKG_VERSION"),
    };
    (status, Json(body))
}

async fn database_answers(state: &AppState) -> bool {
    match state.store.ping().await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            false
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`: the process answers.
    status: &'static str,
    version: &'static str,
}

/// The process is up. Checks nothing else: a liveness probe must not restart a server
/// because its database is down.
#[utoipa::path(get, path = "/api/health/live", tag = "ops", responses((status = 200, body = Liveness)))]
async fn live() -> Json<Liveness> {
    Json(Liveness { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// Whether everything below is as it must be (the response is then 200, else 503).
    ready: bool,
    /// True once this instance is shutting down: it still serves what reaches it, but a load
    /// balancer must send new clients elsewhere.
    draining: bool,
    /// The store: `ok` or `error`.
    db: &'static str,
    backend: &'static str,
    /// `ok` or `error`; null when no Redis is configured.
    redis: Option<&'static str>,
    /// The code sandbox of this process; null when it executes no runs (`--run-workers 0`:
    /// `codeview worker` processes do, and each refuses to start below full isolation).
    sandbox: Option<SandboxHealth>,
    version: &'static str,
}

/// Whether this process can do its work: it is not draining, the database answers, Redis
/// (when configured) answers, and the code sandbox (when this process executes runs) started and runs code,
/// under full isolation or degraded with `--sandbox-allow-degraded`. `sandbox.missing` says
/// what the sandbox lacks and how to get it.
#[utoipa::path(get, path = "/api/health/ready", tag = "ops",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (db_ok, redis, sandbox) =
        tokio::join!(database_answers(&state), state.runs.events.redis_reachable(), state.runs.sandbox_health());
    let draining = state.draining.is_draining();
    let ready = !draining && db_ok && redis != Some(false) && sandbox.as_ref().is_none_or(|s| s.runs_allowed);
    let body = Readiness {
        ready,
        draining,
        db: if db_ok { "ok" } else { "error" },
        backend: state.store.backend(),
        redis: redis.map(|ok| if ok { "ok" } else { "error" }),
        sandbox,
        version: env!("CARGO_PKG_VERSION"),
    };
    (if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}
