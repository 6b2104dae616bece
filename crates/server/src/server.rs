//! Running the server: open the store, build the state and router, start background chores,
//! and serve connections (see `connections`) until `shutdown` resolves, then drain (see
//! `drain`): not ready for a while, then open requests, sockets and runs.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures_util::FutureExt;
use tokio::net::TcpListener;

use crate::app;
use crate::auth::password::PasswordHashing;
use crate::auth::secret::hash_secret;
use crate::cluster::redis_client;
use crate::config::{Config, WorkerConfig};
use crate::connections::{CapLimits, ConnectionCaps, accept_loop, raise_open_file_limit};
use crate::db;
use crate::drain::{self, Stop};
use crate::http::body_deadline::BodyReadLimits;
use crate::ice::IceSettings;
use crate::ice::relay::TurnRelay;
use crate::rate_limit::RateLimits;
use crate::realtime::room_events::RoomEvents;
use crate::runs::RunService;
use crate::state::{AppState, Settings};

/// Caps of the metrics listener: a scraper or two, never a crowd.
const METRICS_LISTENER_CAPS: CapLimits = CapLimits { total: 32, per_network: 8 };

/// `codeview worker`: executes queued runs until `shutdown` resolves, then drains (see
/// [`crate::runs::worker::Workers::drain`]).
pub async fn work(config: WorkerConfig, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    // The recorder is installed before anything is measured.
    let metrics = match config.metrics_addr {
        Some(addr) => Some((
            TcpListener::bind(addr).await.with_context(|| format!("listening for metrics on {addr}"))?,
            crate::http::metrics::recorder(),
        )),
        None => None,
    };
    let store = db::connect(&config.database.database_url).await?;
    let redis = redis_client::from_flags(config.redis_url.as_deref(), config.redis_ca_file.as_deref())?;
    let events = match redis {
        Some(client) => RoomEvents::with_redis(client, false).await?,
        None => {
            tracing::warn!("no Redis URL: run output will not stream live, results are stored as usual");
            RoomEvents::default()
        }
    };
    let runs = RunService::new(store, events, config.sandbox.clone());
    if runs.runner().await.is_none() {
        anyhow::bail!("the code sandbox cannot start on this machine (see the log above)");
    }
    if let Err(refused) = runs.runner_for_runs().await {
        anyhow::bail!("refusing to run candidates' code: {refused}");
    }
    tracing::info!(config = ?config, "worker started");
    let workers = runs.start_workers(config.run_workers as usize);
    let shutdown = shutdown.shared();
    let serve_metrics = async {
        if let Some((listener, recorder)) = metrics {
            let router = crate::http::metrics::private_router(recorder);
            accept_loop(listener, router, ConnectionCaps::new(METRICS_LISTENER_CAPS), shutdown.clone()).await;
        }
    };
    tokio::join!(serve_metrics, async {
        shutdown.clone().await;
        tracing::info!("shutting down: draining runs");
        workers.drain(Duration::from_secs(config.sandbox.run_drain_secs.into())).await;
    });
    Ok(())
}

/// Opens the store named in `config` and builds the application state.
pub async fn build_state(config: &Config, bound: SocketAddr, ice: IceSettings) -> anyhow::Result<AppState> {
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
        registration: config.registration,
        web_dir: config.web_dir.clone(),
        body_read: BodyReadLimits::from_config(&config.connections),
        metrics_token_hash: config.metrics.metrics_token.as_deref().map(hash_secret),
        ice,
        trusted_proxies: config.trusted_proxies.clone(),
    };
    let redis = redis_client::from_flags(config.redis_url.as_deref(), config.redis_ca_file.as_deref())?;
    let mut events = match redis.clone() {
        Some(client) => RoomEvents::with_redis(client, true).await?,
        None => RoomEvents::default(),
    };
    let cluster = crate::cluster::Cluster::from_client(redis);
    let presence_changes = cluster.redis().is_some().then(|| events.share_presence());
    let runs = RunService::new(store.clone(), events, config.sandbox.clone());
    let terminal_idle = std::time::Duration::from_secs(config.sandbox.terminal_idle_secs.into());
    let live_docs = crate::realtime::LiveDocs::new(store.clone(), config.doc_sockets.clone())?;
    if cluster.redis().is_some() {
        if store.backend() == "postgres" {
            live_docs.join_cluster(&cluster).await?;
        } else {
            tracing::warn!(
                "live documents stay on this instance: sharing them needs PostgreSQL (SQLite is single-instance)"
            );
        }
    }
    let terminal_cluster = crate::realtime::room_cluster::terminal_cluster(&cluster);
    let quotas = crate::quotas::Quotas::new(config.quotas.clone()).shared_across(&cluster);
    let shared_call = crate::realtime::room_cluster::call::SharedCall::new(&cluster, runs.events.clone()).map(Arc::new);
    let limits = RateLimits::new(&config.rate_limits, &cluster);
    let state = AppState {
        terminals: crate::terminal::Terminals::new(
            runs.clone(),
            terminal_idle,
            limits.terminal_starts.clone(),
            terminal_cluster,
        ),
        live_docs,
        revocations: crate::realtime::Revocations::start(store.clone(), &cluster),
        runs,
        timeline: crate::timeline::Timeline::start(store.clone()),
        shared_call,
        store,
        settings: Arc::new(settings),
        limits,
        cluster,
        quotas,
        passwords: PasswordHashing::new(&config.password_hashing),
        mailer: crate::mail::Mailer::new(&config.mail)?,
        metrics: crate::http::metrics::recorder(),
        draining: crate::drain::Draining::default(),
    };
    crate::realtime::room_cluster::start(&state, presence_changes).await?;
    Ok(state)
}

/// Serves CodeView on `listener` until `shutdown` completes, then drains (see [`crate::drain`]).
pub async fn serve<S: Into<Stop>>(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = S>,
) -> anyhow::Result<()> {
    let bound = listener.local_addr().context("reading the bound address")?;
    let open_files = raise_open_file_limit();
    let caps = ConnectionCaps::new(CapLimits::from_config(&config.connections, open_files));
    let metrics_listener = match config.metrics.metrics_addr {
        Some(addr) => Some(TcpListener::bind(addr).await.with_context(|| format!("listening for metrics on {addr}"))?),
        None => None,
    };
    let (ice, relay) = start_ice(&config).await?;
    let state = match build_state(&config, bound, ice).await {
        Ok(state) => state,
        Err(err) => {
            if let Some(relay) = relay {
                relay.stop().await;
            }
            return Err(err);
        }
    };
    tracing::info!(
        config = ?config,
        backend = state.store.backend(),
        instance = %state.cluster.instance(),
        open_files,
        caps = ?caps.limits(),
        "starting"
    );
    if config.rate_limits.login_per_minute.is_some() {
        tracing::warn!(
            "--login-per-minute (CODEVIEW_LOGIN_PER_MINUTE) is ignored: failed logins are delayed per email and \
             address instead (--login-failures-before-delay)"
        );
    }
    let chores = tokio::spawn(run_chores(state.clone()));
    let revocations_heard = tokio::spawn(stop_what_others_revoked(state.clone()));
    let large_inserts = crate::timeline::large_inserts::start(state.clone());
    let auto_end = tokio::spawn(crate::auto_end::keep_sweeping(
        state.clone(),
        Duration::from_millis(config.auto_end_check_ms.into()),
    ));
    let history_purge = config
        .history_days
        .map(|days| tokio::spawn(crate::history::retention::purge_regularly(state.store.clone(), days)));
    let workers = state.runs.start_workers(config.run_workers);
    let metrics = state.metrics.clone();
    let (draining, revocations, live_docs) =
        (state.draining.clone(), state.revocations.clone(), state.live_docs.clone());
    let router = app::router(state);
    let drain_grace = Duration::from_secs(config.sandbox.run_drain_secs.into());
    let drain_period = Duration::from_secs(config.drain_secs.into());
    // Resolves when this instance stops accepting: after the draining period.
    let shutdown = async move { drain::announce(&draining, shutdown.await.into(), drain_period).await }.shared();
    let serve_metrics = async {
        if let Some(listener) = metrics_listener {
            if let Ok(addr) = listener.local_addr() {
                tracing::info!(%addr, "serving metrics");
            }
            let router = crate::http::metrics::private_router(metrics);
            accept_loop(listener, router, ConnectionCaps::new(METRICS_LISTENER_CAPS), shutdown.clone()).await;
        }
    };
    // Runs drain while open requests and sockets do: a long poll for a run's result can still
    // see it end.
    tokio::join!(accept_loop(listener, router, caps, shutdown.clone()), serve_metrics, async {
        shutdown.clone().await;
        tokio::join!(workers.drain(drain_grace), drain::close_sockets(&revocations), live_docs.hand_over());
    });
    chores.abort();
    revocations_heard.abort();
    auto_end.abort();
    large_inserts.abort();
    if let Some(purge) = history_purge {
        purge.abort();
    }
    if let Some(relay) = relay {
        relay.stop().await;
    }
    Ok(())
}

/// Checks the STUN/TURN flags and starts the embedded TURN relay when `--turn-listen` asks.
async fn start_ice(config: &Config) -> anyhow::Result<(IceSettings, Option<TurnRelay>)> {
    let ice = IceSettings::from_args(&config.ice)?;
    let (Some(relay_config), Some(secret)) = (&ice.relay, &ice.turn_secret) else {
        return Ok((ice, None));
    };
    let relay = TurnRelay::start(relay_config, secret).await?;
    Ok((ice.relay_started_at(relay.advertised()), Some(relay)))
}

/// A right taken away on another instance also stops what this process runs under it: the
/// terminal session of an ended interview or of a removed starter (its own check of the store
/// would stop it within a few seconds; a missed notice is left to that check).
async fn stop_what_others_revoked(state: AppState) {
    use crate::realtime::revocations::Notice;
    use tokio::sync::broadcast::error::RecvError;
    let mut heard = state.revocations.heard_from_others();
    loop {
        match heard.recv().await {
            Ok(Notice::InterviewEnded { interview_id }) => state.terminals.interview_ended(interview_id),
            Ok(Notice::ParticipantRemoved { interview_id, participant_id }) => {
                state.terminals.participant_removed(interview_id, participant_id);
            }
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return,
        }
    }
}

/// Periodic housekeeping: expired sessions, idle rate-limit keys.
async fn run_chores(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        state.limits.forget_idle();
        state.timeline.forget_idle();
        match state.store.delete_expired_sessions(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(err) => tracing::warn!(error = %err, "removing expired sessions failed"),
        }
    }
}
