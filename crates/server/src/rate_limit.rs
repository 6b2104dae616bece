//! Keyed rate limits (per client address) built on `governor`, and the delay after failed
//! logins, keyed by (email, client address); both answer 429 with a `Retry-After`.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::config::RateLimitArgs;
use crate::error::AppError;

/// One keyed limit: `burst` requests at once, refilled at `per_minute`.
#[derive(Clone)]
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).expect("non-zero rate"))
            .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"));
        KeyedLimit { limiter: Arc::new(governor::RateLimiter::keyed(quota)) }
    }

    pub fn per_hour(per_hour: u32, burst: u32) -> Self {
        let quota = Quota::with_period(Duration::from_secs(3600) / per_hour)
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"));
        KeyedLimit { limiter: Arc::new(governor::RateLimiter::keyed(quota)) }
    }

    /// Takes one request from `key`'s allowance, or says how long to wait.
    pub fn check(&self, key: &K) -> Result<(), AppError> {
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
        })
    }

    /// Forgets keys whose allowance is full again (bounded memory).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
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

/// The first delay once an (email, address) has used its free failures; each further attempt
/// from there doubles it.
const FIRST_LOGIN_DELAY: Duration = Duration::from_secs(1);
const MAX_LOGIN_DELAY: Duration = Duration::from_secs(15 * 60);
/// How long an (email, address) with no new failure is remembered. Only a failed verification
/// adds a pair, and the hashing gate paces those, so the map stays small.
const FAILED_LOGIN_MEMORY: Duration = Duration::from_secs(30 * 60);

/// Failed logins per (email, client network). An address that keeps guessing one account's
/// password waits longer and longer, while the account's owner, from another address, signs
/// in as usual: a hard limit per email let anyone lock an owner out with ten guesses a minute.
#[derive(Clone)]
pub struct FailedLogins {
    /// Why a std `Mutex`: it is held for a map look-up, never across an await.
    attempts: Arc<Mutex<HashMap<(String, IpAddr), FailureRecord>>>,
    free_failures: u32,
}

struct FailureRecord {
    /// Failed or refused attempts in a row.
    failures: u32,
    /// Attempts before this instant are refused (and counted).
    delayed_until: Instant,
    last_attempt: Instant,
}

impl FailedLogins {
    pub fn new(free_failures: u32) -> Self {
        FailedLogins { attempts: Arc::default(), free_failures }
    }

    /// Refuses an attempt made while `email` is delayed for `ip`; the refused attempt counts as
    /// one more failure, so hammering makes the wait grow.
    pub fn check(&self, email: &str, ip: IpAddr) -> Result<(), AppError> {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().expect("failed-login map poisoned");
        let Some(record) = attempts.get_mut(&(email.to_owned(), client_network(ip))) else {
            return Ok(());
        };
        if now >= record.delayed_until {
            return Ok(());
        }
        self.count_failure(record, now);
        Err(AppError::RateLimited { retry_after_secs: record.delayed_until.duration_since(now).as_secs().max(1) })
    }

    pub fn record_failure(&self, email: &str, ip: IpAddr) {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().expect("failed-login map poisoned");
        let record = attempts.entry((email.to_owned(), client_network(ip))).or_insert(FailureRecord {
            failures: 0,
            delayed_until: now,
            last_attempt: now,
        });
        self.count_failure(record, now);
    }

    pub fn record_success(&self, email: &str, ip: IpAddr) {
        self.attempts.lock().expect("failed-login map poisoned").remove(&(email.to_owned(), client_network(ip)));
    }

    fn count_failure(&self, record: &mut FailureRecord, now: Instant) {
        record.failures = record.failures.saturating_add(1);
        record.last_attempt = now;
        if let Some(doublings) = record.failures.checked_sub(self.free_failures + 1) {
            let delay = FIRST_LOGIN_DELAY.saturating_mul(1 << doublings.min(20)).min(MAX_LOGIN_DELAY);
            record.delayed_until = now + delay;
        }
    }

    /// Forgets pairs with no attempt for a while (bounded memory).
    pub fn forget_idle(&self) {
        let now = Instant::now();
        self.attempts.lock().expect("failed-login map poisoned").retain(|_, record| {
            record.delayed_until > now || now.duration_since(record.last_attempt) < FAILED_LOGIN_MEMORY
        });
    }
}

/// Every rate limit of the server.
#[derive(Clone)]
pub struct RateLimits {
    /// Failed logins per (email, client network).
    pub failed_logins: FailedLogins,
    /// Login and registration attempts per client address.
    pub auth_per_ip: KeyedLimit<IpAddr>,
    /// Candidate join attempts per client address (invite secrets are not guessable, but
    /// room codes are short).
    pub join_per_ip: KeyedLimit<IpAddr>,
    /// Interview emails (candidate invites, panel notices) per interview.
    pub invite_emails: KeyedLimit<uuid::Uuid>,
}

impl RateLimits {
    pub fn new(config: &RateLimitArgs) -> Self {
        RateLimits {
            failed_logins: FailedLogins::new(config.login_failures_before_delay),
            auth_per_ip: KeyedLimit::per_minute(config.auth_per_minute, config.auth_per_minute),
            join_per_ip: KeyedLimit::per_minute(config.join_per_minute, config.join_per_minute),
            invite_emails: KeyedLimit::per_hour(config.invite_emails_per_hour, config.invite_emails_per_hour),
        }
    }

    pub fn forget_idle(&self) {
        self.failed_logins.forget_idle();
        self.auth_per_ip.forget_idle();
        self.join_per_ip.forget_idle();
        self.invite_emails.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_limited_after_its_burst_and_others_are_not() {
        let limit = KeyedLimit::per_minute(1, 2);
        assert!(limit.check(&"a").is_ok());
        assert!(limit.check(&"a").is_ok());
        assert!(matches!(limit.check(&"a"), Err(AppError::RateLimited { retry_after_secs }) if retry_after_secs >= 1));
        assert!(limit.check(&"b").is_ok());
    }

    #[test]
    fn an_hourly_limit_refuses_past_its_burst_and_says_when_to_come_back() {
        let limit = KeyedLimit::per_hour(3, 3);
        for _ in 0..3 {
            assert!(limit.check(&1).is_ok());
        }
        let wait = retry_after(limit.check(&1)).expect("limited");
        assert!((1_000..=1_200).contains(&wait), "about 20 minutes: {wait} s");
        assert!(limit.check(&2).is_ok(), "another interview is not limited");
    }

    fn retry_after(result: Result<(), AppError>) -> Option<u64> {
        match result {
            Ok(()) => None,
            Err(AppError::RateLimited { retry_after_secs }) => Some(retry_after_secs),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn failed_logins_delay_only_their_own_address_and_the_delay_grows() {
        let (attacker, owner) = ("192.0.2.1".parse().unwrap(), "198.51.100.7".parse().unwrap());
        let logins = FailedLogins::new(2);
        for _ in 0..3 {
            assert_eq!(retry_after(logins.check("a@x.io", attacker)), None);
            logins.record_failure("a@x.io", attacker);
        }
        let waits: Vec<u64> = (0..4).map(|_| retry_after(logins.check("a@x.io", attacker)).unwrap()).collect();
        assert_eq!(waits, [2, 4, 8, 16]);
        assert_eq!(retry_after(logins.check("a@x.io", owner)), None);
        assert_eq!(retry_after(logins.check("b@x.io", attacker)), None);
        logins.record_success("a@x.io", attacker);
        assert_eq!(retry_after(logins.check("a@x.io", attacker)), None);
    }

    #[test]
    fn the_login_delay_is_capped() {
        let ip = "192.0.2.1".parse().unwrap();
        let logins = FailedLogins::new(1);
        for _ in 0..100 {
            logins.record_failure("a@x.io", ip);
        }
        assert_eq!(retry_after(logins.check("a@x.io", ip)), Some(MAX_LOGIN_DELAY.as_secs()));
    }

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
}
