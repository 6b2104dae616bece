//! How much one participant may send to terminals: a token bucket of messages (every
//! `terminal_*` message counts) and one of input bytes, across all their sockets. Over it, a
//! message is refused with `rate_limited` (the socket stays open; its own `message_rate`
//! still closes a flood). Fast typing in raw mode is ~10 keystrokes a second, a paste 4 KiB.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use uuid::Uuid;

pub const MESSAGES_PER_SECOND: f64 = 40.0;
pub const MESSAGE_BURST: f64 = 100.0;
pub const BYTES_PER_SECOND: f64 = 16.0 * 1024.0;
pub const BYTE_BURST: f64 = 64.0 * 1024.0;
/// Participants tracked before idle ones (whose buckets are full again) are forgotten.
const TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Buckets {
    messages: f64,
    bytes: f64,
    at: Instant,
}

impl Buckets {
    fn full(at: Instant) -> Buckets {
        Buckets { messages: MESSAGE_BURST, bytes: BYTE_BURST, at }
    }

    fn refill(&mut self, now: Instant) {
        let secs = now.saturating_duration_since(self.at).as_secs_f64();
        self.messages = (self.messages + secs * MESSAGES_PER_SECOND).min(MESSAGE_BURST);
        self.bytes = (self.bytes + secs * BYTES_PER_SECOND).min(BYTE_BURST);
        self.at = now;
    }
}

#[derive(Default)]
pub struct InputRates {
    /// A std mutex: held for a lookup and a little arithmetic.
    buckets: Mutex<HashMap<Uuid, Buckets>>,
}

impl InputRates {
    /// Takes one message of `bytes` input bytes from `participant`'s allowance at `now`; false
    /// (and nothing taken) when either bucket cannot pay.
    pub fn take(&self, participant: Uuid, bytes: usize, now: Instant) -> bool {
        let mut all = self.buckets.lock().expect("terminal input rates");
        if all.len() >= TRACKED {
            all.retain(|_, b| {
                b.refill(now);
                b.messages < MESSAGE_BURST || b.bytes < BYTE_BURST
            });
        }
        let b = all.entry(participant).or_insert_with(|| Buckets::full(now));
        b.refill(now);
        let bytes = bytes as f64;
        if b.messages < 1.0 || b.bytes < bytes {
            return false;
        }
        b.messages -= 1.0;
        b.bytes -= bytes;
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_of_messages_passes_then_the_rate() {
        let rates = InputRates::default();
        let (who, t0) = (Uuid::now_v7(), Instant::now());
        assert!((0..MESSAGE_BURST as usize).all(|_| rates.take(who, 1, t0)));
        assert!(!rates.take(who, 1, t0), "the burst is spent");
        assert!(rates.take(Uuid::now_v7(), 1, t0), "someone else's allowance is their own");
        assert!(rates.take(who, 1, t0 + Duration::from_millis(25)), "one more after a 40th of a second");
    }

    #[test]
    fn bytes_are_limited_too() {
        let rates = InputRates::default();
        let (who, t0) = (Uuid::now_v7(), Instant::now());
        assert!((0..16).all(|_| rates.take(who, 4096, t0)), "64 KiB at once");
        assert!(!rates.take(who, 1, t0), "the bytes are spent");
        assert!(rates.take(who, 4096, t0 + Duration::from_millis(250)), "4 KiB back after a quarter second");
        assert!(!rates.take(who, 4096, t0 + Duration::from_millis(250)));
    }
}
