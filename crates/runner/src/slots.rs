//! The slot pool: at most `slots` jobs at once, each on its own slot (slot n runs as uid
//! `slot_uid_base + n`). A slot is handed out only when its uid owns no process at all:
//! leftovers are killed and reaped first, and a slot that still does not come clean is
//! quarantined (out of service, its permit withheld, rechecked every second, logged once)
//! instead of handing a job a uid whose RLIMIT_NPROC is already used up.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{Error, Result};
use crate::sandbox::Backend;

/// How long a job waits for a dirty slot's leftovers to die and be reaped before the slot is
/// quarantined. A cancelled job's sandbox normally dies within milliseconds.
const SLOT_SETTLE_TIME: Duration = Duration::from_millis(500);
const SLOT_SETTLE_POLL: Duration = Duration::from_millis(5);
/// How often a quarantined slot is checked (and its leftovers killed again).
const QUARANTINE_RECHECK: Duration = Duration::from_secs(1);

pub(crate) struct SlotPool {
    backend: Arc<dyn Backend>,
    /// One permit per slot in service; a job holds one from its compile to its last case.
    permits: Semaphore,
    /// Free slot numbers. A std Mutex: held for a push or a pop, never across an await.
    free: Mutex<Vec<usize>>,
}

/// Gives the slot back when the job ends, however it ends (cancellation included); the next
/// job to take it checks that nothing of this one survived.
pub(crate) struct SlotGuard<'a> {
    pool: &'a SlotPool,
    pub slot: usize,
    /// `None` once the slot went into quarantine: then neither comes back on drop.
    permit: Option<SemaphorePermit<'a>>,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        if self.permit.is_some() {
            self.pool.free.lock().unwrap_or_else(PoisonError::into_inner).push(self.slot);
        }
    }
}

impl SlotPool {
    pub fn new(backend: Arc<dyn Backend>, slots: usize) -> Arc<SlotPool> {
        Arc::new(SlotPool { backend, permits: Semaphore::new(slots), free: Mutex::new((0..slots).rev().collect()) })
    }

    /// Waits for a clean slot.
    pub async fn acquire(self: &Arc<Self>) -> Result<SlotGuard<'_>> {
        loop {
            let permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| Error::SandboxUnavailable("runner is shutting down".into()))?;
            let slot = self
                .free
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop()
                .ok_or_else(|| Error::SandboxUnavailable("no free slot despite a permit".into()))?;
            // Held while settling, so a job dropped meanwhile gives the slot back.
            let mut guard = SlotGuard { pool: self, slot, permit: Some(permit) };
            if self.settle(slot).await {
                return Ok(guard);
            }
            // The permit leaves service with the slot and comes back with it.
            if let Some(p) = guard.permit.take() {
                p.forget();
            }
            self.quarantine(slot);
        }
    }

    /// Whether `slot`'s uid owns no process, after killing and reaping its leftovers for up
    /// to [`SLOT_SETTLE_TIME`].
    async fn settle(&self, slot: usize) -> bool {
        let deadline = tokio::time::Instant::now() + SLOT_SETTLE_TIME;
        loop {
            if self.backend.slot_leftovers(slot).is_empty() {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            self.backend.kill_slot_leftovers(slot);
            tokio::time::sleep(SLOT_SETTLE_POLL).await;
        }
    }

    /// Takes `slot` out of service until its uid owns no process. A thread, not a task: the
    /// runner may outlive the tokio runtime that created it (tests, a server's shutdown).
    fn quarantine(self: &Arc<Self>, slot: usize) {
        let leftovers = self.backend.slot_leftovers(slot);
        tracing::warn!(slot, ?leftovers, "sandbox slot quarantined: processes of its uid survive being killed");
        let pool = Arc::downgrade(self);
        let recheck = move || {
            loop {
                std::thread::sleep(QUARANTINE_RECHECK);
                let Some(pool) = pool.upgrade() else {
                    return;
                };
                pool.backend.kill_slot_leftovers(slot);
                if pool.backend.slot_leftovers(slot).is_empty() {
                    pool.free.lock().unwrap_or_else(PoisonError::into_inner).push(slot);
                    pool.permits.add_permits(1);
                    tracing::info!(slot, "sandbox slot back in service");
                    return;
                }
            }
        };
        if let Err(e) = std::thread::Builder::new().name(format!("slot-{slot}-quarantine")).spawn(recheck) {
            tracing::error!(slot, error = %e, "cannot recheck a quarantined slot: it stays out of service");
        }
    }
}
