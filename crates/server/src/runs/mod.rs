//! Running code: the run service (enqueue, workers, results) between the HTTP routes and the
//! sandbox (`codeview_runner`).
//!
//! - `events`: the room event hub that streams run output to every participant.
//! - `worker`: workers claiming runs from the durable queue in the store.
//! - `results`: the stored result of a run and what each role may see of it.

pub mod events;
pub mod results;
pub mod worker;

use std::sync::Arc;

use codeview_runner::{LanguageInfo, Runner, RunnerConfig};
use tokio::sync::{Notify, OnceCell, broadcast};
use uuid::Uuid;

use crate::db::Store;
use events::RoomEvents;

/// The process's one sandbox runner. One per process: slot uids, cgroups and work dirs are
/// per process, so two runners in one process would collide.
static RUNNER: OnceCell<Option<Runner>> = OnceCell::const_new();

/// Cheap-to-clone handle on everything runs need.
#[derive(Clone)]
pub struct RunService {
    pub store: Arc<dyn Store>,
    pub events: RoomEvents,
    /// Wakes idle workers when a run is queued by this process.
    wake: Arc<Notify>,
    /// Announces finished runs (by id) to long-polling readers.
    finished: broadcast::Sender<Uuid>,
}

impl RunService {
    pub fn new(store: Arc<dyn Store>, events: RoomEvents) -> RunService {
        RunService { store, events, wake: Arc::new(Notify::new()), finished: broadcast::channel(256).0 }
    }

    /// The sandbox, started on first use. `None` when this machine cannot sandbox (the
    /// reason is logged once); runs then fail with a clear message instead of running unsafely.
    pub async fn runner(&self) -> Option<&'static Runner> {
        RUNNER
            .get_or_init(|| async {
                match Runner::new(RunnerConfig::default()).await {
                    Ok(runner) => {
                        tracing::info!(capabilities = %runner.capabilities(), "code sandbox ready");
                        Some(runner)
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "code sandbox unavailable: runs will fail");
                        None
                    }
                }
            })
            .await
            .as_ref()
    }

    pub async fn languages(&self) -> Vec<LanguageInfo> {
        match self.runner().await {
            Some(runner) => runner.languages(),
            None => codeview_runner::Language::ALL
                .iter()
                .map(|lang| LanguageInfo {
                    id: lang.id().to_owned(),
                    name: lang.name().to_owned(),
                    version: String::new(),
                    available: false,
                    reason: Some("the code sandbox is unavailable on this server".into()),
                })
                .collect(),
        }
    }

    /// Tells local workers a run is waiting.
    pub fn notify_queued(&self) {
        self.wake.notify_waiters();
    }

    pub fn subscribe_finished(&self) -> broadcast::Receiver<Uuid> {
        self.finished.subscribe()
    }

    /// Starts `count` workers in this process (plus the reaper of abandoned runs).
    pub fn start_workers(&self, count: usize) -> Vec<tokio::task::JoinHandle<()>> {
        let mut handles: Vec<_> = (0..count).map(|n| tokio::spawn(worker::run_worker(self.clone(), n))).collect();
        handles.push(tokio::spawn(worker::reap_abandoned(self.clone())));
        handles
    }
}
