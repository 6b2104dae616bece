//! How a [`Runner`](crate::Runner) is set up: which backend, how many concurrent slots (and
//! their uids), where work dirs live, default limits and where the toolchains are.

use std::path::{Path, PathBuf};

use crate::limits::Limits;

/// Paths of the language toolchains on the host; each is bound read-only into the sandbox, so
/// it must live under `/usr` but not `/usr/local` (hidden in the sandbox), or under one of
/// [`RunnerConfig::extra_ro_binds`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchains {
    pub python: PathBuf,
    pub node: PathBuf,
    pub esbuild: PathBuf,
    pub javac: PathBuf,
    pub java: PathBuf,
    pub gcc: PathBuf,
    pub gxx: PathBuf,
    pub rustc: PathBuf,
    pub go: PathBuf,
    pub ruby: PathBuf,
    pub php: PathBuf,
    /// Mono's C# compiler (a script running `mcs.exe` on mono).
    pub mcs: PathBuf,
    pub mono: PathBuf,
    pub bash: PathBuf,
    pub sqlite3: PathBuf,
}

impl Default for Toolchains {
    fn default() -> Self {
        let p = PathBuf::from;
        Toolchains {
            // Debian's interpreter, never a pyenv shim (0700 home, ~300 ms shim).
            python: p("/usr/bin/python3"),
            node: p("/usr/bin/node"),
            esbuild: p("/usr/bin/esbuild"),
            javac: p("/usr/bin/javac"),
            java: p("/usr/bin/java"),
            gcc: p("/usr/bin/gcc"),
            gxx: p("/usr/bin/g++"),
            // Debian's rustc-web (current Rust), unless the operator configures another
            // toolchain (`RunnerConfig::use_rustc`).
            rustc: p("/usr/bin/rustc"),
            go: p("/usr/bin/go"),
            ruby: p("/usr/bin/ruby"),
            php: p("/usr/bin/php"),
            mcs: p("/usr/bin/mcs"),
            mono: p("/usr/bin/mono"),
            bash: p("/usr/bin/bash"),
            sqlite3: p("/usr/bin/sqlite3"),
        }
    }
}

/// Everything a [`Runner`](crate::Runner) needs. `Default` is safe for production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerConfig {
    /// Number of jobs that may run at once; slot `n` runs as uid/gid `slot_uid_base + n`.
    pub slots: usize,
    /// First slot uid (and gid). These uids must not belong to anyone else on the host.
    pub slot_uid_base: u32,
    /// Host directory under which each run's tmpfs work dirs are mounted.
    pub work_root: PathBuf,
    /// Name of the cgroup that holds the runs' cgroups (under each v1 controller, or in the
    /// delegated v2 group).
    pub cgroup_name: String,
    /// Where cgroupfs is mounted: the v1 controllers under it, or the unified (v2) hierarchy
    /// itself. A hybrid host (v1 controllers plus an empty v2 mount) is used as v1.
    pub cgroup_root: PathBuf,
    /// cgroup v2 only: a group (relative to `cgroup_root`, e.g. `codeview`) to create and hold
    /// the runs, instead of the group this process is in (which must then be delegated to it,
    /// e.g. by systemd's `Delegate=yes`).
    pub cgroup_v2_path: Option<PathBuf>,
    /// The bubblewrap binary.
    pub bwrap: PathBuf,
    /// Limits of a program run unless a job brings its own.
    pub run_limits: Limits,
    /// Limits of a compile step.
    pub compile_limits: Limits,
    /// Largest accepted source, in bytes.
    pub max_source_bytes: usize,
    /// Largest accepted stdin per case, in bytes.
    pub max_stdin_bytes: usize,
    /// Most test cases per job.
    pub max_cases: usize,
    pub toolchains: Toolchains,
    /// Further host directories bound read-only at the same path (e.g. a toolchain in /opt).
    pub extra_ro_binds: Vec<PathBuf>,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            slots: 4,
            slot_uid_base: 60_000,
            work_root: PathBuf::from("/run/codeview-runner"),
            cgroup_name: "codeview-runner".into(),
            cgroup_root: PathBuf::from("/sys/fs/cgroup"),
            cgroup_v2_path: None,
            bwrap: PathBuf::from("/usr/bin/bwrap"),
            run_limits: Limits::run_default(),
            compile_limits: Limits::compile_default(),
            max_source_bytes: 256 * 1024,
            max_stdin_bytes: 8 * 1024 * 1024,
            max_cases: 100,
            toolchains: Toolchains::default(),
            extra_ro_binds: Vec::new(),
        }
    }
}

impl RunnerConfig {
    /// Runs Rust with the `rustc` at `path` instead of Debian's, e.g. a toolchain unpacked in
    /// `/opt/rust`: the toolchain's directory (the parent of `bin/`, which holds the `lib/`
    /// rustc loads) is bound read-only into the sandbox at the same path. It must be readable
    /// by other users (the slot uids), so not under a 0700 home such as `/root/.rustup`.
    pub fn use_rustc(&mut self, path: PathBuf) {
        // A link (e.g. /usr/local/bin/rustc) counts where it leads: that is what is bound.
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = match dir.file_name() {
            Some(name) if name == "bin" => dir.parent().map(Path::to_path_buf).unwrap_or(dir),
            _ => dir,
        };
        // A missing toolchain must not stop the sandbox (bwrap refuses a missing bind): Rust is
        // then listed as unavailable, with the reason.
        if root.is_absolute() && root != Path::new("/") && root.is_dir() && !self.extra_ro_binds.contains(&root) {
            self.extra_ro_binds.push(root);
        }
        self.toolchains.rustc = path;
    }

    pub(crate) fn validate(&self) -> Result<(), crate::Error> {
        let err = |m: &str| Err(crate::Error::Config(m.into()));
        if self.slots == 0 || self.slots > 1000 {
            return err("slots must be between 1 and 1000");
        }
        if self.slot_uid_base < 1000 {
            return err("slot_uid_base must not overlap system uids (< 1000)");
        }
        if !self.work_root.is_absolute() {
            return err("work_root must be an absolute path");
        }
        if self.cgroup_name.is_empty() || self.cgroup_name.contains('/') {
            return err("cgroup_name must be a single path component");
        }
        if let Some(path) = &self.cgroup_v2_path
            && (path.as_os_str().is_empty()
                || path
                    .components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_) | std::path::Component::RootDir)))
        {
            return err("cgroup_v2_path must be a plain path inside the cgroup hierarchy (no `..`)");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_rustc_binds_its_whole_toolchain_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let toolchain = dir.path().join("rust-1.97");
        std::fs::create_dir_all(toolchain.join("bin")).unwrap();
        std::fs::write(toolchain.join("bin/rustc"), "").unwrap();
        let mut cfg = RunnerConfig::default();
        cfg.use_rustc(toolchain.join("bin/rustc"));
        assert_eq!(cfg.toolchains.rustc, toolchain.join("bin/rustc"));
        let real = std::fs::canonicalize(&toolchain).unwrap();
        assert_eq!(cfg.extra_ro_binds, std::slice::from_ref(&real));
        // A rustc outside a `bin/` directory: its own directory.
        std::fs::write(dir.path().join("rustc"), "").unwrap();
        cfg.use_rustc(dir.path().join("rustc"));
        assert_eq!(cfg.extra_ro_binds, [real, std::fs::canonicalize(dir.path()).unwrap()]);
        // Nothing to bind for a missing toolchain (Rust is then unavailable) or for `/`.
        let mut cfg = RunnerConfig::default();
        cfg.use_rustc(PathBuf::from("/nonexistent-codeview/bin/rustc"));
        cfg.use_rustc(PathBuf::from("/rustc"));
        assert!(cfg.extra_ro_binds.is_empty());
        assert_eq!(cfg.toolchains.rustc, PathBuf::from("/rustc"));
    }
}
