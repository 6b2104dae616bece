//! cgroup v1: one group per step under each of the memory, pids, cpu and cpuacct
//! controllers (`<root>/<controller>/<name>/<step>`). They cap memory (swap included),
//! processes and CPU share, and measure CPU time, peak memory and OOM kills. A hybrid host
//! (v1 controllers plus an empty unified mount) is used as v1.

use std::fs::File;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::StepGroup;
use super::fs::{CgroupFs, ensure_dir};
use crate::limits::Limits;

const CONTROLLERS: [&str; 4] = ["memory", "pids", "cpu", "cpuacct"];

/// The parent groups (`<root>/<controller>/<name>`) that hold every run's group.
#[derive(Debug)]
pub(crate) struct Parent {
    fs: Arc<dyn CgroupFs>,
    dirs: Vec<PathBuf>,
}

/// Whether `root` has v1 controllers mounted under it.
pub(crate) fn mounted(fs: &dyn CgroupFs, root: &Path) -> bool {
    CONTROLLERS.iter().any(|c| fs.exists(&root.join(c).join("cgroup.procs")))
}

impl Parent {
    /// Creates (or reuses) the parent groups; fails unless all four controllers are there.
    pub fn open(fs: Arc<dyn CgroupFs>, root: &Path, name: &str) -> Result<Parent, String> {
        let mut dirs = Vec::new();
        for c in CONTROLLERS {
            let ctrl = root.join(c);
            if !fs.exists(&ctrl.join("cgroup.procs")) {
                return Err(format!("cgroup v1 controller {} not mounted", ctrl.display()));
            }
            let dir = ctrl.join(name);
            ensure_dir(&*fs, &dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            dirs.push(dir);
        }
        Ok(Parent { fs, dirs })
    }

    /// Steps' groups left by a server process that crashed mid-run (not those of another live
    /// process sharing the parent group), one per controller.
    pub fn stale_children(&self) -> Vec<Step> {
        let mut v = Vec::new();
        for dir in &self.dirs {
            for child in self.fs.child_dirs(dir).unwrap_or_default() {
                if child.file_name().is_some_and(crate::sandbox::workdir::owner_is_gone) {
                    v.push(Step { fs: self.fs.clone(), dirs: vec![child] });
                }
            }
        }
        v
    }

    /// A fresh group per controller for one step, with its limits written.
    pub fn create(&self, leaf: &str, limits: &Limits) -> io::Result<Step> {
        let mut step = Step { fs: self.fs.clone(), dirs: Vec::with_capacity(4) };
        for parent in &self.dirs {
            let dir = parent.join(leaf);
            if let Err(e) = self.fs.create_dir(&dir) {
                step.try_remove();
                return Err(e);
            }
            step.dirs.push(dir);
        }
        if let Err(e) = step.write_limits(limits) {
            step.try_remove();
            return Err(e);
        }
        Ok(step)
    }
}

/// One step's groups.
#[derive(Debug)]
pub(crate) struct Step {
    fs: Arc<dyn CgroupFs>,
    dirs: Vec<PathBuf>,
}

impl Step {
    fn dir(&self, controller: &str) -> Option<&PathBuf> {
        self.dirs.iter().find(|d| d.parent().and_then(Path::parent).is_some_and(|c| c.ends_with(controller)))
    }

    fn write(&self, controller: &str, file: &str, value: &str) -> io::Result<()> {
        let dir = self.dir(controller).ok_or_else(|| io::Error::new(ErrorKind::NotFound, controller.to_string()))?;
        self.fs.write(&dir.join(file), value)
    }

    fn read(&self, controller: &str, file: &str) -> Option<String> {
        self.fs.read(&self.dir(controller)?.join(file)).ok()
    }

    fn read_u64(&self, controller: &str, file: &str) -> Option<u64> {
        self.read(controller, file)?.trim().parse().ok()
    }

    fn write_limits(&self, limits: &Limits) -> io::Result<()> {
        let mem = limits.memory_bytes.to_string();
        self.write("memory", "memory.limit_in_bytes", &mem)?;
        // Without swap accounting (memsw absent) the limit above is still enforced.
        let _ = self.write("memory", "memory.memsw.limit_in_bytes", &mem);
        // Two more than the program's budget: the outer bwrap and the namespace's init.
        self.write("pids", "pids.max", &(limits.processes + 2).to_string())?;
        // At most one CPU's worth of time per period, so one run cannot starve the others.
        self.write("cpu", "cpu.cfs_period_us", "100000")?;
        self.write("cpu", "cpu.cfs_quota_us", "100000")
    }

    fn pids(&self) -> Vec<i32> {
        let mut pids = Vec::new();
        for d in &self.dirs {
            if let Ok(t) = self.fs.read(&d.join("cgroup.procs")) {
                pids.extend(t.lines().filter_map(|l| l.trim().parse::<i32>().ok()));
            }
        }
        pids.sort_unstable();
        pids.dedup();
        pids
    }
}

impl StepGroup for Step {
    /// `cgroup.procs` of every controller: the child joins each.
    fn procs_files(&self) -> io::Result<Vec<File>> {
        self.dirs.iter().map(|d| self.fs.open_for_write(&d.join("cgroup.procs"))).collect()
    }

    fn cpu_ms(&self) -> Option<u64> {
        self.read_u64("cpuacct", "cpuacct.usage").map(|ns| ns / 1_000_000)
    }

    fn memory_peak_kb(&self) -> Option<u64> {
        self.read_u64("memory", "memory.max_usage_in_bytes").map(|b| b / 1024)
    }

    /// Whether the kernel OOM-killed something in the group, or the limit was hit at all
    /// (`failcnt`; used when the kernel has no `oom_kill` counter).
    fn memory_limit_hit(&self) -> (bool, bool) {
        let oom_kills = self.read("memory", "memory.oom_control").and_then(|t| {
            t.lines().find_map(|l| l.strip_prefix("oom_kill ").and_then(|n| n.trim().parse::<u64>().ok()))
        });
        let failcnt = self.read_u64("memory", "memory.failcnt").unwrap_or(0);
        (oom_kills.unwrap_or(0) > 0, failcnt > 0)
    }

    fn kill_all(&self) {
        for pid in self.pids() {
            self.fs.kill_process(pid);
        }
    }

    fn try_remove(&mut self) -> bool {
        let fs = &self.fs;
        self.dirs.retain(|d| match fs.remove_dir(d) {
            Ok(()) => false,
            Err(e) => e.kind() != ErrorKind::NotFound,
        });
        self.dirs.is_empty()
    }

    fn describe(&self) -> String {
        format!("{:?}", self.dirs)
    }
}
