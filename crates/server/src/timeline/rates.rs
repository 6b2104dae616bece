//! How many signals one participant may send: 30 a minute with bursts of 60, per participant
//! (`rate_limit::KeyedLimit`, so idle keys are forgotten and memory stays bounded). Refused
//! reports answer 429 `rate_limited` over HTTP and are dropped on the room socket.
//!
//! The server's own `large_insert` signals have an allowance of their own, of the same size:
//! a candidate spending theirs on reports cannot keep the server from flagging an insert.

use uuid::Uuid;

use crate::error::AppResult;
use crate::rate_limit::KeyedLimit;

pub const SIGNALS_PER_MINUTE: u32 = 30;
pub const SIGNAL_BURST: u32 = 60;

/// The signal allowances of every participant, in this process.
#[derive(Clone)]
pub struct SignalRates {
    reported: KeyedLimit<Uuid>,
    server_made: KeyedLimit<Uuid>,
}

impl Default for SignalRates {
    fn default() -> SignalRates {
        SignalRates {
            reported: KeyedLimit::per_minute(SIGNALS_PER_MINUTE, SIGNAL_BURST),
            server_made: KeyedLimit::per_minute(SIGNALS_PER_MINUTE, SIGNAL_BURST),
        }
    }
}

impl SignalRates {
    /// Takes one report from the participant's allowance, or says how long to wait (429).
    pub fn take_reported(&self, participant_id: Uuid) -> AppResult<()> {
        self.reported.check(&participant_id)
    }

    /// Takes one server-made signal about the participant; false when it is spent.
    pub fn take_server_made(&self, participant_id: Uuid) -> bool {
        self.server_made.check(&participant_id).is_ok()
    }

    /// Forgets participants whose allowance is full again.
    pub fn forget_idle(&self) {
        self.reported.forget_idle();
        self.server_made.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_participant_has_a_burst_of_their_own_and_server_signals_are_apart() {
        let rates = SignalRates::default();
        let (casey, other) = (Uuid::now_v7(), Uuid::now_v7());
        for sent in 0..SIGNAL_BURST {
            assert!(rates.take_reported(casey).is_ok(), "report {sent} of the burst");
        }
        assert!(rates.take_reported(casey).is_err(), "the burst is spent");
        assert!(rates.take_reported(other).is_ok(), "another participant is not limited");
        assert!(rates.take_server_made(casey), "reports do not spend the server's allowance");
    }
}
