//! The server's rate limits: budgets per client network (sign-ins and registrations, joins)
//! and per interview (emails), and the delay after failed logins per (email, client network).
//! A refusal is 429 with a `Retry-After`.
//!
//! Where the counts live: with `--redis-url`, in Redis (`shared`), so that a budget holds
//! across every instance behind a load balancer, not once per instance. Without Redis, in this
//! process (`local`). When Redis does not answer, each check falls back at once to the
//! in-process limit (never to no limit, never to an error), the failure is counted in
//! `codeview_redis_errors_total{part="rate_limits"}` and logged now and then, and Redis is
//! asked again a second later (`cluster::command_link`).

mod local;
mod shared;

use std::fmt::Display;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use crate::cluster::Cluster;
use crate::config::RateLimitArgs;
use crate::error::AppError;
pub use local::KeyedLimit;
use local::LocalFailedLogins;
use shared::SharedCounters;

/// Terminal sessions started per interview per minute.
const TERMINAL_STARTS_PER_MINUTE: u32 = crate::runs::budget::RUNS_PER_MINUTE_PER_PARTICIPANT as u32;

/// A budget as a cell rate: one request per `interval`, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRate {
    pub interval: Duration,
    pub burst: u32,
}

impl CellRate {
    pub fn per_minute(per_minute: u32, burst: u32) -> CellRate {
        CellRate { interval: Duration::from_secs(60) / per_minute.max(1), burst }
    }

    pub fn per_hour(per_hour: u32, burst: u32) -> CellRate {
        CellRate { interval: Duration::from_secs(3600) / per_hour.max(1), burst }
    }
}

/// The delay after failed logins: after `free_failures` in a row, each attempt waits
/// `first_delay`, doubling with every further one up to `max_delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayRule {
    pub free_failures: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// How long a pair with no new failure (and no delay running) is remembered.
    pub memory: Duration,
}

impl DelayRule {
    pub fn new(free_failures: u32) -> DelayRule {
        DelayRule {
            free_failures,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
            memory: Duration::from_secs(30 * 60),
        }
    }

    /// The delay that the `failures`-th failure in a row imposes, if any.
    pub fn delay_after(&self, failures: u32) -> Option<Duration> {
        let doublings = failures.checked_sub(self.free_failures + 1)?;
        Some(self.first_delay.saturating_mul(1 << doublings.min(20)).min(self.max_delay))
    }
}

/// The network a client address stands for: itself for IPv4, its /64 for IPv6 (one host
/// is usually given a whole /64, so single IPv6 addresses cost an attacker nothing).
pub fn client_network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

/// The refusal for a wait of `wait` (`Retry-After` rounds up: coming back then succeeds).
fn rate_limited(wait: Duration) -> AppError {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    AppError::RateLimited { retry_after_secs: whole.max(1) }
}

/// One keyed budget, named (the name is its Redis key's part).
#[derive(Clone)]
pub struct Budget<K: Hash + Eq + Clone + Display> {
    name: &'static str,
    rate: CellRate,
    local: KeyedLimit<K>,
    shared: Option<Arc<SharedCounters>>,
}

impl<K: Hash + Eq + Clone + Display> Budget<K> {
    fn new(name: &'static str, rate: CellRate, shared: Option<Arc<SharedCounters>>) -> Self {
        Budget { name, rate, local: KeyedLimit::new(rate), shared }
    }

    /// Takes one request from `key`'s allowance, or says how long to wait.
    pub async fn check(&self, key: &K) -> Result<(), AppError> {
        let wait = match &self.shared {
            Some(shared) => match shared.take(self.name, &key.to_string(), self.rate).await {
                Ok(wait) => wait,
                Err(_) => self.local.wait(key),
            },
            None => self.local.wait(key),
        };
        wait.map_or(Ok(()), |wait| Err(rate_limited(wait)))
    }
}

/// A budget per client network: callers hand it the peer's address as it is.
#[derive(Clone)]
pub struct NetworkBudget(Budget<IpAddr>);

impl NetworkBudget {
    pub async fn check(&self, ip: IpAddr) -> Result<(), AppError> {
        self.0.check(&client_network(ip)).await
    }
}

/// Failed logins per (email, client network). An address that keeps guessing one account's
/// password waits longer and longer, while the account's owner, from another address, signs
/// in as usual: a hard limit per email let anyone lock an owner out with ten guesses a minute.
#[derive(Clone)]
pub struct FailedLogins {
    rule: DelayRule,
    local: LocalFailedLogins,
    shared: Option<Arc<SharedCounters>>,
}

impl FailedLogins {
    fn new(rule: DelayRule, shared: Option<Arc<SharedCounters>>) -> Self {
        FailedLogins { rule, local: LocalFailedLogins::new(rule), shared }
    }

    /// Refuses an attempt made while `email` is delayed for `ip`'s network; the refused
    /// attempt counts as one more failure, so hammering makes the wait grow.
    pub async fn check(&self, email: &str, ip: IpAddr) -> Result<(), AppError> {
        let network = client_network(ip);
        let wait = match &self.shared {
            Some(shared) => match shared.login_delay(email, &network.to_string(), &self.rule).await {
                Ok(wait) => wait,
                Err(_) => self.local.check(email, network),
            },
            None => self.local.check(email, network),
        };
        wait.map_or(Ok(()), |wait| Err(rate_limited(wait)))
    }

    pub async fn record_failure(&self, email: &str, ip: IpAddr) {
        let network = client_network(ip);
        if let Some(shared) = &self.shared
            && shared.login_failed(email, &network.to_string(), &self.rule).await.is_ok()
        {
            return;
        }
        self.local.record_failure(email, network);
    }

    pub async fn record_success(&self, email: &str, ip: IpAddr) {
        let network = client_network(ip);
        if let Some(shared) = &self.shared {
            // A failure here leaves the pair's failures in Redis until they expire; the next
            // success clears them.
            let _ = shared.login_succeeded(email, &network.to_string()).await;
        }
        self.local.record_success(email, network);
    }
}

/// Every rate limit of the server.
#[derive(Clone)]
pub struct RateLimits {
    /// Failed logins per (email, client network).
    pub failed_logins: FailedLogins,
    /// Login and registration attempts per client network.
    pub auth_per_ip: NetworkBudget,
    /// Candidate join attempts per client network (invite secrets are not guessable, but
    /// room codes are short).
    pub join_per_ip: NetworkBudget,
    /// Interview emails (candidate invites, panel notices) per interview.
    pub invite_emails: Budget<uuid::Uuid>,
    /// Terminal sessions started per interview (a start costs a sandbox, like a run: the
    /// runs' budget per participant).
    pub terminal_starts: Budget<uuid::Uuid>,
}

impl RateLimits {
    /// The limits of `config`, counted in `cluster`'s Redis when it has one.
    pub fn new(config: &RateLimitArgs, cluster: &Cluster) -> Self {
        let shared = cluster.redis().map(|client| Arc::new(SharedCounters::new(client.clone())));
        let per_minute = |rate| CellRate::per_minute(rate, rate);
        RateLimits {
            failed_logins: FailedLogins::new(DelayRule::new(config.login_failures_before_delay), shared.clone()),
            auth_per_ip: NetworkBudget(Budget::new("auth", per_minute(config.auth_per_minute), shared.clone())),
            join_per_ip: NetworkBudget(Budget::new("join", per_minute(config.join_per_minute), shared.clone())),
            invite_emails: Budget::new(
                "invite-emails",
                CellRate::per_hour(config.invite_emails_per_hour, config.invite_emails_per_hour),
                shared.clone(),
            ),
            terminal_starts: Budget::new("terminal-starts", per_minute(TERMINAL_STARTS_PER_MINUTE), shared),
        }
    }

    /// Forgets the in-process keys that restrict nobody any more (Redis keys expire by
    /// themselves).
    pub fn forget_idle(&self) {
        self.failed_logins.local.forget_idle();
        self.auth_per_ip.0.local.forget_idle();
        self.join_per_ip.0.local.forget_idle();
        self.invite_emails.local.forget_idle();
        self.terminal_starts.local.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_network(one), client_network(other));
        assert_eq!(client_network(one), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_ne!(client_network(one), client_network("2001:db8:1:3::1".parse().unwrap()));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(client_network(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_never_zero() {
        let secs = |wait| match rate_limited(wait) {
            AppError::RateLimited { retry_after_secs } => retry_after_secs,
            other => panic!("{other:?}"),
        };
        assert_eq!(secs(Duration::from_millis(1)), 1);
        assert_eq!(secs(Duration::ZERO), 1);
        assert_eq!(secs(Duration::from_millis(1000)), 1);
        assert_eq!(secs(Duration::from_millis(1001)), 2);
        assert_eq!(secs(Duration::from_secs(900)), 900);
    }

    #[test]
    fn the_delay_doubles_after_the_free_failures_and_is_capped() {
        let rule = DelayRule::new(2);
        let delays: Vec<Option<u64>> = (1..=6).map(|n| rule.delay_after(n).map(|d| d.as_secs())).collect();
        assert_eq!(delays, [None, None, Some(1), Some(2), Some(4), Some(8)]);
        assert_eq!(rule.delay_after(u32::MAX), Some(rule.max_delay));
    }
}

/// The fallback: with Redis unreachable, a limit still holds, in this process.
#[cfg(test)]
mod fallback_tests {
    use super::*;

    #[tokio::test]
    async fn with_redis_unreachable_the_in_process_limit_applies() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster::with_redis(redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap());
        let config = RateLimitArgs { auth_per_minute: 2, login_failures_before_delay: 1, ..RateLimitArgs::default() };
        let limits = RateLimits::new(&config, &cluster);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limits.auth_per_ip.check(ip).await.is_ok());
        assert!(limits.auth_per_ip.check(ip).await.is_ok());
        assert!(matches!(limits.auth_per_ip.check(ip).await, Err(AppError::RateLimited { .. })));
        for _ in 0..2 {
            limits.failed_logins.record_failure("a@x.io", ip).await;
        }
        assert!(matches!(limits.failed_logins.check("a@x.io", ip).await, Err(AppError::RateLimited { .. })));
    }
}
