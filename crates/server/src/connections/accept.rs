//! The accept loop: hyper-util's rather than `axum::serve`, because the latter sets no
//! header-read timeout (a slowloris client could hold connections forever) and no cap.
//! A connection over a cap is closed at once, before anything is read from it.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::caps::ConnectionCaps;
use super::periodic_warning::PeriodicWarning;
use super::slotted_stream::SlottedStream;

/// How long a client may take to send its request headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);
/// How long open requests may take to finish once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed accept (usually EMFILE), instead of spinning on it.
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(50);
/// At most one warning line per condition per interval.
const WARNING_INTERVAL: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes, then drains open requests.
pub async fn accept_loop(
    listener: TcpListener,
    router: Router,
    caps: ConnectionCaps,
    shutdown: impl Future<Output = ()>,
) {
    // HTTP/1 only: the header-read timeout guards HTTP/1, and cleartext HTTP/2 (which only a
    // client speaking it on purpose would send here) could hold a connection's place idle.
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut refusals = PeriodicWarning::new(WARNING_INTERVAL);
    let mut accept_errors = PeriodicWarning::new(WARNING_INTERVAL);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    if let Some(count) = accept_errors.occurred() {
                        tracing::warn!(error = %err, count, "accepting connections failed");
                    }
                    tokio::time::sleep(ACCEPT_ERROR_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match caps.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(refusal) => {
                // A reset frees the socket at once, with no FIN handshake or TIME_WAIT kept for it.
                let _ = stream.set_zero_linger();
                drop(stream);
                metrics::counter!("codeview_connections_refused_total", "reason" => refusal.as_str()).increment(1);
                if let Some(count) = refusals.occurred() {
                    let limits = caps.limits();
                    tracing::warn!(
                        count,
                        last_reason = refusal.as_str(),
                        last_peer = %peer.ip(),
                        max_connections = limits.total,
                        max_connections_per_ip = limits.per_network,
                        "refusing connections over the caps"
                    );
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = builder
            .serve_connection_with_upgrades(
                TokioIo::new(SlottedStream::new(stream, slot)),
                TowerToHyperService::new(service),
            )
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: draining open requests");
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await.is_err() {
        tracing::warn!("some connections did not finish in time");
    }
}
