//! cgroup v2 (the unified hierarchy): one group per step under the runner's group, in a
//! subtree delegated to this process, with `memory.max` (and no swap), `pids.max` and
//! `cpu.max`; it measures CPU time (`cpu.stat`), peak memory (`memory.peak`) and OOM kills
//! (`memory.events`), and `cgroup.kill` ends the step's whole tree at once.
//!
//! The subtree is the group this process is in (`/proc/self/cgroup`, e.g. a systemd service
//! with `Delegate=yes`, or a container's cgroup namespace), or a group created under a
//! configured path. v2 forbids processes in a group whose controllers are handed down to
//! children ("no internal processes"), so before enabling them in its `subtree_control` the
//! processes of the delegated group (this server among them) move into a leaf of their own,
//! [`SUPERVISOR_LEAF`]. Layout: `<delegated>/codeview-supervisor` (the server),
//! `<delegated>/<name>` (the runner's group), `<delegated>/<name>/<step>` (one run).

use std::fs::File;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::fs::{CgroupFs, ensure_dir};
use super::{Controller, StepGroup};
use crate::limits::Limits;

/// The leaf the delegated group's own processes (this server) move into.
pub(crate) const SUPERVISOR_LEAF: &str = "codeview-supervisor";

/// Where the delegated subtree is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placement<'a> {
    /// The group this process is in: the `0::/path` line of `/proc/self/cgroup`.
    Own(&'a str),
    /// A group to create (with its missing ancestors), relative to the hierarchy's root.
    Configured(&'a Path),
}

/// The runner's group, parent of every step's group.
#[derive(Debug)]
pub(crate) struct Parent {
    fs: Arc<dyn CgroupFs>,
    dir: PathBuf,
    enabled: Vec<Controller>,
}

impl Parent {
    /// Finds or creates the delegated group, moves its processes into a leaf if that is what
    /// it takes to enable the controllers, and creates the runner's group `name` in it. Uses
    /// whichever of memory, pids and cpu the group was given; fails only when it has none.
    pub fn open(fs: Arc<dyn CgroupFs>, root: &Path, placement: Placement<'_>, name: &str) -> Result<Parent, String> {
        let base = match placement {
            Placement::Own(path) => {
                let path = Path::new(path.trim_start_matches('/'));
                // Ours from an earlier start in this process: the delegated group is its parent.
                let path = if path.ends_with(SUPERVISOR_LEAF) { path.parent().unwrap_or(path) } else { path };
                root.join(path)
            }
            Placement::Configured(path) => create_configured(&*fs, root, path)?,
        };
        let available = words(
            &fs.read(&base.join("cgroup.controllers"))
                .map_err(|e| format!("cannot read {}: {e}", base.join("cgroup.controllers").display()))?,
        );
        let enabled: Vec<Controller> =
            Controller::ALL.into_iter().filter(|c| available.iter().any(|a| a == c.name())).collect();
        if enabled.is_empty() {
            return Err(format!(
                "the cgroup v2 group {} was given none of the memory, pids and cpu controllers \
                 (its cgroup.controllers: {:?})",
                base.display(),
                available.join(" ")
            ));
        }
        enable_controllers(&*fs, &base, &enabled, true)?;
        let dir = base.join(name);
        ensure_dir(&*fs, &dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        enable_controllers(&*fs, &dir, &enabled, false)?;
        Ok(Parent { fs, dir, enabled })
    }

    pub fn enabled(&self) -> &[Controller] {
        &self.enabled
    }

    #[cfg(test)]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A fresh group for one step, with its limits written.
    pub fn create(&self, leaf: &str, limits: &Limits) -> io::Result<Step> {
        let dir = self.dir.join(leaf);
        self.fs.create_dir(&dir)?;
        let step = Step::at(self.fs.clone(), dir, self.enabled.contains(&Controller::Memory));
        if let Err(e) = self.write_limits(&step.dir, limits) {
            let _ = self.fs.remove_dir(&step.dir);
            return Err(e);
        }
        Ok(step)
    }

    fn write_limits(&self, dir: &Path, limits: &Limits) -> io::Result<()> {
        let write = |file: &str, value: &str| self.fs.write(&dir.join(file), value);
        for c in &self.enabled {
            match c {
                Controller::Memory => {
                    write("memory.max", &limits.memory_bytes.to_string())?;
                    // Absent without swap accounting: then there is no swap to limit.
                    match write("memory.swap.max", "0") {
                        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
                        _ => {}
                    }
                }
                // Two more than the program's budget: the outer bwrap and the namespace's init.
                Controller::Pids => write("pids.max", &(limits.processes + 2).to_string())?,
                // At most one CPU's worth of time per period, so one run cannot starve the others.
                Controller::Cpu => write("cpu.max", "100000 100000")?,
            }
        }
        Ok(())
    }

    /// Steps' groups left by a server process that crashed mid-run (not those of another live
    /// process sharing the group).
    pub fn stale_children(&self) -> Vec<Step> {
        let children = self.fs.child_dirs(&self.dir).unwrap_or_default();
        children
            .into_iter()
            .filter(|d| d.file_name().is_some_and(crate::sandbox::workdir::owner_is_gone))
            .map(|d| Step::at(self.fs.clone(), d, true))
            .collect()
    }
}

/// Creates `root/path` and whatever is missing above it, enabling the controllers on the way
/// down (each ancestor hands them to the next).
fn create_configured(fs: &dyn CgroupFs, root: &Path, path: &Path) -> Result<PathBuf, String> {
    let mut dir = root.to_path_buf();
    for part in path.components().filter(|c| matches!(c, std::path::Component::Normal(_))) {
        let available = words(&fs.read(&dir.join("cgroup.controllers")).unwrap_or_default());
        let wanted: Vec<Controller> =
            Controller::ALL.into_iter().filter(|c| available.iter().any(|a| a == c.name())).collect();
        enable_controllers(fs, &dir, &wanted, false)?;
        dir.push(part);
        ensure_dir(fs, &dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    Ok(dir)
}

/// Writes `+memory +pids +cpu` (those of `controllers` not enabled yet) to the group's
/// `cgroup.subtree_control`. When the kernel answers EBUSY (the group holds processes) and
/// `move_processes`, its processes move into [`SUPERVISOR_LEAF`] first.
pub(super) fn enable_controllers(
    fs: &dyn CgroupFs,
    dir: &Path,
    controllers: &[Controller],
    move_processes: bool,
) -> Result<(), String> {
    let control = dir.join("cgroup.subtree_control");
    let current = words(&fs.read(&control).map_err(|e| format!("cannot read {}: {e}", control.display()))?);
    let wanted: Vec<String> = controllers
        .iter()
        .filter(|c| !current.iter().any(|n| n == c.name()))
        .map(|c| format!("+{}", c.name()))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let line = wanted.join(" ");
    match fs.write(&control, &line) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) && move_processes => {
            move_into_leaf(fs, dir)?;
            fs.write(&control, &line).map_err(|e| format!("writing \"{line}\" to {}: {e}", control.display()))
        }
        Err(e) => Err(format!("writing \"{line}\" to {}: {e}", control.display())),
    }
}

/// Moves every process of the group `dir` into its leaf [`SUPERVISOR_LEAF`].
fn move_into_leaf(fs: &dyn CgroupFs, dir: &Path) -> Result<(), String> {
    let leaf = dir.join(SUPERVISOR_LEAF);
    ensure_dir(fs, &leaf).map_err(|e| format!("creating {}: {e}", leaf.display()))?;
    let procs =
        fs.read(&dir.join("cgroup.procs")).map_err(|e| format!("reading {}/cgroup.procs: {e}", dir.display()))?;
    for pid in procs.lines().map(str::trim).filter(|p| !p.is_empty()) {
        match fs.write(&leaf.join("cgroup.procs"), pid) {
            // Exited meanwhile.
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
            Err(e) => return Err(format!("moving process {pid} into {}: {e}", leaf.display())),
            Ok(()) => {}
        }
    }
    Ok(())
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// One step's group.
#[derive(Debug)]
pub(crate) struct Step {
    fs: Arc<dyn CgroupFs>,
    dir: PathBuf,
    /// Largest `memory.current` seen, for kernels without `memory.peak` (before 5.19).
    sampled_peak: AtomicU64,
    has_memory: bool,
}

impl Step {
    fn at(fs: Arc<dyn CgroupFs>, dir: PathBuf, has_memory: bool) -> Step {
        Step { fs, dir, sampled_peak: AtomicU64::new(0), has_memory }
    }

    fn read(&self, file: &str) -> Option<String> {
        self.fs.read(&self.dir.join(file)).ok()
    }

    /// `key value` lines (`cpu.stat`, `memory.events`).
    fn keyed(&self, file: &str, key: &str) -> Option<u64> {
        let text = self.read(file)?;
        text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
    }

    fn pids(&self) -> Vec<i32> {
        self.read("cgroup.procs").map(|t| t.lines().filter_map(|l| l.trim().parse().ok()).collect()).unwrap_or_default()
    }
}

impl StepGroup for Step {
    fn procs_files(&self) -> io::Result<Vec<File>> {
        Ok(vec![self.fs.open_for_write(&self.dir.join("cgroup.procs"))?])
    }

    /// CPU time so far (`usage_usec`, kept by the kernel even without the cpu controller).
    /// Polled while the step runs, so it also samples `memory.current` where the kernel
    /// keeps no `memory.peak`.
    fn cpu_ms(&self) -> Option<u64> {
        if self.has_memory
            && !self.fs.exists(&self.dir.join("memory.peak"))
            && let Some(now) = self.read("memory.current").and_then(|t| t.trim().parse::<u64>().ok())
        {
            self.sampled_peak.fetch_max(now, Ordering::Relaxed);
        }
        self.keyed("cpu.stat", "usage_usec").map(|us| us / 1000)
    }

    fn memory_peak_kb(&self) -> Option<u64> {
        if !self.has_memory {
            return None;
        }
        match self.read("memory.peak").and_then(|t| t.trim().parse::<u64>().ok()) {
            Some(bytes) => Some(bytes / 1024),
            None => Some(self.sampled_peak.load(Ordering::Relaxed) / 1024).filter(|&kb| kb > 0),
        }
    }

    /// `oom_kill` counts the processes the kernel killed, `max` the times the limit was hit.
    fn memory_limit_hit(&self) -> (bool, bool) {
        let oom = self.keyed("memory.events", "oom_kill").unwrap_or(0);
        let max = self.keyed("memory.events", "max").unwrap_or(0);
        (oom > 0, max > 0)
    }

    /// `cgroup.kill` (Linux 5.14+) kills the whole tree at once, forks racing it included;
    /// without it, SIGKILL to each process listed.
    fn kill_all(&self) {
        if self.fs.write(&self.dir.join("cgroup.kill"), "1").is_ok() {
            return;
        }
        for pid in self.pids() {
            self.fs.kill_process(pid);
        }
    }

    fn try_remove(&mut self) -> bool {
        match self.fs.remove_dir(&self.dir) {
            Ok(()) => true,
            Err(e) => e.kind() == ErrorKind::NotFound,
        }
    }

    fn describe(&self) -> String {
        self.dir.display().to_string()
    }
}
