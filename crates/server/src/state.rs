//! The application state shared by every handler and socket: cheap handles to the store, the
//! settings, limits, quotas, live documents, runs and revocations. A leaf of the module graph:
//! it names the services, and everything that serves requests depends on it, not the reverse.

use std::path::PathBuf;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::password::PasswordHashing;
use crate::db::Store;
use crate::http::body_deadline::BodyReadLimits;
use crate::rate_limit::RateLimits;

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
    pub live_docs: crate::realtime::live_docs::LiveDocs,
    /// Code runs: queue, workers, sandbox, room events.
    pub runs: crate::runs::RunService,
    /// The interactive terminal sessions of this process.
    pub terminals: crate::terminal::Terminals,
    /// Closes open sockets whose credential or right is gone.
    pub revocations: crate::realtime::revocations::Revocations,
    /// This instance among the others sharing the database and Redis.
    pub cluster: crate::cluster::Cluster,
    /// With Redis: the video call's roster, one per interview across instances.
    pub shared_call: Option<Arc<crate::realtime::room_cluster::call::SharedCall>>,
    /// The timeline's event recorder, signal allowances and recent pastes.
    pub timeline: crate::timeline::service::Timeline,
    /// Set once this instance is shutting down (readiness then answers 503).
    pub draining: crate::drain::Draining,
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
    /// The STUN/TURN servers handed to call participants.
    pub ice: crate::ice::IceSettings,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}
