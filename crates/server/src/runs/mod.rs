//! Running code: the run service (enqueue, workers, results) between the HTTP routes and the
//! sandbox (`codeview_runner`).
//!
//! - `cancels`: stopping runs that execute in this process at once.
//! - `worker`: workers claiming runs from the durable queue in the store.
//! - `results`: the stored result of a run, bounded, and its top per audience.
//! - `views`: what the API shows of a run (in full, or in the history) to each role.
//! - `policy`: who sees a run at all, and who sees hidden test cases.
//! - `budget`: how many runs a participant and an interview may queue.

pub mod budget;
pub mod cancels;
pub mod results;
pub mod views;
pub mod worker;

use std::sync::Arc;

use codeview_runner::{LanguageInfo, Runner, RunnerConfig};
use tokio::sync::{Notify, OnceCell, broadcast, watch};
use uuid::Uuid;

use crate::config::SandboxArgs;
use crate::db::Store;
use crate::realtime::room_events::RoomEvents;
use cancels::LocalCancels;

/// The process's one sandbox runner. One per process: slot uids, cgroups and work dirs are
/// per process, so two runners in one process would collide.
static RUNNER: OnceCell<Option<Runner>> = OnceCell::const_new();

/// Cheap-to-clone handle on everything runs need.
#[derive(Clone)]
pub struct RunService {
    pub store: Arc<dyn Store>,
    pub events: RoomEvents,
    /// Runs executing in this process, for immediate cancels.
    pub cancels: LocalCancels,
    /// Wakes idle workers when a run is queued by this process.
    wake: Arc<Notify>,
    /// Turns true when the process shuts down: workers claim nothing more.
    stopping: Arc<watch::Sender<bool>>,
    /// Announces finished runs (by id) to long-polling readers.
    finished: broadcast::Sender<Uuid>,
    /// The sandbox this process starts on first use.
    sandbox: SandboxArgs,
}

impl RunService {
    pub fn new(store: Arc<dyn Store>, events: RoomEvents, sandbox: SandboxArgs) -> RunService {
        RunService {
            store,
            events,
            cancels: LocalCancels::default(),
            wake: Arc::new(Notify::new()),
            stopping: Arc::new(watch::channel(false).0),
            finished: broadcast::channel(256).0,
            sandbox,
        }
    }

    /// The sandbox settings of this process: its own uid range, cgroup and work directory, so
    /// that a server and a worker on one machine never share a slot.
    fn runner_config(&self) -> RunnerConfig {
        let base = self.sandbox.slot_uid_base;
        let mut config = RunnerConfig {
            slot_uid_base: base,
            cgroup_name: format!("codeview-runner-{base}"),
            work_root: format!("/run/codeview-runner-{base}").into(),
            ..RunnerConfig::default()
        };
        if let Some(rustc) = &self.sandbox.rustc {
            config.use_rustc(rustc.clone());
        }
        config
    }

    /// The sandbox, started on first use. `None` when this machine cannot sandbox (the
    /// reason is logged once); runs then fail with a clear message instead of running unsafely.
    pub async fn runner(&self) -> Option<&'static Runner> {
        RUNNER
            .get_or_init(|| async {
                match Runner::new(self.runner_config()).await {
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

    /// Wakes long-polling readers of `run_id`.
    pub fn announce_finished(&self, run_id: Uuid) {
        let _ = self.finished.send(run_id);
    }

    pub fn subscribe_finished(&self) -> broadcast::Receiver<Uuid> {
        self.finished.subscribe()
    }

    /// Starts `count` workers in this process (plus the reaper of abandoned runs); stop them
    /// with [`worker::Workers::drain`].
    pub fn start_workers(&self, count: usize) -> worker::Workers {
        worker::Workers {
            service: self.clone(),
            workers: (0..count).map(|n| tokio::spawn(worker::run_worker(self.clone(), n))).collect(),
            reaper: tokio::spawn(worker::reap_abandoned(self.clone())),
        }
    }
}
