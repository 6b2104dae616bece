//! A fake cgroup v2 kernel for the tests: real files in a temporary directory, with the
//! kernel's answers where the v2 code depends on them. Making a group fills in its interface
//! files (the controllers its parent hands down); `cgroup.subtree_control` refuses a
//! controller the group was not given (ENOENT) and, outside the root, a group holding
//! processes (EBUSY: "no internal processes"); writing a pid to `cgroup.procs` moves it;
//! `cgroup.kill` empties the group; rmdir of a group with processes or children is EBUSY,
//! and can be made EBUSY a few more times, as the kernel is while it releases a group.
//! Files can be left out (`memory.peak` before Linux 5.19, `cgroup.kill` before 5.14).

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::fs::CgroupFs;

#[derive(Debug)]
pub(crate) struct FakeKernel {
    dir: tempfile::TempDir,
    with_kill_file: bool,
    with_peak: bool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// rmdir of a group fails with EBUSY this many more times.
    busy: HashMap<PathBuf, u32>,
    rmdir_attempts: HashMap<PathBuf, u32>,
    /// Processes SIGKILLed one by one (not by `cgroup.kill`).
    signalled: Vec<i32>,
    /// Groups ended by `cgroup.kill`.
    group_kills: Vec<PathBuf>,
}

fn errno(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

impl FakeKernel {
    /// A unified hierarchy whose root offers `controllers` and already hands `delegated` down
    /// to its children (as systemd does).
    pub fn new(controllers: &str, delegated: &str) -> FakeKernel {
        let k = FakeKernel {
            dir: tempfile::tempdir().expect("tempdir"),
            with_kill_file: true,
            with_peak: true,
            state: Mutex::new(State::default()),
        };
        k.put("", "cgroup.controllers", controllers);
        k.put("", "cgroup.subtree_control", delegated);
        k.put("", "cgroup.procs", "1\n");
        k
    }

    /// A kernel before 5.14 (no `cgroup.kill`) and 5.19 (no `memory.peak`).
    pub fn old(mut self) -> FakeKernel {
        self.with_kill_file = false;
        self.with_peak = false;
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel.trim_start_matches('/'))
    }

    /// Makes group `rel` (and its parents) as the kernel would, holding `procs`.
    pub fn add_group(&self, rel: &str, procs: &[i32]) {
        let mut dir = self.root().to_path_buf();
        for part in Path::new(rel.trim_start_matches('/')).components() {
            dir.push(part);
            if !dir.exists() {
                self.create_dir(&dir).expect("fake mkdir");
            }
        }
        let list: String = procs.iter().map(|p| format!("{p}\n")).collect();
        fs::write(dir.join("cgroup.procs"), list).expect("procs");
    }

    pub fn put(&self, rel: &str, file: &str, content: &str) {
        fs::write(self.path(rel).join(file), content).expect("fake write");
    }

    pub fn get(&self, rel: &str, file: &str) -> String {
        fs::read_to_string(self.path(rel).join(file)).unwrap_or_default()
    }

    /// The next `times` rmdirs of `rel` fail with EBUSY.
    pub fn busy_rmdir(&self, rel: &str, times: u32) {
        self.state.lock().unwrap().busy.insert(self.path(rel), times);
    }

    pub fn rmdir_attempts(&self, rel: &str) -> u32 {
        self.state.lock().unwrap().rmdir_attempts.get(&self.path(rel)).copied().unwrap_or(0)
    }

    pub fn signalled(&self) -> Vec<i32> {
        self.state.lock().unwrap().signalled.clone()
    }

    pub fn group_kills(&self) -> Vec<PathBuf> {
        self.state.lock().unwrap().group_kills.clone()
    }

    fn is_root(&self, dir: &Path) -> bool {
        dir == self.root()
    }

    fn procs(dir: &Path) -> Vec<String> {
        words(&fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default())
    }

    fn all_groups(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            out.push(dir.to_path_buf());
            for e in fs::read_dir(dir).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    walk(&e.path(), out);
                }
            }
        }
        let mut v = Vec::new();
        walk(self.root(), &mut v);
        v
    }

    fn remove_pid_everywhere(&self, pid: &str) {
        for g in self.all_groups() {
            let kept: Vec<String> = Self::procs(&g).into_iter().filter(|p| p != pid).collect();
            let _ = fs::write(g.join("cgroup.procs"), kept.iter().map(|p| format!("{p}\n")).collect::<String>());
        }
    }

    fn write_subtree_control(&self, dir: &Path, value: &str) -> io::Result<()> {
        let offered = words(&fs::read_to_string(dir.join("cgroup.controllers"))?);
        let mut enabled = words(&fs::read_to_string(dir.join("cgroup.subtree_control"))?);
        for token in value.split_whitespace() {
            let (on, name) = match token.split_at(1) {
                ("+", n) => (true, n),
                ("-", n) => (false, n),
                _ => return Err(errno(libc::EINVAL)),
            };
            if on && !offered.iter().any(|c| c == name) {
                return Err(errno(libc::ENOENT));
            }
            if on && !self.is_root(dir) && !Self::procs(dir).is_empty() {
                return Err(errno(libc::EBUSY));
            }
            enabled.retain(|c| c != name);
            if on {
                enabled.push(name.to_owned());
            }
        }
        fs::write(dir.join("cgroup.subtree_control"), enabled.join(" "))
    }

    fn write_procs(&self, dir: &Path, value: &str) -> io::Result<()> {
        let pid = value.trim();
        if pid.parse::<u32>().is_err() {
            return Err(errno(libc::EINVAL));
        }
        let handing_down = !words(&fs::read_to_string(dir.join("cgroup.subtree_control"))?).is_empty();
        if handing_down && !self.is_root(dir) {
            return Err(errno(libc::EBUSY));
        }
        self.remove_pid_everywhere(pid);
        let mut list = Self::procs(dir);
        list.push(pid.to_owned());
        fs::write(dir.join("cgroup.procs"), list.iter().map(|p| format!("{p}\n")).collect::<String>())
    }
}

impl CgroupFs for FakeKernel {
    fn read(&self, path: &Path) -> io::Result<String> {
        fs::read_to_string(path)
    }

    fn write(&self, path: &Path, value: &str) -> io::Result<()> {
        if !path.is_file() {
            return Err(errno(libc::ENOENT));
        }
        let dir = path.parent().expect("a file in a group");
        match path.file_name().and_then(|n| n.to_str()) {
            Some("cgroup.subtree_control") => self.write_subtree_control(dir, value),
            Some("cgroup.procs") => self.write_procs(dir, value),
            Some("cgroup.kill") => {
                if value.trim() != "1" {
                    return Err(errno(libc::EINVAL));
                }
                fs::write(dir.join("cgroup.procs"), "")?;
                self.state.lock().unwrap().group_kills.push(dir.to_path_buf());
                Ok(())
            }
            _ => fs::write(path, value),
        }
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        let parent = path.parent().ok_or_else(|| errno(libc::ENOENT))?;
        if !parent.join("cgroup.procs").is_file() {
            return Err(errno(libc::ENOENT));
        }
        fs::create_dir(path)?;
        let handed = words(&fs::read_to_string(parent.join("cgroup.subtree_control"))?);
        let has = |c: &str| handed.iter().any(|h| h == c);
        let offered = handed.join(" ");
        let mut files: Vec<(&str, &str)> = vec![
            ("cgroup.controllers", &offered),
            ("cgroup.subtree_control", ""),
            ("cgroup.procs", ""),
            ("cgroup.type", "domain\n"),
            ("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"),
        ];
        if self.with_kill_file {
            files.push(("cgroup.kill", ""));
        }
        if has("memory") {
            files.extend([
                ("memory.max", "max\n"),
                ("memory.swap.max", "max\n"),
                ("memory.current", "0\n"),
                ("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"),
            ]);
            if self.with_peak {
                files.push(("memory.peak", "0\n"));
            }
        }
        if has("pids") {
            files.extend([("pids.max", "max\n"), ("pids.current", "0\n")]);
        }
        if has("cpu") {
            files.push(("cpu.max", "max 100000\n"));
        }
        for (name, content) in files {
            fs::write(path.join(name), content)?;
        }
        Ok(())
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        if !path.is_dir() {
            return Err(errno(libc::ENOENT));
        }
        let mut state = self.state.lock().unwrap();
        *state.rmdir_attempts.entry(path.to_path_buf()).or_default() += 1;
        let has_children = fs::read_dir(path)?.flatten().any(|e| e.path().is_dir());
        if has_children || !Self::procs(path).is_empty() {
            return Err(errno(libc::EBUSY));
        }
        if let Some(left) = state.busy.get_mut(path)
            && *left > 0
        {
            *left -= 1;
            return Err(errno(libc::EBUSY));
        }
        fs::remove_dir_all(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn child_dirs(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(fs::read_dir(path)?.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
    }

    fn open_for_write(&self, path: &Path) -> io::Result<File> {
        OpenOptions::new().write(true).open(path)
    }

    fn kill_process(&self, pid: i32) {
        self.remove_pid_everywhere(&pid.to_string());
        self.state.lock().unwrap().signalled.push(pid);
    }
}
