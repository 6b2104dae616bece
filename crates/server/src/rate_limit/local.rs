//! The in-process limits: keyed budgets on `governor`, and the delay after failed logins in a
//! map keyed by (email, client network). Without Redis they are the server's limits; with it
//! they stand in, on each instance, while Redis does not answer.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::{CellRate, DelayRule};
use crate::error::AppError;

/// One keyed budget in this process (also what limits that protect one process only use,
/// such as the signals' allowances).
#[derive(Clone)]
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    pub fn new(rate: CellRate) -> Self {
        let quota = Quota::with_period(rate.interval.max(Duration::from_nanos(1)))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(rate.burst.max(1)).expect("a non-zero burst"));
        KeyedLimit { limiter: Arc::new(governor::RateLimiter::keyed(quota)) }
    }

    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        KeyedLimit::new(CellRate::per_minute(per_minute, burst))
    }

    /// Takes one request from `key`'s allowance, or says how long to wait (429).
    pub fn check(&self, key: &K) -> Result<(), AppError> {
        self.wait(key).map_or(Ok(()), |wait| Err(super::rate_limited(wait)))
    }

    /// Takes one request from `key`'s allowance: `None`, or how long to wait.
    pub fn wait(&self, key: &K) -> Option<Duration> {
        self.limiter.check_key(key).err().map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets keys whose allowance is full again (bounded memory).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// Failed logins per (email, client network) in this process (see `super::FailedLogins`).
/// Only a failed verification adds a pair, and the hashing gate paces those, so the map stays
/// small.
#[derive(Clone)]
pub struct LocalFailedLogins {
    /// Why a std `Mutex`: it is held for a map look-up, never across an await.
    attempts: Arc<Mutex<HashMap<(String, IpAddr), FailureRecord>>>,
    rule: DelayRule,
}

struct FailureRecord {
    /// Failed or refused attempts in a row.
    failures: u32,
    /// Attempts before this instant are refused (and counted).
    delayed_until: Instant,
    last_attempt: Instant,
}

impl LocalFailedLogins {
    pub fn new(rule: DelayRule) -> Self {
        LocalFailedLogins { attempts: Arc::default(), rule }
    }

    /// `None` when `email` may try from `network`, else how long to wait; the refused attempt
    /// counts as one more failure, so hammering makes the wait grow.
    pub fn check(&self, email: &str, network: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().expect("failed-login map poisoned");
        let record = attempts.get_mut(&(email.to_owned(), network))?;
        if now >= record.delayed_until {
            return None;
        }
        self.count_failure(record, now);
        Some(record.delayed_until.duration_since(now))
    }

    pub fn record_failure(&self, email: &str, network: IpAddr) {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().expect("failed-login map poisoned");
        let record = attempts.entry((email.to_owned(), network)).or_insert(FailureRecord {
            failures: 0,
            delayed_until: now,
            last_attempt: now,
        });
        self.count_failure(record, now);
    }

    pub fn record_success(&self, email: &str, network: IpAddr) {
        self.attempts.lock().expect("failed-login map poisoned").remove(&(email.to_owned(), network));
    }

    fn count_failure(&self, record: &mut FailureRecord, now: Instant) {
        record.failures = record.failures.saturating_add(1);
        record.last_attempt = now;
        if let Some(delay) = self.rule.delay_after(record.failures) {
            record.delayed_until = now + delay;
        }
    }

    /// Forgets pairs with no attempt for a while (bounded memory).
    pub fn forget_idle(&self) {
        let now = Instant::now();
        self.attempts.lock().expect("failed-login map poisoned").retain(|_, record| {
            record.delayed_until > now || now.duration_since(record.last_attempt) < self.rule.memory
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_key_is_limited_after_its_burst_and_others_are_not() {
        let limit = KeyedLimit::new(CellRate::per_minute(1, 2));
        assert_eq!(limit.wait(&"a"), None);
        assert_eq!(limit.wait(&"a"), None);
        assert!(limit.wait(&"a").is_some_and(|wait| wait > Duration::from_secs(50)));
        assert_eq!(limit.wait(&"b"), None);
    }

    #[test]
    fn an_hourly_limit_refuses_past_its_burst_and_says_when_to_come_back() {
        let limit = KeyedLimit::new(CellRate::per_hour(3, 3));
        for _ in 0..3 {
            assert_eq!(limit.wait(&1), None);
        }
        let wait = limit.wait(&1).expect("limited").as_secs();
        assert!((1_000..=1_200).contains(&wait), "about 20 minutes: {wait} s");
        assert_eq!(limit.wait(&2), None, "another interview is not limited");
    }

    #[test]
    fn failed_logins_delay_only_their_own_address_and_the_delay_grows() {
        let (attacker, owner) = (ip("192.0.2.1"), ip("198.51.100.7"));
        let logins = LocalFailedLogins::new(DelayRule::new(2));
        for _ in 0..3 {
            assert_eq!(logins.check("a@x.io", attacker), None);
            logins.record_failure("a@x.io", attacker);
        }
        let waits: Vec<u64> =
            (0..4).map(|_| logins.check("a@x.io", attacker).unwrap().as_secs_f64().round() as u64).collect();
        assert_eq!(waits, [2, 4, 8, 16]);
        assert_eq!(logins.check("a@x.io", owner), None);
        assert_eq!(logins.check("b@x.io", attacker), None);
        logins.record_success("a@x.io", attacker);
        assert_eq!(logins.check("a@x.io", attacker), None);
    }

    #[test]
    fn the_login_delay_is_capped() {
        let rule = DelayRule::new(1);
        let logins = LocalFailedLogins::new(rule);
        for _ in 0..100 {
            logins.record_failure("a@x.io", ip("192.0.2.1"));
        }
        let wait = logins.check("a@x.io", ip("192.0.2.1")).unwrap();
        assert!(wait <= rule.max_delay && wait > rule.max_delay - Duration::from_secs(1), "{wait:?}");
    }
}
