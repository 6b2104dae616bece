//! cgroup groups for runs, on either hierarchy: one group per step holding the whole sandbox
//! (bwrap joins it in `pre_exec`, before it drops to the slot uid), capping memory (no swap),
//! processes and CPU, and measuring CPU time, peak memory and OOM kills.
//!
//! - `v1`: the legacy hierarchy (one tree per controller), as on a hybrid host too;
//! - `v2`: the unified hierarchy, in a subtree delegated to this process;
//! - `fs`: the file operations both make, a seam the v2 tests fill with a fake kernel.
//!
//! The backend sees only [`CgroupParent`] and [`StepCgroup`]. Removal retries on EBUSY: the
//! kernel releases a group a little after its last task has died.

mod fs;
mod v1;
mod v2;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::limits::Limits;
pub(crate) use fs::{CgroupFs, HostFs};

/// Which cgroup hierarchy limits the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CgroupVersion {
    V1,
    V2,
}

/// A controller whose limit a run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Controller {
    Memory,
    Pids,
    Cpu,
}

impl Controller {
    pub const ALL: [Controller; 3] = [Controller::Memory, Controller::Pids, Controller::Cpu];

    /// The controller's name in `cgroup.controllers`.
    pub fn name(self) -> &'static str {
        match self {
            Controller::Memory => "memory",
            Controller::Pids => "pids",
            Controller::Cpu => "cpu",
        }
    }
}

/// Where to find the hierarchy and how to name the runner's group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CgroupSettings<'a> {
    /// Where cgroupfs is mounted: v1 controllers under it, or the unified hierarchy itself.
    pub root: &'a Path,
    /// The runner's group (a single path component).
    pub name: &'a str,
    /// v2 only: a group to create (relative to `root`) instead of this process's own.
    pub v2_path: Option<&'a Path>,
}

/// Which hierarchy `root` holds: v2 when the unified hierarchy is mounted there itself, v1
/// when v1 controllers are (a hybrid host's v2 mount below it has no controllers for runs).
pub(crate) fn detect(fs: &dyn CgroupFs, root: &Path) -> Option<CgroupVersion> {
    if fs.exists(&root.join("cgroup.controllers")) {
        Some(CgroupVersion::V2)
    } else if v1::mounted(fs, root) {
        Some(CgroupVersion::V1)
    } else {
        None
    }
}

/// The parent group(s) of every step's group.
#[derive(Debug)]
pub(crate) enum CgroupParent {
    V1(v1::Parent),
    V2(v2::Parent),
}

impl CgroupParent {
    /// Opens the runner's group on the host's hierarchy, or says why it cannot.
    pub fn open(settings: CgroupSettings<'_>) -> Result<CgroupParent, String> {
        Self::open_on(Arc::new(HostFs), settings, || std::fs::read_to_string("/proc/self/cgroup"))
    }

    /// [`CgroupParent::open`] on any cgroupfs; `own_cgroup` reads `/proc/self/cgroup`.
    pub(crate) fn open_on(
        fs: Arc<dyn CgroupFs>,
        settings: CgroupSettings<'_>,
        own_cgroup: impl FnOnce() -> io::Result<String>,
    ) -> Result<CgroupParent, String> {
        match detect(&*fs, settings.root) {
            Some(CgroupVersion::V1) => v1::Parent::open(fs, settings.root, settings.name).map(CgroupParent::V1),
            Some(CgroupVersion::V2) => {
                let own;
                let placement = match settings.v2_path {
                    Some(path) => v2::Placement::Configured(path),
                    None => {
                        let text = own_cgroup().map_err(|e| format!("reading /proc/self/cgroup: {e}"))?;
                        own = text
                            .lines()
                            .find_map(|l| l.strip_prefix("0::"))
                            .ok_or("/proc/self/cgroup has no cgroup v2 line (0::/path)")?
                            .trim()
                            .to_owned();
                        v2::Placement::Own(&own)
                    }
                };
                v2::Parent::open(fs, settings.root, placement, settings.name).map(CgroupParent::V2)
            }
            None => Err(format!("no cgroup filesystem at {}", settings.root.display())),
        }
    }

    pub fn version(&self) -> CgroupVersion {
        match self {
            CgroupParent::V1(_) => CgroupVersion::V1,
            CgroupParent::V2(_) => CgroupVersion::V2,
        }
    }

    /// The controllers whose limits runs get (v1: all or no group at all; v2: those the
    /// delegated group was given).
    pub fn controllers(&self) -> &[Controller] {
        match self {
            CgroupParent::V1(_) => &Controller::ALL,
            CgroupParent::V2(p) => p.enabled(),
        }
    }

    /// Kills and removes groups left by a server process that crashed mid-run.
    pub fn remove_stale_children(&self) {
        let stale: Vec<Box<dyn StepGroup>> = match self {
            CgroupParent::V1(p) => p.stale_children().into_iter().map(|s| Box::new(s) as Box<dyn StepGroup>).collect(),
            CgroupParent::V2(p) => p.stale_children().into_iter().map(|s| Box::new(s) as Box<dyn StepGroup>).collect(),
        };
        for group in stale {
            drop(StepCgroup::new(group)); // Drop kills and removes.
        }
    }

    /// A fresh group for one step, with its limits written.
    pub fn create(&self, leaf: &str, limits: &Limits) -> io::Result<StepCgroup> {
        let group: Box<dyn StepGroup> = match self {
            CgroupParent::V1(p) => Box::new(p.create(leaf, limits)?),
            CgroupParent::V2(p) => Box::new(p.create(leaf, limits)?),
        };
        Ok(StepCgroup::new(group))
    }

    #[cfg(test)]
    pub(crate) fn v2(&self) -> Option<&v2::Parent> {
        match self {
            CgroupParent::V2(p) => Some(p),
            CgroupParent::V1(_) => None,
        }
    }
}

/// What each hierarchy does for one step's group(s).
pub(crate) trait StepGroup: Send + Sync + std::fmt::Debug {
    /// The `cgroup.procs` files the sandbox joins, opened for writing.
    fn procs_files(&self) -> io::Result<Vec<File>>;
    /// CPU time of the whole group so far.
    fn cpu_ms(&self) -> Option<u64>;
    fn memory_peak_kb(&self) -> Option<u64>;
    /// (an OOM kill happened, the memory limit was hit at all).
    fn memory_limit_hit(&self) -> (bool, bool);
    /// SIGKILLs every process still in the group.
    fn kill_all(&self);
    /// Removes what it can; true once every group is gone.
    fn try_remove(&mut self) -> bool;
    /// The group's path(s), for messages.
    fn describe(&self) -> String;
}

/// One step's group. Dropping it kills what is left inside and removes the group.
#[derive(Debug)]
pub(crate) struct StepCgroup {
    group: Option<Box<dyn StepGroup>>,
}

impl StepCgroup {
    fn new(group: Box<dyn StepGroup>) -> StepCgroup {
        StepCgroup { group: Some(group) }
    }

    fn group(&self) -> Option<&dyn StepGroup> {
        self.group.as_deref()
    }

    /// The `cgroup.procs` files, opened for writing: the child writes "0" to each in
    /// `pre_exec` (no allocation or path lookup after fork).
    pub fn procs_files(&self) -> io::Result<Vec<File>> {
        self.group().map_or(Ok(Vec::new()), StepGroup::procs_files)
    }

    pub fn cpu_ms(&self) -> Option<u64> {
        self.group()?.cpu_ms()
    }

    pub fn memory_peak_kb(&self) -> Option<u64> {
        self.group()?.memory_peak_kb()
    }

    pub fn memory_limit_hit(&self) -> (bool, bool) {
        self.group().map_or((false, false), StepGroup::memory_limit_hit)
    }

    pub fn kill_all(&self) {
        if let Some(g) = self.group() {
            g.kill_all();
        }
    }

    fn try_remove(&mut self) -> bool {
        let gone = self.group.as_mut().is_none_or(|g| g.try_remove());
        if gone {
            self.group = None;
        }
        gone
    }

    /// Kills what is left and removes the group, retrying while the kernel says EBUSY.
    pub async fn remove(mut self) -> Result<(), String> {
        for attempt in 0..200 {
            self.kill_all();
            if self.try_remove() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(if attempt < 20 { 1 } else { 10 })).await;
        }
        Err(format!("could not remove cgroups {}", self.group().map(StepGroup::describe).unwrap_or_default()))
    }
}

impl Drop for StepCgroup {
    fn drop(&mut self) {
        if self.group.is_none() {
            return;
        }
        self.kill_all();
        if self.try_remove() {
            return;
        }
        // Cancelled mid-run: finish in the background rather than block the async caller.
        let Some(mut rest) = self.group.take() else { return };
        std::thread::spawn(move || {
            for _ in 0..300 {
                rest.kill_all();
                if rest.try_remove() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
    }
}
