//! Prometheus metrics: a middleware that counts and times every request by route, and
//! `GET /metrics` rendering them in the text exposition format — on the separate metrics
//! listener (`--metrics-addr`), and on the public port only with `Authorization: Bearer`
//! and the metrics token. Metrics show routes, traffic and timings, which are nobody's
//! business on the public port.

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::auth::secret::hash_secret;
use crate::error::AppError;
use crate::state::AppState;

/// Edits travel in well under a millisecond on one instance: their latencies need finer
/// buckets than requests.
const EDIT_LATENCY_BUCKETS: &[f64] = &[0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];
/// Runs wait and execute for seconds to minutes.
const RUN_SECONDS_BUCKETS: &[f64] = &[0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];
/// Appends per commit of the update log, up to its batch of 512.
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 512.0];
/// Histograms whose buckets are not the requests'.
const BUCKETS_BY_METRIC: [(&str, &[f64]); 5] = [
    ("codeview_doc_log_batch_appends", BATCH_BUCKETS),
    (crate::realtime::update_log::EDIT_RELAY_SECONDS, EDIT_LATENCY_BUCKETS),
    // The relay of edits between instances (the live documents across instances).
    ("codeview_doc_relay_seconds", EDIT_LATENCY_BUCKETS),
    (crate::runs::run_metrics::QUEUE_WAIT_SECONDS, RUN_SECONDS_BUCKETS),
    (crate::runs::run_metrics::SANDBOX_SECONDS, RUN_SECONDS_BUCKETS),
];

/// The process-wide recorder. `metrics` has one global recorder, so every app in the process
/// (tests start many) shares it.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let mut builder = PrometheusBuilder::new()
                .set_buckets(&[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
                .expect("static bucket list");
            for (name, buckets) in BUCKETS_BY_METRIC {
                builder =
                    builder.set_buckets_for_metric(Matcher::Full(name.into()), buckets).expect("static bucket list");
            }
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (e.g. by an embedding program); then
            // this handle still renders, just without the requests counted elsewhere.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("codeview_http_requests_total", &labels).increment(1);
    metrics::histogram!("codeview_http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` on the public port: 404 unless a metrics token is configured, then 401
/// without it.
pub async fn render_public_metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.settings.metrics_token_hash else {
        return AppError::NotFound("page").into_response();
    };
    let presented = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    // Comparing hashes keeps the comparison's timing unrelated to the token.
    if presented.map(|token| hash_secret(token.trim())).as_ref() != Some(expected) {
        return AppError::Unauthorized.into_response();
    }
    state.metrics.render().into_response()
}

/// The router of the separate metrics listener.
pub fn private_router(metrics: PrometheusHandle) -> Router {
    Router::new().route("/metrics", get(move || std::future::ready(metrics.render())))
}
