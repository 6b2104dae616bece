//! Running the server: open the store, build the state and router, start background chores,
//! and serve connections until `shutdown` resolves, then drain open requests.
//!
//! The accept loop is hyper-util's rather than `axum::serve` because the latter sets no
//! header-read timeout (a slowloris client could hold connections forever).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::ConnectInfo;
use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::app::{self, AppState, Settings};
use crate::config::{Config, WorkerConfig};
use crate::db;
use crate::rate_limit::RateLimits;
use crate::runs::RunService;
use crate::runs::events::RoomEvents;

/// How long a client may take to send its request headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);
/// How long open requests may take to finish once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// `codeview worker`: executes queued runs until `shutdown` resolves, then drains (see
/// [`crate::runs::worker::Workers::drain`]).
pub async fn work(config: WorkerConfig, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let store = db::connect(&config.database.database_url).await?;
    let events = match &config.redis_url {
        Some(url) => RoomEvents::with_redis(url, false).await?,
        None => {
            tracing::warn!("no Redis URL: run output will not stream live, results are stored as usual");
            RoomEvents::default()
        }
    };
    let runs = RunService::new(store, events, config.sandbox);
    if runs.runner().await.is_none() {
        anyhow::bail!("the code sandbox cannot start on this machine (see the log above)");
    }
    tracing::info!(config = ?config, "worker started");
    let workers = runs.start_workers(config.run_workers as usize);
    shutdown.await;
    tracing::info!("shutting down: draining runs");
    workers.drain(Duration::from_secs(config.sandbox.run_drain_secs.into())).await;
    Ok(())
}

fn doc_socket_limits(config: &Config) -> crate::realtime::SocketLimits {
    let caps = &config.doc_sockets;
    crate::realtime::SocketLimits { per_participant: caps.per_participant, per_address: caps.per_address }
}

/// Opens the store named in `config` and builds the application state.
pub async fn build_state(config: &Config, bound: SocketAddr) -> anyhow::Result<AppState> {
    let store = db::connect(&config.database.database_url).await?;
    let added = crate::seed::load_starter_library(&*store).await.context("loading the starter questions")?;
    if added > 0 {
        tracing::info!(added, "starter questions loaded into the bank");
    }
    let public_url = config.public_url(bound);
    let settings = Settings {
        secure_cookies: public_url.starts_with("https://"),
        public_url,
        session_hours: config.session_hours,
        web_dir: config.web_dir.clone(),
    };
    let events = match &config.redis_url {
        Some(url) => RoomEvents::with_redis(url, true).await?,
        None => RoomEvents::default(),
    };
    Ok(AppState {
        doc_rooms: crate::realtime::DocRooms::new(store.clone(), doc_socket_limits(config))?,
        revocations: crate::realtime::Revocations::start(store.clone()),
        runs: RunService::new(store.clone(), events, config.sandbox),
        store,
        settings: Arc::new(settings),
        limits: RateLimits::new(&config.rate_limits),
        quotas: crate::quotas::Quotas::new(config.quotas.clone()),
        metrics: crate::http::metrics::recorder(),
    })
}

/// Serves CodeView on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let bound = listener.local_addr().context("reading the bound address")?;
    let state = build_state(&config, bound).await?;
    tracing::info!(config = ?config, backend = state.store.backend(), "starting");
    let chores = tokio::spawn(run_chores(state.clone()));
    let workers = state.runs.start_workers(config.run_workers);
    let router = app::router(state);
    let drain_grace = Duration::from_secs(config.sandbox.run_drain_secs.into());
    let shutdown = shutdown.shared();
    // Runs drain while open requests do: a long poll for a run's result can still see it end.
    tokio::join!(accept_loop(listener, router, shutdown.clone()), async {
        shutdown.await;
        workers.drain(drain_grace).await;
    });
    chores.abort();
    Ok(())
}

async fn accept_loop(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Usually EMFILE: back off instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
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

/// Periodic housekeeping: expired sessions, idle rate-limit keys.
async fn run_chores(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        state.limits.forget_idle();
        match state.store.delete_expired_sessions(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(err) => tracing::warn!(error = %err, "removing expired sessions failed"),
        }
    }
}
