//! Work directories on the host. As root each is a fresh tmpfs capped in size and inodes,
//! owned by the slot uid with mode 0700, mounted under `work_root` (0711) and unmounted when
//! dropped. Without root it is a private temporary directory.
//!
//! The runner writes the job's sources into a job dir before the first step and never opens
//! anything inside it afterwards: a program may plant symlinks there, and following one would
//! read or overwrite host files as the server (the Judge0 CVE-2024-28185/28189 class).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use nix::mount::{MntFlags, MsFlags, mount, umount2};

/// A size- and inode-capped tmpfs mounted on the host for one job or one step.
#[derive(Debug)]
pub(crate) struct TmpfsMount {
    path: PathBuf,
    mounted: bool,
}

impl TmpfsMount {
    pub fn new(path: PathBuf, bytes: u64, inodes: u64, uid: u32, gid: u32) -> io::Result<Self> {
        fs::DirBuilder::new().mode(0o700).create(&path)?;
        let opts = format!("size={bytes},nr_inodes={inodes},mode=0700,uid={uid},gid={gid}");
        if let Err(e) =
            mount(Some("tmpfs"), &path, Some("tmpfs"), MsFlags::MS_NOSUID | MsFlags::MS_NODEV, Some(opts.as_str()))
        {
            let _ = fs::remove_dir(&path);
            return Err(e.into());
        }
        Ok(TmpfsMount { path, mounted: true })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        if self.mounted {
            // Lazy unmount: a dying sandbox may still hold it for a moment.
            let _ = umount2(&self.path, MntFlags::MNT_DETACH);
            let _ = fs::remove_dir(&self.path);
            self.mounted = false;
        }
    }
}

#[derive(Debug)]
enum Storage {
    Tmpfs(TmpfsMount),
    Temp(tempfile::TempDir),
}

/// A job's work dir (`/work` in the sandbox): writable by the compile step, read-only for runs.
#[derive(Debug)]
pub(crate) struct JobDir {
    storage: Storage,
    /// Set when the first step starts; from then on the runner never touches the contents.
    sealed: AtomicBool,
}

impl JobDir {
    pub fn tmpfs(m: TmpfsMount) -> Self {
        Self::with(Storage::Tmpfs(m))
    }

    pub fn temp(t: tempfile::TempDir) -> Self {
        Self::with(Storage::Temp(t))
    }

    fn with(storage: Storage) -> Self {
        JobDir { storage, sealed: AtomicBool::new(false) }
    }

    pub fn path(&self) -> &Path {
        match &self.storage {
            Storage::Tmpfs(m) => m.path(),
            Storage::Temp(t) => t.path(),
        }
    }

    /// Writes a file into the still-fresh dir. Refused once a step has run in it; the name
    /// must be a plain file name.
    pub fn write_file(&self, name: &str, contents: &[u8]) -> io::Result<()> {
        if self.sealed.load(Ordering::SeqCst) {
            return Err(io::Error::other("job dir is sealed: a step already ran in it"));
        }
        if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            return Err(io::Error::other(format!("bad file name {name:?}")));
        }
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .custom_flags(libc::O_NOFOLLOW)
            .open(self.path().join(name))?;
        f.write_all(contents)
    }

    /// Marks the dir as handed to the sandbox.
    pub fn seal(&self) {
        self.sealed.store(true, Ordering::SeqCst);
    }
}

/// Whether a work dir or cgroup named `p<pid>-…` belongs to a process that no longer runs
/// (names without that prefix are leftovers too).
pub(crate) fn owner_is_gone(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let pid = name.strip_prefix('p').and_then(|r| r.split('-').next()).and_then(|p| p.parse::<u32>().ok());
    match pid {
        Some(pid) => !Path::new(&format!("/proc/{pid}")).exists(),
        None => true,
    }
}

/// Unmounts and removes what a crashed server left under `work_root`, sparing the dirs of
/// processes still running.
pub(crate) fn remove_stale(work_root: &Path) {
    let stale = |p: &Path| {
        p.strip_prefix(work_root)
            .ok()
            .and_then(|rel| rel.components().next())
            .is_some_and(|first| owner_is_gone(first.as_os_str()))
    };
    if let Ok(info) = fs::read_to_string("/proc/self/mountinfo") {
        let mut points: Vec<PathBuf> = info
            .lines()
            .filter_map(|l| l.split(' ').nth(4))
            .map(|p| PathBuf::from(unescape_mount_path(p)))
            .filter(|p| p.starts_with(work_root) && p != work_root && stale(p))
            .collect();
        // Deepest first.
        points.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        for p in points {
            let _ = umount2(&p, MntFlags::MNT_DETACH);
        }
    }
    if let Ok(entries) = fs::read_dir(work_root) {
        for e in entries.flatten().filter(|e| owner_is_gone(&e.file_name())) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Mount points in mountinfo escape space, tab, newline and backslash as `\ooo`.
fn unescape_mount_path(p: &str) -> String {
    let mut out = Vec::with_capacity(p.len());
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lists mounts under `root` (for tests and the start-up check).
pub fn mounts_under(root: &Path) -> Vec<PathBuf> {
    fs::read_to_string("/proc/self/mountinfo")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|p| PathBuf::from(unescape_mount_path(p)))
        .filter(|p| p.starts_with(root) && p != root)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_live_processes_are_spared() {
        let mine = format!("p{}-s0-job1", std::process::id());
        assert!(!owner_is_gone(std::ffi::OsStr::new(&mine)));
        assert!(owner_is_gone(std::ffi::OsStr::new("p4294967-s0-job1")));
        assert!(owner_is_gone(std::ffi::OsStr::new("s0-job1")));
    }

    #[test]
    fn mountinfo_escapes_are_decoded() {
        assert_eq!(unescape_mount_path("/run/a\\040b"), "/run/a b");
        assert_eq!(unescape_mount_path("/plain"), "/plain");
    }

    #[test]
    fn files_cannot_be_written_after_sealing_or_outside_the_dir() {
        let dir = JobDir::temp(tempfile::tempdir().unwrap());
        assert!(dir.write_file("../escape", b"x").is_err());
        dir.write_file("main.py", b"print(1)").unwrap();
        assert!(dir.write_file("main.py", b"again").is_err(), "never overwrite");
        dir.seal();
        assert!(dir.write_file("late.py", b"x").is_err());
    }
}
