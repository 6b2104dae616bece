//! The file operations (and the one signal) the cgroup code uses, behind a trait: the host's cgroupfs in
//! production ([`HostFs`]), a fake kernel in the tests (`fake`), so the v2 code is tested
//! against answers a real kernel gives (EBUSY, missing controllers, missing files) on a host
//! that has no cgroup v2.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

pub(crate) trait CgroupFs: Send + Sync + std::fmt::Debug {
    fn read(&self, path: &Path) -> io::Result<String>;
    /// Writes an existing interface file (never creates one, as on cgroupfs).
    fn write(&self, path: &Path, value: &str) -> io::Result<()>;
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    fn exists(&self, path: &Path) -> bool;
    /// The sub-directories (child groups) of `path`.
    fn child_dirs(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// An interface file opened for writing, to be written after fork (`cgroup.procs`).
    fn open_for_write(&self, path: &Path) -> io::Result<File>;
    /// SIGKILLs a process listed in a group (when the kernel has no `cgroup.kill`).
    fn kill_process(&self, pid: i32);
}

/// The host's cgroup filesystem.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HostFs;

impl CgroupFs for HostFs {
    fn read(&self, path: &Path) -> io::Result<String> {
        fs::read_to_string(path)
    }

    fn write(&self, path: &Path, value: &str) -> io::Result<()> {
        use std::io::Write;
        OpenOptions::new().write(true).open(path)?.write_all(value.as_bytes())
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn child_dirs(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(fs::read_dir(path)?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect())
    }

    fn open_for_write(&self, path: &Path) -> io::Result<File> {
        OpenOptions::new().write(true).open(path)
    }

    fn kill_process(&self, pid: i32) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
    }
}

/// Creates `path`, or accepts it when it exists already.
pub(crate) fn ensure_dir(fs: &dyn CgroupFs, path: &Path) -> io::Result<()> {
    match fs.create_dir(path) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}
