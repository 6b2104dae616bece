//! The slot pool: at most `slots` jobs at once, each on its own slot (slot n runs as uid
//! `slot_uid_base + n`). A slot enters the free list only once its uid owns no process at
//! all: at start-up and each time a job gives it back (however the job ended), a checker
//! thread scans `/proc`, kills and reaps leftovers, and a slot that still does not come clean
//! is quarantined (out of service with its permit, rechecked every second, logged once)
//! instead of handing a job a uid whose RLIMIT_NPROC is already used up.
//!
//! The check runs when a slot is given back rather than when it is taken: a scan of `/proc`
//! costs milliseconds on a busy host, and only the runner's own sandboxes run as slot uids
//! (each runner process has its own range), so a slot checked clean stays clean until it is
//! used again. Taking a slot is then a semaphore and a pop.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::error::{Error, Result};
use crate::sandbox::Backend;

/// How long a given-back slot's leftovers may take to die and be reaped before the slot is
/// quarantined. A cancelled job's sandbox normally dies within milliseconds.
const SLOT_SETTLE_TIME: Duration = Duration::from_millis(500);
const SLOT_SETTLE_POLL: Duration = Duration::from_millis(5);
/// How often a quarantined slot is checked (and its leftovers killed again).
const QUARANTINE_RECHECK: Duration = Duration::from_secs(1);

pub(crate) struct SlotPool {
    backend: Arc<dyn Backend>,
    /// One permit per slot checked clean and free; a job holds one from its compile to its
    /// last case.
    permits: Semaphore,
    /// Free slots, all checked clean. A std Mutex: held for a push or a pop, never across an
    /// await.
    free: Mutex<Vec<usize>>,
    /// Slots given back, to the checker thread.
    given_back: Sender<usize>,
}

/// Gives the slot back to be checked when the job ends, however it ends (cancellation
/// included).
pub(crate) struct SlotGuard<'a> {
    pool: &'a SlotPool,
    pub slot: usize,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        self.pool.give_back(self.slot);
    }
}

impl SlotPool {
    /// A pool of `slots` slots, each checked before its first use.
    pub fn new(backend: Arc<dyn Backend>, slots: usize) -> Result<Arc<SlotPool>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let pool = Arc::new(SlotPool {
            backend,
            permits: Semaphore::new(0),
            free: Mutex::new(Vec::with_capacity(slots)),
            given_back: tx,
        });
        let checker = Checker { pool: Arc::downgrade(&pool), given_back: rx, quarantined: Vec::new() };
        // Without the checker no slot would ever be freed: refuse to start instead of hanging.
        std::thread::Builder::new()
            .name("sandbox-slots".into())
            .spawn(move || checker.run())
            .map_err(|e| Error::io("starting the slot checker", e))?;
        for slot in (0..slots).rev() {
            pool.give_back(slot);
        }
        Ok(pool)
    }

    /// Waits for a free slot (checked clean when it was given back).
    pub async fn acquire(&self) -> Result<SlotGuard<'_>> {
        let permit =
            self.permits.acquire().await.map_err(|_| Error::SandboxUnavailable("runner is shutting down".into()))?;
        let slot = self
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or_else(|| Error::SandboxUnavailable("no free slot despite a permit".into()))?;
        // The checker adds the permit back once the slot, given back, is clean.
        permit.forget();
        Ok(SlotGuard { pool: self, slot })
    }

    fn give_back(&self, slot: usize) {
        if self.given_back.send(slot).is_err() {
            tracing::error!(slot, "the slot checker has stopped: a slot given back is lost");
        }
    }

    fn free(&self, slot: usize) {
        self.free.lock().unwrap_or_else(PoisonError::into_inner).push(slot);
        self.permits.add_permits(1);
    }

    /// Whether `slot`'s uid owns no process, after killing and reaping its leftovers for up
    /// to [`SLOT_SETTLE_TIME`].
    fn settle(&self, slot: usize) -> bool {
        let deadline = Instant::now() + SLOT_SETTLE_TIME;
        loop {
            if self.backend.slot_leftovers(slot).is_empty() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            self.backend.kill_slot_leftovers(slot);
            std::thread::sleep(SLOT_SETTLE_POLL);
        }
    }
}

/// The thread that checks given-back slots. A thread, not a task: the runner may outlive the
/// tokio runtime that created it (tests, a server's shutdown), and a check may sleep.
struct Checker {
    pool: Weak<SlotPool>,
    given_back: Receiver<usize>,
    /// Slots out of service, with when they are next checked.
    quarantined: Vec<(usize, Instant)>,
}

impl Checker {
    fn run(mut self) {
        loop {
            let wait = self.quarantined.iter().map(|(_, at)| at.saturating_duration_since(Instant::now())).min();
            let received = match wait {
                Some(w) => self.given_back.recv_timeout(w),
                None => self.given_back.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let Some(pool) = self.pool.upgrade() else {
                return;
            };
            match received {
                Ok(slot) if pool.settle(slot) => pool.free(slot),
                Ok(slot) => {
                    let leftovers = pool.backend.slot_leftovers(slot);
                    tracing::warn!(
                        slot,
                        ?leftovers,
                        "sandbox slot quarantined: processes of its uid survive being killed"
                    );
                    self.quarantined.push((slot, Instant::now() + QUARANTINE_RECHECK));
                }
                Err(RecvTimeoutError::Timeout) => self.recheck(&pool),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn recheck(&mut self, pool: &SlotPool) {
        let now = Instant::now();
        self.quarantined.retain_mut(|(slot, at)| {
            if *at > now {
                return true;
            }
            pool.backend.kill_slot_leftovers(*slot);
            if pool.backend.slot_leftovers(*slot).is_empty() {
                tracing::info!(slot = *slot, "sandbox slot back in service");
                pool.free(*slot);
                return false;
            }
            *at = now + QUARANTINE_RECHECK;
            true
        });
    }
}
