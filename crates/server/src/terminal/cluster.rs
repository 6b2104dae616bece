//! A terminal session's reach across server instances (with Redis): the interview's lock taken
//! before a start, renewed while the session runs and released at its end
//! (`room_cluster::terminal_lock`); and what a socket of this instance sends to a session —
//! input, a signal, a stop, or asking for its `terminal_state` — applied here when the session
//! runs here, or relayed to the instance whose lock holds it (`room_cluster::terminal_relay`,
//! answered by `room_cluster::terminal_service`). Without Redis only the local part runs.
//!
//! When Redis cannot be reached, a start and a relayed message are refused `unavailable` with
//! the reason; a running session goes on (its lock is renewed again once Redis answers).

use uuid::Uuid;

use super::{Refusal, Session, StopCause, Terminals};
use crate::realtime::room_cluster::terminal_lock::{Renewal, TerminalLocks};
use crate::realtime::room_cluster::terminal_relay::{Op, Outcome, RelayFailure, SessionState, TerminalRelay};
use crate::realtime::room_events::terminal::{TerminalErrorCode, TerminalSignal};

/// The lock and the relay, with Redis.
pub struct TerminalCluster {
    pub locks: TerminalLocks,
    pub relay: TerminalRelay,
}

/// What a socket asks of a running session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalAction {
    Input(String),
    Signal(TerminalSignal),
    Stop,
}

fn unavailable(message: &str) -> Refusal {
    Refusal::new(TerminalErrorCode::Unavailable, message)
}

const REDIS_DOWN: &str =
    "The terminal cannot be reached now: the server instances cannot reach Redis. Try again in a few seconds.";

impl Terminals {
    /// The lock and the relay, with Redis.
    pub fn cluster(&self) -> Option<&TerminalCluster> {
        self.inner.cluster.as_ref()
    }

    /// Applies what participant `by` sent to session `session_id`, here or where it runs.
    pub async fn act(
        &self,
        interview_id: Uuid,
        session_id: Uuid,
        by: Uuid,
        action: TerminalAction,
    ) -> Result<(), Refusal> {
        let here = self.act_here(interview_id, session_id, by, action.clone());
        let Some(cluster) = self.cluster() else { return here };
        match here {
            Err(refusal) if refusal.code == TerminalErrorCode::NotRunning => {}
            done => return done,
        }
        let op = match action {
            TerminalAction::Input(data) => Op::Input { data },
            TerminalAction::Signal(signal) => Op::Signal { signal },
            TerminalAction::Stop => Op::Stop,
        };
        match self.ask_holder(cluster, interview_id, Some(session_id), by, op).await? {
            Outcome::Refused { code, message } => Err(Refusal::new(code, message)),
            Outcome::Done | Outcome::State { .. } => Ok(()),
        }
    }

    /// Applies an action to a session of this process.
    pub fn act_here(
        &self,
        interview_id: Uuid,
        session_id: Uuid,
        by: Uuid,
        action: TerminalAction,
    ) -> Result<(), Refusal> {
        match action {
            TerminalAction::Input(data) => self.input(interview_id, session_id, by, data),
            TerminalAction::Signal(signal) => self.signal(interview_id, session_id, signal),
            TerminalAction::Stop => self.stop(interview_id, session_id),
        }
    }

    /// The running session's state for a socket of participant `by` that opens now: from this
    /// process, or asked of the instance where it runs. `None` when none runs (or it cannot be
    /// asked now).
    pub async fn opening_state(&self, interview_id: Uuid, by: Uuid) -> Option<SessionState> {
        if let Some(state) = self.local_state(interview_id) {
            return Some(state);
        }
        let cluster = self.cluster()?;
        match self.ask_holder(cluster, interview_id, None, by, Op::State).await {
            Ok(Outcome::State { state }) => Some(state),
            _ => None,
        }
    }

    /// Sends `op` to the instance holding the interview's lock (for `session_id`, when given).
    async fn ask_holder(
        &self,
        cluster: &TerminalCluster,
        interview_id: Uuid,
        session_id: Option<Uuid>,
        by: Uuid,
        op: Op,
    ) -> Result<Outcome, Refusal> {
        let not_running = || Refusal::new(TerminalErrorCode::NotRunning, "That terminal session is not running.");
        let holder = cluster.locks.holder(interview_id).await.map_err(|_| unavailable(REDIS_DOWN))?;
        let holder = holder
            .filter(|h| h.instance != cluster.locks.instance())
            .filter(|h| session_id.is_none_or(|id| id == h.session_id))
            .ok_or_else(not_running)?;
        let asked = cluster.relay.ask(holder.instance, interview_id, holder.session_id, by, op).await;
        asked.map_err(|failure| match failure {
            RelayFailure::Unreachable => unavailable(REDIS_DOWN),
            RelayFailure::Gone => unavailable("The server instance running the terminal is gone; start it again."),
            RelayFailure::Silent | RelayFailure::Crowded => {
                unavailable("The server instance running the terminal did not answer; try again.")
            }
        })
    }

    /// Takes the interview's lock for a new session (with Redis): `busy` when another holds it.
    pub(super) async fn lock_for_start(&self, interview_id: Uuid, session_id: Uuid) -> Result<(), Refusal> {
        let Some(cluster) = self.cluster() else { return Ok(()) };
        match cluster.locks.acquire(interview_id, session_id).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(super::busy()),
            Err(_) => Err(unavailable(
                "The terminal cannot start now: the server instances cannot reach Redis. Try again in a few seconds.",
            )),
        }
    }

    /// Renews a running session's lock; the cause to stop it when another session took it.
    pub(super) async fn renew_lock(&self, session: &Session) -> Option<StopCause> {
        let cluster = self.cluster()?;
        match cluster.locks.renew(session.interview_id, session.id).await {
            Ok(Renewal::Lost) => Some(StopCause::Superseded),
            // Kept, or Redis out of reach: the session goes on and tries again.
            _ => None,
        }
    }

    pub(super) async fn release_lock(&self, interview_id: Uuid, session_id: Uuid) {
        if let Some(cluster) = self.cluster() {
            cluster.locks.release(interview_id, session_id).await;
        }
    }
}
