//! How many messages one room socket may send: a token bucket (`governor`, as for the HTTP
//! limits) of 40 messages a second sustained with bursts of 200 — a call's joining and
//! renegotiation send a few dozen candidates at once, a flood sends thousands. A socket over
//! it is closed (4429). Every frame counts, refused or not.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

pub const MESSAGES_PER_SECOND: u32 = 40;
pub const MESSAGE_BURST: u32 = 200;
/// The close code and reason of a socket that sent too many.
pub const TOO_MANY_MESSAGES: (u16, &str) = (4429, "too many messages");

/// One socket's allowance.
pub struct MessageRate<C: Clock = DefaultClock> {
    limiter: RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<C::Instant>>,
}

impl Default for MessageRate {
    fn default() -> MessageRate {
        MessageRate::with_clock(DefaultClock::default())
    }
}

impl<C: Clock> MessageRate<C> {
    fn with_clock(clock: C) -> MessageRate<C> {
        let quota = Quota::per_second(NonZeroU32::new(MESSAGES_PER_SECOND).expect("non-zero rate"))
            .allow_burst(NonZeroU32::new(MESSAGE_BURST).expect("non-zero burst"));
        MessageRate { limiter: RateLimiter::direct_with_clock(quota, clock) }
    }

    /// Takes one message from the allowance; false when it is spent.
    pub fn take(&self) -> bool {
        self.limiter.check().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn a_burst_passes_then_the_sustained_rate() {
        let clock = FakeRelativeClock::default();
        let rate = MessageRate::with_clock(clock.clone());
        for sent in 0..MESSAGE_BURST {
            assert!(rate.take(), "message {sent} of the burst");
        }
        assert!(!rate.take(), "the burst is spent");
        clock.advance(Duration::from_millis(1000 / u64::from(MESSAGES_PER_SECOND)));
        assert!(rate.take(), "one more after a 40th of a second");
        assert!(!rate.take());
        // A second at the sustained rate passes whole.
        for _ in 0..MESSAGES_PER_SECOND {
            clock.advance(Duration::from_millis(25));
            assert!(rate.take());
        }
    }

    #[test]
    fn a_quiet_socket_gets_its_burst_back() {
        let clock = FakeRelativeClock::default();
        let rate = MessageRate::with_clock(clock.clone());
        while rate.take() {}
        clock.advance(Duration::from_secs(5));
        assert!((0..MESSAGE_BURST).all(|_| rate.take()), "five quiet seconds refill the burst");
        assert!(!rate.take(), "and no more than the burst");
    }
}
