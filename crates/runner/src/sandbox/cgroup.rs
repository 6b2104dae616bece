//! cgroup v1 groups for runs: one group per step under each of the memory, pids, cpu and
//! cpuacct controllers, holding the whole sandbox (bwrap joins them in `pre_exec`, before it
//! drops to the slot uid). They cap memory (swap included), processes and CPU share, and
//! measure CPU time, peak memory and OOM kills. Removal retries on EBUSY: the kernel releases
//! a group a little after its last task has died.

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::limits::Limits;

const CONTROLLERS: [&str; 4] = ["memory", "pids", "cpu", "cpuacct"];

/// The parent groups (`/sys/fs/cgroup/<controller>/<name>`) that hold every run's group.
#[derive(Debug)]
pub(crate) struct CgroupParent {
    dirs: Vec<PathBuf>,
}

impl CgroupParent {
    /// Creates (or reuses) the parent groups; fails unless all four v1 controllers are there.
    pub fn open(root: &Path, name: &str) -> io::Result<Self> {
        let mut dirs = Vec::new();
        for c in CONTROLLERS {
            let ctrl = root.join(c);
            if !ctrl.join("cgroup.procs").exists() {
                return Err(io::Error::new(
                    ErrorKind::NotFound,
                    format!("cgroup v1 controller {} not mounted", ctrl.display()),
                ));
            }
            let dir = ctrl.join(name);
            match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            dirs.push(dir);
        }
        Ok(CgroupParent { dirs })
    }

    /// Kills and removes groups left by a server process that crashed mid-run (not those of
    /// another live process sharing the parent group).
    pub fn remove_stale_children(&self) {
        for dir in &self.dirs {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) && super::workdir::owner_is_gone(&e.file_name()) {
                    let group = StepCgroup { dirs: vec![e.path()], removed: false };
                    drop(group); // Drop kills and removes.
                }
            }
        }
    }

    /// A fresh group per controller for one step, with its limits written.
    pub fn create(&self, leaf: &str, limits: &Limits) -> io::Result<StepCgroup> {
        let mut group = StepCgroup { dirs: Vec::with_capacity(4), removed: false };
        for parent in &self.dirs {
            let dir = parent.join(leaf);
            fs::create_dir(&dir)?;
            group.dirs.push(dir);
        }
        let mem = limits.memory_bytes.to_string();
        group.write("memory", "memory.limit_in_bytes", &mem)?;
        // Without swap accounting (memsw absent) the limit above is still enforced.
        let _ = group.write("memory", "memory.memsw.limit_in_bytes", &mem);
        // Two more than the program's budget: the outer bwrap and the namespace's init.
        group.write("pids", "pids.max", &(limits.processes + 2).to_string())?;
        // At most one CPU's worth of time per period, so one run cannot starve the others.
        group.write("cpu", "cpu.cfs_period_us", "100000")?;
        group.write("cpu", "cpu.cfs_quota_us", "100000")?;
        Ok(group)
    }
}

/// One step's groups. Dropping it kills what is left inside and removes the groups.
#[derive(Debug)]
pub(crate) struct StepCgroup {
    dirs: Vec<PathBuf>,
    removed: bool,
}

impl StepCgroup {
    fn dir(&self, controller: &str) -> Option<&PathBuf> {
        self.dirs.iter().find(|d| d.parent().and_then(Path::parent).is_some_and(|c| c.ends_with(controller)))
    }

    fn write(&self, controller: &str, file: &str, value: &str) -> io::Result<()> {
        let dir = self.dir(controller).ok_or_else(|| io::Error::new(ErrorKind::NotFound, controller.to_string()))?;
        fs::write(dir.join(file), value)
    }

    fn read_u64(&self, controller: &str, file: &str) -> Option<u64> {
        let text = fs::read_to_string(self.dir(controller)?.join(file)).ok()?;
        text.trim().parse().ok()
    }

    /// `cgroup.procs` of every controller, opened for writing: the child writes "0" to each in
    /// `pre_exec` (no allocation or path lookup after fork).
    pub fn procs_files(&self) -> io::Result<Vec<File>> {
        self.dirs.iter().map(|d| OpenOptions::new().write(true).open(d.join("cgroup.procs"))).collect()
    }

    /// CPU time of the whole group so far.
    pub fn cpu_ms(&self) -> Option<u64> {
        self.read_u64("cpuacct", "cpuacct.usage").map(|ns| ns / 1_000_000)
    }

    pub fn memory_peak_kb(&self) -> Option<u64> {
        self.read_u64("memory", "memory.max_usage_in_bytes").map(|b| b / 1024)
    }

    /// Whether the kernel OOM-killed something in the group, or the limit was hit at all
    /// (`failcnt`; used when the kernel has no `oom_kill` counter).
    pub fn memory_limit_hit(&self) -> (bool, bool) {
        let oom_kills =
            self.dir("memory").and_then(|d| fs::read_to_string(d.join("memory.oom_control")).ok()).and_then(|t| {
                t.lines().find_map(|l| l.strip_prefix("oom_kill ").and_then(|n| n.trim().parse::<u64>().ok()))
            });
        let failcnt = self.read_u64("memory", "memory.failcnt").unwrap_or(0);
        (oom_kills.unwrap_or(0) > 0, failcnt > 0)
    }

    fn pids(&self) -> Vec<i32> {
        let mut pids = Vec::new();
        for d in &self.dirs {
            if let Ok(t) = fs::read_to_string(d.join("cgroup.procs")) {
                pids.extend(t.lines().filter_map(|l| l.trim().parse::<i32>().ok()));
            }
        }
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// SIGKILLs every process still in the group.
    pub fn kill_all(&self) {
        for pid in self.pids() {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }

    fn try_remove(&mut self) -> bool {
        self.dirs.retain(|d| match fs::remove_dir(d) {
            Ok(()) => false,
            Err(e) => e.kind() != ErrorKind::NotFound,
        });
        self.removed = self.dirs.is_empty();
        self.removed
    }

    /// Kills what is left and removes the groups, retrying while the kernel says EBUSY.
    pub async fn remove(mut self) -> Result<(), String> {
        for attempt in 0..200 {
            self.kill_all();
            if self.try_remove() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(if attempt < 20 { 1 } else { 10 })).await;
        }
        Err(format!("could not remove cgroups {:?}", self.dirs))
    }
}

impl Drop for StepCgroup {
    fn drop(&mut self) {
        if self.removed || self.dirs.is_empty() {
            return;
        }
        self.kill_all();
        if self.try_remove() {
            return;
        }
        // Cancelled mid-run: finish in the background rather than block the async caller.
        let mut rest = StepCgroup { dirs: std::mem::take(&mut self.dirs), removed: false };
        std::thread::spawn(move || {
            for _ in 0..300 {
                rest.kill_all();
                if rest.try_remove() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            rest.dirs.clear(); // give up rather than respawn from this Drop
        });
    }
}
