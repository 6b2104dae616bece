//! Draining: what an instance does between being asked to stop and stopping, so that a load
//! balancer moves its clients elsewhere without errors. First it answers `GET /api/health/ready`
//! with 503 `"draining": true` for `--drain-secs` while serving everything as usual (the
//! balancer's readiness probe notices and sends new clients to the other instances); then it
//! stops accepting, closes every open socket with 1012 "server restarting" (clients reconnect,
//! through the balancer, to another instance) and drains runs and open requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::realtime::revocations::Revocations;

/// How a stop was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// By the orchestrator (SIGTERM): answer not ready for `--drain-secs` first.
    AfterDrain,
    /// By a person at a terminal (Ctrl-C): nobody routes traffic here, stop without the wait.
    Now,
}

/// A shutdown future that says nothing (tests, embedding) asks for the usual drain.
impl From<()> for Stop {
    fn from((): ()) -> Stop {
        Stop::AfterDrain
    }
}

/// Whether this instance is draining. Cheap to clone; set once, never cleared.
#[derive(Debug, Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn begin(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How long open sockets may take to finish their closing handshake.
const SOCKET_CLOSE_WAIT: Duration = Duration::from_secs(3);
const SOCKET_CLOSE_POLL: Duration = Duration::from_millis(20);

/// Begins draining; after `period` (skipped for [`Stop::Now`]) the caller stops accepting.
pub async fn announce(draining: &Draining, stop: Stop, period: Duration) {
    draining.begin();
    if stop == Stop::AfterDrain && !period.is_zero() {
        tracing::info!(secs = period.as_secs(), "shutting down: answering not ready while load balancers notice");
        tokio::time::sleep(period).await;
    }
}

/// Closes every open socket with 1012 "server restarting" and waits (a few seconds at most)
/// for them to finish closing, so that each client gets its close frame before the process
/// exits.
pub async fn close_sockets(revocations: &Revocations) {
    revocations.server_restarting();
    let deadline = tokio::time::Instant::now() + SOCKET_CLOSE_WAIT;
    while revocations.open_sockets() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(SOCKET_CLOSE_POLL).await;
    }
    match revocations.open_sockets() {
        0 => tracing::info!("shutting down: every socket closed"),
        left => tracing::warn!(left, "shutting down: some sockets did not finish closing in time"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stop_from_a_terminal_skips_the_wait_but_still_drains() {
        let draining = Draining::default();
        assert!(!draining.is_draining());
        let announced = announce(&draining, Stop::Now, Duration::from_secs(600));
        tokio::time::timeout(Duration::from_secs(5), announced).await.expect("no wait for Ctrl-C");
        assert!(draining.is_draining(), "ready turns 503 however the stop was asked for");
    }

    #[tokio::test]
    async fn an_orchestrators_stop_is_not_ready_for_the_whole_period_first() {
        let draining = Draining::default();
        let period = Duration::from_millis(300);
        let started = tokio::time::Instant::now();
        announce(&draining, ().into(), period).await;
        assert!(draining.is_draining());
        assert!(started.elapsed() >= period, "stopped accepting after {:?}", started.elapsed());
    }
}
