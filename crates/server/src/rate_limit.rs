//! Keyed rate limits (per client address or per account) built on `governor`, answering
//! with 429 and a `Retry-After` when exceeded.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

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

/// Every rate limit of the server.
#[derive(Clone)]
pub struct RateLimits {
    /// Login attempts per email address (slows password guessing on one account).
    pub login_per_email: KeyedLimit<String>,
    /// Login and registration attempts per client address.
    pub auth_per_ip: KeyedLimit<IpAddr>,
    /// Candidate join attempts per client address (invite secrets are not guessable, but
    /// room codes are short).
    pub join_per_ip: KeyedLimit<IpAddr>,
}

impl RateLimits {
    pub fn new(config: &RateLimitArgs) -> Self {
        RateLimits {
            login_per_email: KeyedLimit::per_minute(config.login_per_minute, config.login_per_minute),
            auth_per_ip: KeyedLimit::per_minute(config.auth_per_minute, config.auth_per_minute),
            join_per_ip: KeyedLimit::per_minute(config.join_per_minute, config.join_per_minute),
        }
    }

    pub fn forget_idle(&self) {
        self.login_per_email.forget_idle();
        self.auth_per_ip.forget_idle();
        self.join_per_ip.forget_idle();
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
}
