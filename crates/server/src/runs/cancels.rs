//! Cancelling runs that execute in this process at once. The store keeps the durable request
//! (`cancel_requested_by`), which a worker in another process sees on its next heartbeat; a
//! worker here is woken immediately through this registry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use uuid::Uuid;

/// The runs executing in this process, each with a way to stop it.
#[derive(Clone, Default)]
pub struct LocalCancels {
    /// A std mutex: held only for map operations.
    running: Arc<Mutex<HashMap<Uuid, oneshot::Sender<String>>>>,
}

/// Held by the worker executing a run; unregisters the run when dropped.
pub struct CancelWatch {
    /// Resolves with the name of whoever cancelled the run.
    pub requested: oneshot::Receiver<String>,
    id: Uuid,
    registry: LocalCancels,
}

impl LocalCancels {
    pub fn watch(&self, id: Uuid) -> CancelWatch {
        let (tx, requested) = oneshot::channel();
        self.running.lock().expect("cancel registry").insert(id, tx);
        CancelWatch { requested, id, registry: self.clone() }
    }

    /// Stops the run if it executes here; `false` when it does not (or already ended).
    pub fn cancel(&self, id: Uuid, by: &str) -> bool {
        let sender = self.running.lock().expect("cancel registry").remove(&id);
        sender.is_some_and(|tx| tx.send(by.to_owned()).is_ok())
    }

    /// Stops every run executing here; returns how many were stopped.
    pub fn cancel_all(&self, by: &str) -> usize {
        let running = std::mem::take(&mut *self.running.lock().expect("cancel registry"));
        running.into_values().map(|tx| tx.send(by.to_owned())).filter(Result::is_ok).count()
    }
}

impl Drop for CancelWatch {
    fn drop(&mut self) {
        self.registry.running.lock().expect("cancel registry").remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_watched_run_learns_who_cancelled_it() {
        let cancels = LocalCancels::default();
        let id = Uuid::now_v7();
        let mut watch = cancels.watch(id);
        assert!(cancels.cancel(id, "Ada"));
        assert_eq!((&mut watch.requested).await.unwrap(), "Ada");
        assert!(!cancels.cancel(id, "Ada"), "a second cancel finds nothing");
    }

    #[tokio::test]
    async fn cancel_all_stops_every_running_run() {
        let cancels = LocalCancels::default();
        let mut first = cancels.watch(Uuid::now_v7());
        let mut second = cancels.watch(Uuid::now_v7());
        drop(cancels.watch(Uuid::now_v7()));
        assert_eq!(cancels.cancel_all("the server"), 2);
        assert_eq!((&mut first.requested).await.unwrap(), "the server");
        assert_eq!((&mut second.requested).await.unwrap(), "the server");
        assert_eq!(cancels.cancel_all("the server"), 0);
    }

    #[test]
    fn a_finished_run_cannot_be_cancelled() {
        let cancels = LocalCancels::default();
        let id = Uuid::now_v7();
        drop(cancels.watch(id));
        assert!(!cancels.cancel(id, "Ada"));
        assert!(!cancels.cancel(Uuid::now_v7(), "Ada"), "unknown run");
    }
}
