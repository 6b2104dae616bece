//! Running code: the run service (enqueue, workers, results) between the HTTP routes and the
//! sandbox (`codeview_runner`).
//!
//! - `cancels`: stopping runs that execute in this process at once.
//! - `worker`: workers claiming runs from the durable queue in the store.
//! - `results`: the stored result of a run, bounded, and its top per audience.
//! - `views`: what the API shows of a run (in full, or in the history) to each role.
//! - `policy`: who sees a run at all, and who sees hidden test cases.
//! - `budget`: how many runs a participant and an interview may queue.
//! - `isolation`: the sandbox's isolation level, and the policy that refuses runs below full.
//! - `run_metrics`: runs by status, their wait in the queue and time in the sandbox, the
//!   queue's depth.

pub mod budget;
pub mod cancels;
pub mod isolation;
pub mod results;
pub mod run_metrics;
pub mod views;
pub mod worker;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use codeview_runner::{Isolation, LanguageInfo, Runner, RunnerConfig, SandboxCapabilities};
use tokio::sync::{Notify, OnceCell, broadcast, watch};
use uuid::Uuid;

use crate::config::SandboxArgs;
use crate::db::Store;
use crate::realtime::room_events::RoomEvents;
use cancels::LocalCancels;

/// The process's sandbox runners, one per slot-uid range: a runner's uids, cgroup and work
/// dir are named after its range, so two runners of one range would collide (the first one
/// started serves every later user of its range). A server has one; a test process may start
/// servers with different ranges (a degraded sandbox beside a full one).
static RUNNERS: LazyLock<Mutex<HashMap<u32, RunnerCell>>> = LazyLock::new(Default::default);

/// A runner started on first use: `None` when the sandbox cannot start on this machine.
type RunnerCell = &'static OnceCell<Option<Runner>>;

/// The languages of this machine's toolchains, probed once per process without a sandbox.
async fn probed_languages(config: RunnerConfig) -> Vec<LanguageInfo> {
    static PROBED: OnceCell<Vec<LanguageInfo>> = OnceCell::const_new();
    PROBED
        .get_or_init(|| async move {
            tokio::task::spawn_blocking(move || Runner::probe_languages(&config))
                .await
                .unwrap_or_else(|_| unavailable_languages("the language probe failed"))
        })
        .await
        .clone()
}

/// Every language, unavailable for `reason`.
fn unavailable_languages(reason: &str) -> Vec<LanguageInfo> {
    codeview_runner::Language::ALL
        .iter()
        .map(|lang| LanguageInfo {
            id: lang.id().to_owned(),
            name: lang.name().to_owned(),
            version: String::new(),
            available: false,
            reason: Some(reason.to_owned()),
        })
        .collect()
}

fn runner_cell(slot_uid_base: u32) -> RunnerCell {
    let mut cells = RUNNERS.lock().expect("runner cells");
    cells.entry(slot_uid_base).or_insert_with(|| Box::leak(Box::new(OnceCell::new())))
}

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
    /// Whether this process executes runs (it started workers).
    executes_runs: Arc<AtomicBool>,
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
            executes_runs: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The sandbox settings of this process: its own uid range, cgroup and work directory, so
    /// that a server and a worker on one machine never share a slot.
    fn runner_config(&self) -> RunnerConfig {
        let base = self.sandbox.slot_uid_base;
        let batch_slots = RunnerConfig::default().slots;
        let mut config = RunnerConfig {
            // The batch runs' slots, and one per interactive terminal session on top.
            slots: batch_slots + self.terminal_sessions(),
            slot_uid_base: base,
            cgroup_name: format!("codeview-runner-{base}"),
            work_root: format!("/run/codeview-runner-{base}").into(),
            cgroup_root: self.sandbox.sandbox_cgroup_root.clone(),
            cgroup_v2_path: self.sandbox.sandbox_cgroup_v2_path.clone(),
            ..RunnerConfig::default()
        };
        if let Some(rustc) = &self.sandbox.rustc {
            config.use_rustc(rustc.clone());
        }
        config
    }

    /// How many interactive terminal sessions this process may run at once.
    pub fn terminal_sessions(&self) -> usize {
        self.sandbox.terminal_sessions as usize
    }

    /// The sandbox, started on first use. `None` when this machine cannot sandbox (the
    /// reason is logged once); runs then fail with a clear message instead of running unsafely.
    /// Its isolation level and what it lacks are logged once too.
    pub async fn runner(&self) -> Option<&'static Runner> {
        runner_cell(self.sandbox.slot_uid_base)
            .get_or_init(|| async {
                match Runner::new(self.runner_config()).await {
                    Ok(runner) => {
                        isolation::log_capabilities(runner.capabilities(), self.sandbox.sandbox_allow_degraded);
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

    /// The sandbox's capabilities if it has started (never waits for it).
    pub fn started_capabilities(&self) -> Option<&'static SandboxCapabilities> {
        runner_cell(self.sandbox.slot_uid_base).get()?.as_ref().map(Runner::capabilities)
    }

    /// The sandbox for a run, by the isolation policy: under full isolation, or degraded when
    /// the operator allowed it (with the isolation to record in the run's result). Otherwise
    /// the message to store as the run's result.
    pub async fn runner_for_runs(&self) -> Result<(&'static Runner, isolation::RunIsolation), &'static str> {
        let Some(runner) = self.runner().await else {
            return Err("Code execution is unavailable on this server (the sandbox could not start).");
        };
        let caps = runner.capabilities();
        if caps.isolation() != Isolation::Full && !self.sandbox.sandbox_allow_degraded {
            return Err(isolation::REFUSED_DEGRADED);
        }
        Ok((runner, isolation::RunIsolation::of(caps)))
    }

    /// What interviewers are told in the room of this process's sandbox: its level when runs
    /// execute below full isolation, `None` otherwise (or before the sandbox has started).
    pub fn degraded_isolation(&self) -> Option<isolation::RunIsolation> {
        let caps = self.started_capabilities()?;
        (caps.isolation() != Isolation::Full && self.sandbox.sandbox_allow_degraded)
            .then(|| isolation::RunIsolation::of(caps))
    }

    /// The sandbox's state for the readiness check, or `None` when this process executes no
    /// runs (they are left to `codeview worker` processes). Starts the sandbox if need be.
    pub async fn sandbox_health(&self) -> Option<isolation::SandboxHealth> {
        if !self.executes_runs.load(Ordering::Relaxed) {
            return None;
        }
        let caps = self.runner().await.map(Runner::capabilities);
        Some(isolation::SandboxHealth::of(caps, self.sandbox.sandbox_allow_degraded))
    }

    /// Every language with its version and availability: from this process's sandbox when it
    /// executes runs, else (its runs go to `codeview worker` processes, which share its image)
    /// from this machine's toolchains, probed once without starting a sandbox, which a server
    /// without the sandbox's privileges could not.
    pub async fn languages(&self) -> Vec<LanguageInfo> {
        if !self.executes_runs.load(Ordering::Relaxed) {
            return probed_languages(self.runner_config()).await;
        }
        match self.runner().await {
            Some(runner) => runner.languages(),
            None => unavailable_languages("the code sandbox is unavailable on this server"),
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

    /// Starts `count` workers in this process (plus the reaper of abandoned runs, beside which
    /// the queue's depth is watched); stop them with [`worker::Workers::drain`].
    pub fn start_workers(&self, count: usize) -> worker::Workers {
        if count > 0 {
            self.executes_runs.store(true, Ordering::Relaxed);
            // Started now rather than at the first run, so the log states the isolation at once.
            let service = self.clone();
            tokio::spawn(async move { service.runner().await });
        }
        worker::Workers {
            service: self.clone(),
            workers: (0..count).map(|n| tokio::spawn(worker::run_worker(self.clone(), n))).collect(),
            reaper: tokio::spawn({
                let (service, store) = (self.clone(), self.store.clone());
                async move {
                    tokio::join!(worker::reap_abandoned(service), run_metrics::watch_queue_depth(store));
                }
            }),
        }
    }
}
