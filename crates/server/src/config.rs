//! Command line and configuration: `codeview serve`, `codeview worker`, `codeview migrate`, with every option
//! also readable from the environment. URLs that may carry credentials are redacted whenever
//! the configuration is printed or logged.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::redact::redact_url;

#[derive(Debug, Parser)]
#[command(name = "codeview", version, about = "CodeView: collaborative code interviews, self-hosted.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once at start: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (API, WebSockets and the web UI).
    Serve(Config),
    /// Execute queued code runs, as a process of its own beside `serve` (same database; with
    /// Redis, run output streams live to the servers' rooms).
    Worker(WorkerConfig),
    /// Create or upgrade the database schema, then exit.
    Migrate(DatabaseArgs),
    /// Print the API's OpenAPI document (routes, bodies and the room-event union), then exit.
    Openapi,
}

/// `--redis-ca-file`, the same for servers and workers.
const REDIS_CA_FILE_HELP: &str = "PEM file of the CA(s) that signed the Redis server's certificate, for a \
    `rediss://` URL (TLS) to a Redis whose certificate the system's CA store does not vouch for; \
    with it, only these CAs are trusted.";

/// Fits inside Docker's default 10 s between SIGTERM and SIGKILL.
const DEFAULT_RUN_DRAIN_SECS: u32 = 8;
/// Two periods of a readiness probe checking every 2 s, and a margin.
const DEFAULT_DRAIN_SECS: u32 = 5;
const DEFAULT_TERMINAL_IDLE_SECS: u32 = 300;
const DEFAULT_TERMINAL_SESSIONS: u32 = 4;

/// The sandbox of this process.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// First uid of this process's sandbox slots (slot N runs as uid BASE+N). Every process
    /// running code on one machine needs its own range (e.g. 60000 for the server, 61000 for a
    /// worker); the process's cgroup and work directory are named after it.
    #[arg(long, env = "CODEVIEW_SLOT_UID_BASE", default_value_t = 60_000, value_parser = clap::value_parser!(u32).range(1000..=4_000_000_000))]
    pub slot_uid_base: u32,

    /// On shutdown, how long runs already executing may take to finish before they are
    /// cancelled (and stored as such); no new run starts meanwhile.
    #[arg(long, env = "CODEVIEW_RUN_DRAIN_SECS", default_value_t = DEFAULT_RUN_DRAIN_SECS, value_parser = clap::value_parser!(u32).range(0..=600))]
    pub run_drain_secs: u32,

    /// Run candidates' code even when the sandbox is not fully isolated (not root, no cgroup
    /// limits, …). Without it such a process refuses every run and says what is missing
    /// (start-up log, `GET /api/health/ready`); with it every run's result records the
    /// isolation it ran under, and interviewers see a warning in the room.
    #[arg(long, env = "CODEVIEW_SANDBOX_ALLOW_DEGRADED")]
    pub sandbox_allow_degraded: bool,

    /// Where cgroupfs is mounted: the cgroup v1 controllers under it, or the unified (v2)
    /// hierarchy itself. A hybrid host is used as v1.
    #[arg(long, env = "CODEVIEW_SANDBOX_CGROUP_ROOT", default_value = "/sys/fs/cgroup")]
    pub sandbox_cgroup_root: PathBuf,

    /// cgroup v2: a group (relative to the cgroup root, e.g. `codeview`) to create and run
    /// code in, instead of the group this process was started in (which must then be
    /// delegated to it: systemd `Delegate=yes`). See docs/runner.md.
    #[arg(long, env = "CODEVIEW_SANDBOX_CGROUP_V2_PATH")]
    pub sandbox_cgroup_v2_path: Option<PathBuf>,

    /// How long an interactive terminal's program may go without input or output before it
    /// is ended (`idle`).
    #[arg(long, env = "CODEVIEW_TERMINAL_IDLE_SECS", default_value_t = DEFAULT_TERMINAL_IDLE_SECS, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub terminal_idle_secs: u32,

    /// How many interactive terminal sessions this process runs at once, across interviews
    /// (0 turns the terminal off). Each holds a sandbox slot of its own, beside the slots
    /// of the batch runs, so neither can starve the other.
    #[arg(long, env = "CODEVIEW_TERMINAL_SESSIONS", default_value_t = DEFAULT_TERMINAL_SESSIONS, value_parser = clap::value_parser!(u32).range(0..=64))]
    pub terminal_sessions: u32,

    /// The `rustc` candidates' Rust is compiled with, instead of Debian's `/usr/bin/rustc`
    /// (rustc-web), e.g. `/opt/rust/bin/rustc` from an unpacked standalone toolchain. Its
    /// toolchain directory (the parent of `bin/`) is bound read-only into the sandbox, so it
    /// must be readable by every user (not under a private home such as `/root/.rustup`).
    #[arg(long, env = "CODEVIEW_RUSTC")]
    pub rustc: Option<PathBuf>,
}

impl Default for SandboxArgs {
    fn default() -> Self {
        SandboxArgs {
            slot_uid_base: 60_000,
            run_drain_secs: DEFAULT_RUN_DRAIN_SECS,
            sandbox_allow_degraded: false,
            sandbox_cgroup_root: PathBuf::from("/sys/fs/cgroup"),
            sandbox_cgroup_v2_path: None,
            terminal_idle_secs: DEFAULT_TERMINAL_IDLE_SECS,
            terminal_sessions: DEFAULT_TERMINAL_SESSIONS,
            rustc: None,
        }
    }
}

#[derive(Clone, Args)]
pub struct WorkerConfig {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Redis URL: run output streams live to the servers' rooms through it. Without it, runs
    /// still execute and their results are stored, but nobody sees output until they finish.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,

    #[arg(long, env = "CODEVIEW_REDIS_CA_FILE", help = REDIS_CA_FILE_HELP)]
    pub redis_ca_file: Option<PathBuf>,

    /// Code runs executed at once.
    #[arg(long, env = "CODEVIEW_RUN_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub run_workers: u32,

    /// A listener for this worker's `GET /metrics` (e.g. `127.0.0.1:9091`): the runs it
    /// executes and its Redis errors. Without it the worker serves no metrics.
    #[arg(long, env = "CODEVIEW_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    #[command(flatten)]
    pub sandbox: SandboxArgs,

    /// Log format: human-readable `pretty` or structured `json`.
    #[arg(long, env = "CODEVIEW_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
}

impl std::fmt::Debug for WorkerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConfig")
            .field("database_url", &redact_url(&self.database.database_url))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("redis_ca_file", &self.redis_ca_file)
            .field("run_workers", &self.run_workers)
            .field("metrics_addr", &self.metrics_addr)
            .field("sandbox", &self.sandbox)
            .field("log_format", &self.log_format)
            .finish()
    }
}

#[derive(Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://PATH` (embedded, the default) or `postgres://USER@HOST/DB`.
    /// Credentials in the URL are never logged.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/codeview.db", hide_env_values = true)]
    pub database_url: String,
}

impl std::fmt::Debug for DatabaseArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseArgs").field("database_url", &redact_url(&self.database_url)).finish()
    }
}

#[derive(Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CODEVIEW_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Redis URL (optional): room events (run output, status) then reach this server's
    /// sockets from any process, such as a separate `codeview worker`.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,

    #[arg(long, env = "CODEVIEW_REDIS_CA_FILE", help = REDIS_CA_FILE_HELP)]
    pub redis_ca_file: Option<PathBuf>,

    /// The URL people use to reach this server (used in invite links and to decide whether
    /// cookies are `Secure`). Defaults to `http://ADDR`.
    #[arg(long, env = "CODEVIEW_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Reverse proxies (addresses or CIDR blocks, comma-separated in the environment) whose
    /// `X-Forwarded-For` names the client: behind them, rate limits and socket caps count the
    /// client's address instead of the proxy's. Only list proxies you run: anyone else could
    /// name any address.
    #[arg(long = "trusted-proxy", env = "CODEVIEW_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Directory holding the built web UI (`web/dist`).
    #[arg(long, env = "CODEVIEW_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// Log format: human-readable `pretty` or structured `json`.
    #[arg(long, env = "CODEVIEW_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Who may create an account: `open` (anyone), `invite-only` (only through a workspace
    /// invite; recommended for a team's install) or `closed` (nobody). The first account of an
    /// empty install may always register.
    #[arg(long, env = "CODEVIEW_REGISTRATION", value_enum, default_value_t = RegistrationMode::Open)]
    pub registration: RegistrationMode,

    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "CODEVIEW_SESSION_HOURS", default_value_t = 72, value_parser = clap::value_parser!(u32).range(1..=24 * 90))]
    pub session_hours: u32,

    #[command(flatten)]
    pub rate_limits: RateLimitArgs,

    #[command(flatten)]
    pub quotas: crate::quotas::QuotaArgs,

    #[command(flatten)]
    pub doc_sockets: DocSocketArgs,

    #[command(flatten)]
    pub connections: ConnectionArgs,

    #[command(flatten)]
    pub password_hashing: PasswordHashingArgs,

    #[command(flatten)]
    pub mail: crate::mail::MailArgs,

    #[command(flatten)]
    pub metrics: MetricsArgs,

    #[command(flatten)]
    pub ice: IceArgs,

    /// Code runs executed at once by this process (0: only queue runs, for a separate
    /// `codeview worker`).
    #[arg(long, env = "CODEVIEW_RUN_WORKERS", default_value_t = 2)]
    pub run_workers: usize,

    #[command(flatten)]
    pub sandbox: SandboxArgs,

    /// How often the server looks for live interviews to end automatically (`auto_end`), in
    /// milliseconds.
    #[arg(long, env = "CODEVIEW_AUTO_END_CHECK_MS", default_value_t = 5000, value_parser = clap::value_parser!(u32).range(100..=600_000), hide = true)]
    pub auto_end_check_ms: u32,

    /// On SIGTERM, how long to keep serving while `GET /api/health/ready` answers 503
    /// (`draining`), so that load balancers send new clients elsewhere, before this process
    /// stops accepting, closes its sockets (1012, clients reconnect elsewhere) and drains.
    /// Ctrl-C skips the wait. Set it above the readiness probe's period times its failure
    /// threshold.
    #[arg(long, env = "CODEVIEW_DRAIN_SECS", default_value_t = DEFAULT_DRAIN_SECS, value_parser = clap::value_parser!(u32).range(0..=300))]
    pub drain_secs: u32,

    /// Keep the documents' history (every edit, for replay) this many days after an interview
    /// ends, then purge it (checked at start and every hour; the final code and notes stay).
    /// Default: keep it as long as the interview.
    #[arg(long, env = "CODEVIEW_HISTORY_DAYS", value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub history_days: Option<u32>,
}

/// Request budgets per client address, and the delay after failed logins.
#[derive(Debug, Clone, Args)]
pub struct RateLimitArgs {
    /// Failed logins for one email from one address before each further attempt from there
    /// must wait (1 s, doubling with every attempt, at most 15 min). Other addresses, the
    /// account's owner among them, are not delayed.
    #[arg(long, env = "CODEVIEW_LOGIN_FAILURES_BEFORE_DELAY", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub login_failures_before_delay: u32,
    /// Sign-in and registration requests per client address per minute.
    #[arg(long, env = "CODEVIEW_AUTH_PER_MINUTE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub auth_per_minute: u32,
    /// LiveDoc look-ups and candidate joins per client address per minute.
    #[arg(long, env = "CODEVIEW_JOIN_PER_MINUTE", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub join_per_minute: u32,
    /// Emails one interview may send per hour (candidate invites and panel notices, all
    /// together); past it an explicit send is 429 and other sends are skipped.
    #[arg(long, env = "CODEVIEW_INVITE_EMAILS_PER_HOUR", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub invite_emails_per_hour: u32,
    /// Replaced by `--login-failures-before-delay`; still accepted so that an existing
    /// deployment starts, and ignored with a warning.
    #[arg(long, env = "CODEVIEW_LOGIN_PER_MINUTE", hide = true)]
    pub login_per_minute: Option<u32>,
}

/// Caps on open document sockets: each one can hold a document's worth of queued frames.
#[derive(Debug, Clone, Args)]
pub struct DocSocketArgs {
    /// Document sockets one participant may have open on one document.
    #[arg(long = "max-doc-sockets-per-participant", env = "CODEVIEW_MAX_DOC_SOCKETS_PER_PARTICIPANT", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub per_participant: u32,
    /// Document sockets open from one client address (IPv6: per /64). Behind a reverse proxy
    /// every client has the proxy's address: raise it there.
    #[arg(long = "max-doc-sockets-per-address", env = "CODEVIEW_MAX_DOC_SOCKETS_PER_ADDRESS", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    pub per_address: u32,
}

impl Default for DocSocketArgs {
    fn default() -> Self {
        DocSocketArgs { per_participant: 8, per_address: 64 }
    }
}

impl Default for RateLimitArgs {
    fn default() -> Self {
        RateLimitArgs {
            login_failures_before_delay: 5,
            auth_per_minute: 60,
            join_per_minute: 20,
            invite_emails_per_hour: 20,
            login_per_minute: None,
        }
    }
}

/// What one client may hold of the server: connections, and time to send a request body.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Client connections held at once (default: sized from the open-file limit, which the
    /// server raises to its hard limit at start, keeping a quarter of it for everything else).
    #[arg(long, env = "CODEVIEW_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(16..))]
    pub max_connections: Option<u32>,

    /// Connections held at once by one client address (IPv6: one /64). Behind a reverse
    /// proxy every client has the proxy's address: raise this there, and cap per client in
    /// the proxy.
    #[arg(long, env = "CODEVIEW_MAX_CONNECTIONS_PER_IP", default_value_t = DEFAULT_MAX_CONNECTIONS_PER_IP, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_ip: u32,

    /// Seconds a client may take to send a whole request body (then 408).
    #[arg(long, env = "CODEVIEW_BODY_READ_TIMEOUT_SECS", default_value_t = DEFAULT_BODY_READ_TIMEOUT_SECS, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub body_read_timeout_secs: u32,

    /// Slowest rate a request body may arrive at, in bytes per second, after its first
    /// 5 seconds (0: only the timeout applies).
    #[arg(long, env = "CODEVIEW_BODY_MIN_BYTES_PER_SEC", default_value_t = DEFAULT_BODY_MIN_BYTES_PER_SEC)]
    pub body_min_bytes_per_sec: u32,
}

/// A browser holds about six HTTP connections and two sockets per tab; this leaves room for
/// an office behind one NAT address.
const DEFAULT_MAX_CONNECTIONS_PER_IP: u32 = 256;
const DEFAULT_BODY_READ_TIMEOUT_SECS: u32 = 30;
const DEFAULT_BODY_MIN_BYTES_PER_SEC: u32 = 1024;

impl Default for ConnectionArgs {
    fn default() -> Self {
        ConnectionArgs {
            max_connections: None,
            max_connections_per_ip: DEFAULT_MAX_CONNECTIONS_PER_IP,
            body_read_timeout_secs: DEFAULT_BODY_READ_TIMEOUT_SECS,
            body_min_bytes_per_sec: DEFAULT_BODY_MIN_BYTES_PER_SEC,
        }
    }
}

/// Password hashing (argon2id: about 19 MiB and tens of milliseconds of a core each).
#[derive(Debug, Clone, Args)]
pub struct PasswordHashingArgs {
    /// Passwords hashed at once (default: the number of cores).
    #[arg(long, env = "CODEVIEW_PASSWORD_HASH_CONCURRENCY", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub password_hash_concurrency: Option<u32>,

    /// Logins and registrations that may wait for a hashing slot; beyond them the server
    /// answers 503 `server_busy` with `Retry-After`.
    #[arg(long, env = "CODEVIEW_PASSWORD_HASH_QUEUE", default_value_t = DEFAULT_PASSWORD_HASH_QUEUE, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub password_hash_queue: u32,
}

const DEFAULT_PASSWORD_HASH_QUEUE: u32 = 32;

impl Default for PasswordHashingArgs {
    fn default() -> Self {
        PasswordHashingArgs { password_hash_concurrency: None, password_hash_queue: DEFAULT_PASSWORD_HASH_QUEUE }
    }
}

/// Where Prometheus metrics are served. Without either option they are not served at all.
#[derive(Clone, Default, Args)]
pub struct MetricsArgs {
    /// A separate listener for `GET /metrics` (e.g. `127.0.0.1:9090`), kept off the public port.
    #[arg(long, env = "CODEVIEW_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Serve `/metrics` on the public port too, to requests with `Authorization: Bearer TOKEN`
    /// (at least 16 characters).
    #[arg(long, env = "CODEVIEW_METRICS_TOKEN", hide_env_values = true, value_parser = parse_metrics_token)]
    pub metrics_token: Option<String>,
}

fn parse_metrics_token(token: &str) -> Result<String, String> {
    match token.chars().count() {
        16.. => Ok(token.to_owned()),
        _ => Err("the metrics token needs at least 16 characters".into()),
    }
}

impl std::fmt::Debug for MetricsArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsArgs")
            .field("metrics_addr", &self.metrics_addr)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The STUN/TURN servers browsers use to connect video calls, and the embedded TURN relay.
/// Checked at start by `ice::IceSettings::from_args`.
#[derive(Clone, Args)]
pub struct IceArgs {
    /// A STUN server for video calls, `stun:HOST[:PORT]` or `stuns:HOST[:PORT]` (repeatable;
    /// in the environment, comma-separated). Browsers learn their public address from it.
    #[arg(long = "stun-url", env = "CODEVIEW_STUN_URLS", value_delimiter = ',')]
    pub stun_urls: Vec<String>,

    /// A TURN server for video calls, `turn:HOST[:PORT][?transport=udp|tcp]` or `turns:…`
    /// (repeatable; in the environment, comma-separated), e.g. coturn with `use-auth-secret`.
    /// Needs `--turn-secret`. With `--turn-listen` and no TURN URL, the embedded relay's is used.
    #[arg(long = "turn-url", env = "CODEVIEW_TURN_URLS", value_delimiter = ',')]
    pub turn_urls: Vec<String>,

    /// The secret shared with the TURN server (coturn's `static-auth-secret`): each participant
    /// gets short-lived credentials made from it, never the secret. With the embedded relay and
    /// no secret, a random one is made at start.
    #[arg(long, env = "CODEVIEW_TURN_SECRET", hide_env_values = true)]
    pub turn_secret: Option<String>,

    /// How long minted TURN credentials stay valid, in seconds.
    #[arg(long, env = "CODEVIEW_TURN_TTL_SECONDS", default_value_t = DEFAULT_TURN_TTL_SECONDS, value_parser = clap::value_parser!(u32).range(60..=7 * 86_400))]
    pub turn_ttl_seconds: u32,

    /// Run the embedded TURN relay (UDP) on this address, e.g. `0.0.0.0:3478`. Off by default.
    #[arg(long, env = "CODEVIEW_TURN_LISTEN")]
    pub turn_listen: Option<SocketAddr>,

    /// The public IP address of the embedded relay, handed to browsers as its address
    /// (required when `--turn-listen` is 0.0.0.0 or ::).
    #[arg(long, env = "CODEVIEW_TURN_PUBLIC_IP")]
    pub turn_public_ip: Option<IpAddr>,

    /// The UDP ports the embedded relay allocates for calls, `MIN-MAX` (default: any free
    /// port). Open this range, and `--turn-listen`'s port, in the firewall.
    #[arg(long, env = "CODEVIEW_TURN_RELAY_PORTS", value_parser = parse_port_range)]
    pub turn_relay_ports: Option<PortRange>,

    /// The realm of the embedded relay (coturn's `realm`).
    #[arg(long, env = "CODEVIEW_TURN_REALM", default_value = DEFAULT_TURN_REALM)]
    pub turn_realm: String,
}

const DEFAULT_TURN_TTL_SECONDS: u32 = 4 * 3600;
const DEFAULT_TURN_REALM: &str = "codeview";

impl Default for IceArgs {
    fn default() -> Self {
        IceArgs {
            stun_urls: Vec::new(),
            turn_urls: Vec::new(),
            turn_secret: None,
            turn_ttl_seconds: DEFAULT_TURN_TTL_SECONDS,
            turn_listen: None,
            turn_public_ip: None,
            turn_relay_ports: None,
            turn_realm: DEFAULT_TURN_REALM.to_owned(),
        }
    }
}

impl std::fmt::Debug for IceArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceArgs")
            .field("stun_urls", &self.stun_urls)
            .field("turn_urls", &self.turn_urls)
            .field("turn_secret", &self.turn_secret.as_ref().map(|_| "***"))
            .field("turn_ttl_seconds", &self.turn_ttl_seconds)
            .field("turn_listen", &self.turn_listen)
            .field("turn_public_ip", &self.turn_public_ip)
            .field("turn_relay_ports", &self.turn_relay_ports)
            .field("turn_realm", &self.turn_realm)
            .finish()
    }
}

/// An inclusive range of UDP ports, `MIN-MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub min: u16,
    pub max: u16,
}

fn parse_port_range(text: &str) -> Result<PortRange, String> {
    let wrong = || format!("{text:?} is not a port range MIN-MAX (e.g. 49160-49200)");
    let (min, max) = text.split_once('-').ok_or_else(wrong)?;
    let (min, max): (u16, u16) = (min.trim().parse().map_err(|_| wrong())?, max.trim().parse().map_err(|_| wrong())?);
    match min {
        0 => Err(wrong()),
        _ if min > max => Err(wrong()),
        _ => Ok(PortRange { min, max }),
    }
}

/// Who may create an account (`--registration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationMode {
    Open,
    InviteOnly,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Config {
    /// A configuration for tests and embedding: defaults everywhere but the given database,
    /// and no draining wait (nothing routes traffic to an embedded server).
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("literal address"),
            database: DatabaseArgs { database_url: database_url.into() },
            redis_url: None,
            redis_ca_file: None,
            public_url: None,
            trusted_proxies: Vec::new(),
            web_dir: PathBuf::from("web/dist"),
            log_format: LogFormat::Pretty,
            registration: RegistrationMode::Open,
            session_hours: 72,
            rate_limits: RateLimitArgs::default(),
            quotas: crate::quotas::QuotaArgs::default(),
            doc_sockets: DocSocketArgs::default(),
            connections: ConnectionArgs::default(),
            password_hashing: PasswordHashingArgs::default(),
            mail: crate::mail::MailArgs::default(),
            metrics: MetricsArgs::default(),
            ice: IceArgs::default(),
            run_workers: 2,
            sandbox: SandboxArgs::default(),
            auto_end_check_ms: 5000,
            drain_secs: 0,
            history_days: None,
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database_url", &redact_url(&self.database.database_url))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("redis_ca_file", &self.redis_ca_file)
            .field("public_url", &self.public_url)
            .field("web_dir", &self.web_dir)
            .field("log_format", &self.log_format)
            .field("registration", &self.registration)
            .field("session_hours", &self.session_hours)
            .field("rate_limits", &self.rate_limits)
            .field("quotas", &self.quotas)
            .field("doc_sockets", &self.doc_sockets)
            .field("connections", &self.connections)
            .field("password_hashing", &self.password_hashing)
            .field("mail", &self.mail)
            .field("metrics", &self.metrics)
            .field("ice", &self.ice)
            .field("run_workers", &self.run_workers)
            .field("sandbox", &self.sandbox)
            .field("auto_end_check_ms", &self.auto_end_check_ms)
            .field("drain_secs", &self.drain_secs)
            .field("history_days", &self.history_days)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_debug_never_shows_secrets() {
        let mut config = Config::for_database("postgres://bob:s3cret@db/cv");
        config.redis_url = Some("redis://:hunter2@cache".into());
        config.metrics.metrics_token = Some("scrape-me-if-you-can".into());
        config.ice.turn_secret = Some("relay-me-if-you-can".into());
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret")
                && !shown.contains("hunter2")
                && !shown.contains("scrape-me")
                && !shown.contains("relay-me"),
            "{shown}"
        );
    }

    #[test]
    fn another_rustc_is_read_from_the_command_line() {
        let Command::Serve(config) = Cli::parse_from(["codeview", "serve", "--rustc", "/opt/rust/bin/rustc"]).command
        else {
            panic!("serve expected");
        };
        assert_eq!(config.sandbox.rustc, Some(PathBuf::from("/opt/rust/bin/rustc")));
        let Command::Worker(worker) = Cli::parse_from(["codeview", "worker"]).command else {
            panic!("worker expected");
        };
        assert_eq!(worker.sandbox.rustc, None, "Debian's rustc unless configured");
    }

    #[test]
    fn sandbox_flags_parse_from_the_command_line() {
        let parse = |args: &[&str]| match Cli::try_parse_from([&["codeview", "worker"][..], args].concat()) {
            Ok(Cli { command: Command::Worker(worker) }) => worker.sandbox,
            other => panic!("{other:?}"),
        };
        let default = parse(&[]);
        assert!(!default.sandbox_allow_degraded);
        assert_eq!(default.sandbox_cgroup_root, PathBuf::from("/sys/fs/cgroup"));
        assert_eq!(default.sandbox_cgroup_v2_path, None);
        let set = parse(&["--sandbox-allow-degraded", "--sandbox-cgroup-v2-path", "codeview"]);
        assert!(set.sandbox_allow_degraded);
        assert_eq!(set.sandbox_cgroup_v2_path, Some(PathBuf::from("codeview")));
    }

    #[test]
    fn port_ranges_read_min_dash_max() {
        assert_eq!(parse_port_range("49160-49200"), Ok(PortRange { min: 49160, max: 49200 }));
        assert_eq!(parse_port_range("5000-5000"), Ok(PortRange { min: 5000, max: 5000 }));
        for wrong in ["49200-49160", "0-10", "5000", "a-b", "1-70000"] {
            assert!(parse_port_range(wrong).is_err(), "{wrong}");
        }
    }
}
