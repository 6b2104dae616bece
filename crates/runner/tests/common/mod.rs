//! Helpers shared by the sandbox test binaries: a runner per test with its own slot uids,
//! cgroup and work root (so tests running in parallel never see each other's leftovers), a
//! way to run a job and collect its events, and the "host is clean" assertion.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codeview_runner::{Isolation, Job, Language, Outcome, RunEvent, Runner, RunnerConfig, Status};

// `unprivileged.rs` uses only part of this module.

/// First sandbox uid of the runner tests: clear of the ranges the server's test suites use
/// (`CODEVIEW_TEST_SLOT_UID_BASE` and the workers they start above it).
const TEST_UID_BASE: u32 = 70_200;

/// A configuration isolated from every other test: uids `TEST_UID_BASE + 16*id ..`, its own
/// cgroup name and work root.
pub fn config(id: u32, name: &str) -> RunnerConfig {
    assert!(
        nix::unistd::geteuid().is_root(),
        "the sandbox tests need root (they check per-slot uids, cgroups and tmpfs mounts)"
    );
    assert!(
        Path::new("/usr/bin/bwrap").exists(),
        "bubblewrap is not installed: apt-get install -y bubblewrap (see scripts/apt-packages.txt)"
    );
    RunnerConfig {
        slots: 4,
        slot_uid_base: TEST_UID_BASE + 16 * id,
        work_root: PathBuf::from(format!("/run/codeview-runner-test/{name}")),
        cgroup_name: format!("codeview-runner-test-{name}"),
        ..RunnerConfig::default()
    }
}

pub async fn runner(id: u32, name: &str) -> (Runner, RunnerConfig) {
    let cfg = config(id, name);
    let r = Runner::new(cfg.clone()).await.expect("the sandbox must start");
    // As root on a host with cgroups every protection is in force; a missing one fails here,
    // saying which.
    assert_eq!(r.capabilities().isolation(), Isolation::Full, "{}", r.capabilities());
    (r, cfg)
}

/// Runs a job and returns its outcome and every event it streamed.
pub async fn exec(runner: &Runner, job: Job) -> (Outcome, Vec<RunEvent>) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let collector = tokio::spawn(async move {
        let mut v = Vec::new();
        while let Some(e) = rx.recv().await {
            v.push(e);
        }
        v
    });
    let outcome = runner.execute(job, tx).await.expect("job accepted");
    let events = collector.await.expect("collector");
    (outcome, events)
}

/// Plain run mode.
pub async fn run(runner: &Runner, lang: Language, src: &str, stdin: &str) -> Outcome {
    exec(runner, Job::run(lang, src, stdin.as_bytes().to_vec())).await.0
}

/// Asserts the outcome's status and prints the whole outcome when it differs.
#[track_caller]
pub fn assert_status(o: &Outcome, want: Status) {
    assert_eq!(o.status, want, "unexpected outcome: {o:#?}");
}

/// Processes whose real uid is one of `cfg`'s slot uids.
pub fn slot_processes(cfg: &RunnerConfig) -> Vec<(i32, u32)> {
    codeview_runner::host::processes_of_uids(cfg.slot_uid_base..cfg.slot_uid_base + cfg.slots as u32)
}

/// cgroups left under this runner's parent groups.
pub fn leftover_cgroups(cfg: &RunnerConfig) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for c in ["memory", "pids", "cpu", "cpuacct"] {
        let dir = cfg.cgroup_root.join(c).join(&cfg.cgroup_name);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            v.extend(entries.flatten().filter(|e| e.path().is_dir()).map(|e| e.path()));
        }
    }
    v
}

/// Asserts that no process, cgroup, mount or work dir of this runner is left on the host.
/// Waits up to 3 s: the kernel reaps a killed namespace asynchronously.
pub async fn assert_host_clean(cfg: &RunnerConfig) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let procs = slot_processes(cfg);
        let groups = leftover_cgroups(cfg);
        let mounts = codeview_runner::host::mounts_under(&cfg.work_root);
        let dirs: Vec<PathBuf> =
            std::fs::read_dir(&cfg.work_root).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        if procs.is_empty() && groups.is_empty() && mounts.is_empty() && dirs.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            panic!("host not clean: processes {procs:?}, cgroups {groups:?}, mounts {mounts:?}, dirs {dirs:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// This process's children that are zombies (exited, not reaped), as `(pid, real uid)`.
pub fn zombie_children() -> Vec<(i32, u32)> {
    codeview_runner::host::zombie_children_of(std::process::id())
}
