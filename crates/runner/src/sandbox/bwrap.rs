//! The bubblewrap backend. As root, each step runs as the slot's unprivileged uid inside
//! fresh cgroups (v1 or v2), with a fresh capped tmpfs; `pre_exec` joins the cgroups, sets rlimits and
//! drops to the slot uid before exec'ing bwrap, so bwrap never runs as real root (its uid 0
//! would then be host root). Without root it runs bwrap as the server's user with rlimits.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::{Gid, Pid, Uid, geteuid, pipe2, setgid, setgroups, setpgid, setuid};

use super::cgroup::{CgroupParent, CgroupSettings, Controller, StepCgroup};
use super::process::{Measured, classify, drive, stdin_memfd};
use super::procfs;
use super::reaper::reaper;
use super::workdir::{JobDir, TmpfsMount, remove_stale};
use super::{Backend, SandboxCapabilities, StepFuture, StepSpec, isolation};
use crate::config::RunnerConfig;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::outcome::{Status, StepOutcome, TimeKind};

/// Host files a runtime needs besides `/usr`: the dynamic loader's cache, the alternatives
/// links (`cc` for rustc), the JDK's configuration, and Mono's map of native library names
/// (without it even `mcs` cannot open a file; its assemblies are under /usr/lib/mono).
const ETC_FILES: &[&str] = &["/etc/ld.so.cache", "/etc/alternatives", "/etc/java-17-openjdk", "/etc/mono/config"];

/// How long a finished step's cleanup waits for its namespace init to become a zombie and be
/// reaped (it dies with the sandbox, within milliseconds); after that the reaper's sweep and
/// the slot check before the next job take over.
const INIT_REAP_PATIENCE: Duration = Duration::from_secs(3);

/// Environment of every sandboxed process (after `--clearenv`).
const BASE_ENV: &[(&str, &str)] =
    &[("PATH", "/usr/bin:/bin"), ("HOME", "/tmp"), ("TMPDIR", "/tmp"), ("LANG", "C.UTF-8")];

pub(crate) struct BwrapBackend {
    bwrap: PathBuf,
    work_root: PathBuf,
    slot_uid_base: u32,
    /// Some when running as root: per-slot uids, tmpfs mounts and cgroups are used.
    privileged: bool,
    cgroups: Option<CgroupParent>,
    /// The cgroups cap memory (else RLIMIT_AS does, where the runtime allows it).
    memory_cgroup: bool,
    seccomp: Vec<u8>,
    ro_binds: Vec<PathBuf>,
    caps: SandboxCapabilities,
    /// Makes each job's and step's host names unique.
    counter: AtomicU64,
    /// Size and inodes of a job's work dir: the compile step is the only one that writes it.
    job_disk: (u64, u64),
    /// Background clean-ups (cgroup removal, tmpfs unmount) of finished steps, per slot; a std
    /// Mutex because it is held only to push or drain, never across an await.
    pending: std::sync::Mutex<Vec<(usize, tokio::task::JoinHandle<()>)>>,
}

impl BwrapBackend {
    pub fn new(cfg: &RunnerConfig) -> Result<Self> {
        if !cfg.bwrap.exists() {
            return Err(Error::SandboxUnavailable(format!(
                "{} not found: install bubblewrap (apt-get install -y bubblewrap)",
                cfg.bwrap.display()
            )));
        }
        let seccomp = super::seccomp::program_bytes().map_err(Error::SandboxUnavailable)?;
        // bwrap's outer process exits without reaping the pid namespace's init, which is then
        // re-parented. As a subreaper this process inherits it, and the reaper reaps it,
        // instead of leaving zombies that count against the slot uid's RLIMIT_NPROC until
        // the host's init gets round to them.
        nix::sys::prctl::set_child_subreaper(true)
            .map_err(|e| Error::io("becoming a child subreaper", std::io::Error::from(e)))?;
        let privileged = geteuid().is_root();
        if privileged {
            reaper().watch_uids(cfg.slot_uid_base..cfg.slot_uid_base + cfg.slots as u32);
        }
        let work_root = if privileged {
            cfg.work_root.clone()
        } else {
            std::env::temp_dir().join(format!("codeview-runner-{}", geteuid()))
        };
        create_work_root(&work_root, if privileged { 0o711 } else { 0o700 })?;
        remove_stale(&work_root);
        let cgroups = if privileged {
            CgroupParent::open(CgroupSettings {
                root: &cfg.cgroup_root,
                name: &cfg.cgroup_name,
                v2_path: cfg.cgroup_v2_path.as_deref(),
            })
        } else {
            Err("not running as root".to_owned())
        };
        if let Ok(p) = &cgroups {
            p.remove_stale_children();
        }
        let caps = isolation::assess(
            privileged,
            geteuid().as_raw(),
            cfg.slot_uid_base,
            cgroups.as_ref().map_err(String::as_str),
        );
        let cgroups = cgroups.ok();
        let memory_cgroup = cgroups.as_ref().is_some_and(|p| p.controllers().contains(&Controller::Memory));
        let mut ro_binds: Vec<PathBuf> = ETC_FILES.iter().map(PathBuf::from).filter(|p| p.exists()).collect();
        ro_binds.extend(cfg.extra_ro_binds.iter().cloned());
        Ok(BwrapBackend {
            bwrap: cfg.bwrap.clone(),
            work_root,
            slot_uid_base: cfg.slot_uid_base,
            privileged,
            cgroups,
            memory_cgroup,
            seccomp,
            ro_binds,
            caps,
            counter: AtomicU64::new(0),
            job_disk: (cfg.compile_limits.disk_bytes, cfg.compile_limits.disk_inodes),
            pending: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn slot_ids(&self, slot: usize) -> (u32, u32) {
        let id = self.slot_uid_base + slot as u32;
        (id, id)
    }

    fn next_name(&self, slot: usize, what: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        // The pid lets a second server process (e.g. `codeview worker`) on the same host tell
        // its live runs from a crashed process's leftovers.
        format!("p{}-s{slot}-{what}{n}", std::process::id())
    }

    async fn step(&self, job: &JobDir, slot: usize, spec: StepSpec<'_>) -> StepOutcome {
        let internal = |msg: String| internal_error(msg, self.caps.time_kind);
        job.seal();
        let (uid, gid) = self.slot_ids(slot);
        // A fresh /tmp for this step: a capped tmpfs as root, bwrap's own (size-only) otherwise.
        let tmp = if self.privileged {
            let path = self.work_root.join(self.next_name(slot, "tmp"));
            match TmpfsMount::new(path, spec.limits.disk_bytes, spec.limits.disk_inodes, uid, gid) {
                Ok(m) => Some(m),
                Err(e) => return internal(format!("mounting the step's tmpfs failed: {e}")),
            }
        } else {
            None
        };
        let cgroup = match &self.cgroups {
            Some(parent) => match parent.create(&self.next_name(slot, "step"), spec.limits) {
                Ok(g) => Some(g),
                Err(e) => return internal(format!("creating the step's cgroups failed: {e}")),
            },
            None => None,
        };
        let procs_files = match cgroup.as_ref().map(StepCgroup::procs_files).transpose() {
            Ok(f) => f.unwrap_or_default(),
            Err(e) => return internal(format!("opening cgroup.procs failed: {e}")),
        };
        let seccomp_fd = match seccomp_pipe(&self.seccomp) {
            Ok(fd) => fd,
            Err(e) => return internal(format!("preparing the seccomp filter failed: {e}")),
        };
        let stdio = match spec.terminal.as_deref() {
            Some(terminal) => terminal.pty.slave_stdio(),
            None => stdin_memfd(spec.stdin).map(|fd| (Stdio::from(fd), Stdio::piped(), Stdio::piped())),
        };
        let (stdin, stdout, stderr) = match stdio {
            Ok(s) => s,
            Err(e) => return internal(format!("preparing stdin failed: {e}")),
        };
        // bwrap's `--json-status-fd`: the namespace init's pid once the namespaces exist, and
        // the program's exit code only if the program was exec'd (see `BwrapStatus`).
        let (status_r, status_w) = match pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK) {
            Ok(p) => p,
            Err(e) => return internal(format!("creating the status pipe failed: {e}")),
        };
        let args = bwrap_args(&BwrapArgs {
            work_dir: job.path(),
            work_writable: spec.work_writable,
            tmp_dir: tmp.as_ref().map(TmpfsMount::path),
            tmp_bytes: spec.limits.disk_bytes,
            ro_binds: &self.ro_binds,
            env: &spec.cmd.env,
            seccomp_fd: seccomp_fd.as_raw_fd(),
            status_fd: status_w.as_raw_fd(),
            argv: &spec.cmd.argv,
        });
        let rlimits = rlimits(spec.limits, spec.reserves_address_space, self.memory_cgroup, self.privileged);
        let ids = self.privileged.then_some((Uid::from_raw(uid), Gid::from_raw(gid)));

        let mut cmd = std::process::Command::new(&self.bwrap);
        cmd.args(&args).env_clear().stdin(stdin).stdout(stdout).stderr(stderr);
        // SAFETY: the closure runs between fork and exec, so it only makes raw system calls
        // (write, close_range, fcntl, setpgid, setrlimit, setgroups, setgid, setuid, prctl) on
        // values prepared before the fork; it allocates nothing and takes no lock. The one
        // unsafe call, close_range, only sets FD_CLOEXEC on descriptors.
        #[allow(unsafe_code)]
        unsafe {
            cmd.pre_exec(move || {
                for f in &procs_files {
                    (&*f).write_all(b"0")?;
                }
                // Descriptors the server inherited without CLOEXEC (a library's socket, a
                // jobserver pipe) must not reach the program: close them all at exec...
                if libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, libc::CLOSE_RANGE_CLOEXEC) != 0 {
                    for fd in 3..4096 {
                        libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                    }
                }
                // ...except the two bwrap is given: the seccomp filter and the status pipe.
                fcntl(&seccomp_fd, FcntlArg::F_SETFD(FdFlag::empty()))?;
                fcntl(&status_w, FcntlArg::F_SETFD(FdFlag::empty()))?;
                setpgid(Pid::from_raw(0), Pid::from_raw(0))?;
                for &(res, soft, hard) in &rlimits {
                    setrlimit(res, soft, hard)?;
                }
                if let Some((uid, gid)) = ids {
                    setgroups(&[])?;
                    setgid(gid)?;
                    setuid(uid)?;
                }
                // After setuid, which clears it: die with the server.
                nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
                Ok(())
            });
        }
        let child = reaper().spawn(&mut cmd);
        drop(cmd); // closes our copies of the cgroup and seccomp fds and the status pipe's end
        let mut child = match child {
            Ok(c) => c,
            Err(e) => return internal(format!("starting bwrap failed: {e}")),
        };
        let pgid = Pid::from_raw(child.id());
        let kill = || {
            let _ = killpg(pgid, Signal::SIGKILL);
            if let Some(g) = &cgroup {
                g.kill_all();
            }
        };
        let cpu = || cgroup.as_ref().and_then(StepCgroup::cpu_ms);
        let outer_pid = child.id();
        let driven = match spec.terminal {
            Some(terminal) => terminal.drive(outer_pid, child.wait(), spec.limits, &kill, &cpu).await,
            None => {
                let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
                    return internal("bwrap started without output pipes".into());
                };
                drive(stdout, stderr, child.wait(), spec.limits, spec.case, spec.events, &kill, &cpu).await
            }
        };
        // Whatever is left (nothing, normally: the pid namespace died with its init).
        kill();

        let status = BwrapStatus::read(status_r);
        let mut measured = Measured { program_started: Some(status.exit_code.is_some()), ..Measured::default() };
        if let Some(g) = &cgroup {
            measured.cpu_ms = g.cpu_ms();
            measured.memory_kb = g.memory_peak_kb();
            (measured.oom_killed, measured.memory_limit_hit) = g.memory_limit_hit();
        }
        let outcome = classify(driven, measured, spec.limits, self.caps.time_kind);
        // Everything is dead and measured: reaping the namespace init, removing the cgroups
        // (EBUSY retries) and unmounting /tmp can overlap the next step. `finish_job` waits
        // for it; if the job is cancelled the task still runs, the reaper sweeps whatever is
        // left, and a failed cgroup removal keeps retrying from StepCgroup's Drop.
        let cleanup = tokio::spawn(async move {
            if let Some(pid) = status.init_pid {
                reaper().reap_soon(pid, INIT_REAP_PATIENCE).await;
            }
            if let Some(g) = cgroup {
                let _ = g.remove().await;
            }
            drop(tmp);
        });
        if let Ok(mut p) = self.pending.lock() {
            p.push((slot, cleanup));
        }
        outcome
    }
}

/// What bwrap reported on `--json-status-fd`. It writes `"child-pid"` once the sandbox's
/// namespaces exist, and `"exit-code"` only after the program was exec'd (bwrap learns that
/// from a close-on-exec pipe): the program cannot write to that descriptor, so a missing exit
/// code means the sandbox failed before running anything, whatever the program printed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BwrapStatus {
    /// The namespace init, as seen from this process.
    pub init_pid: Option<i32>,
    pub exit_code: Option<i32>,
}

impl BwrapStatus {
    /// Reads the non-blocking pipe; the outer bwrap has exited (or been killed), so this
    /// never waits.
    fn read(pipe: OwnedFd) -> BwrapStatus {
        use std::io::Read;
        let mut text = String::new();
        let _ = File::from(pipe).read_to_string(&mut text);
        BwrapStatus::parse(&text)
    }

    fn parse(text: &str) -> BwrapStatus {
        let number = |key: &str| -> Option<i32> {
            let rest = text.split(key).nth(1)?;
            let digits: String = rest
                .trim_start_matches(|c: char| c == '"' || c == ':' || c.is_whitespace())
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            digits.parse().ok()
        };
        BwrapStatus { init_pid: number("\"child-pid\""), exit_code: number("\"exit-code\"") }
    }
}

fn create_work_root(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(path)
        .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
    // The slot uids must traverse it to reach their mounts, and list nothing.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io(format!("chmod {}", path.display()), e))
}

pub(crate) fn internal_error(message: String, time_kind: TimeKind) -> StepOutcome {
    StepOutcome {
        status: Status::InternalError,
        exit_code: None,
        signal: None,
        stdout: String::new(),
        stderr: String::new(),
        stdout_truncated: false,
        stderr_truncated: false,
        time_ms: 0,
        time_kind,
        wall_ms: 0,
        memory_kb: None,
        message: Some(message),
        limit: None,
    }
}

/// The BPF program in a pipe: bwrap reads it to EOF. A fresh pipe per step, because a shared
/// file's offset would race between concurrent steps.
fn seccomp_pipe(program: &[u8]) -> std::io::Result<OwnedFd> {
    let (r, w) = pipe2(OFlag::O_CLOEXEC)?;
    let mut w = File::from(w);
    // A few hundred bytes: far below the pipe buffer, so this never blocks.
    w.write_all(program)?;
    Ok(r)
}

type Rlimit = (Resource, u64, u64);

/// rlimits for a step. With a memory cgroup, memory is the cgroup's job (RLIMIT_AS would break the
/// JVM and V8); without, RLIMIT_AS caps it for runtimes that tolerate it. RLIMIT_NPROC counts
/// per uid, so without slot uids it cannot be a tight per-run cap.
fn rlimits(l: &Limits, reserves_address_space: bool, memory_cgroup: bool, slot_uid: bool) -> Vec<Rlimit> {
    let mut v = vec![
        (Resource::RLIMIT_CPU, l.rlimit_cpu_secs(), l.rlimit_cpu_secs() + 1),
        (Resource::RLIMIT_FSIZE, l.file_bytes, l.file_bytes),
        (Resource::RLIMIT_NOFILE, l.open_files, l.open_files),
        (Resource::RLIMIT_CORE, 0, 0),
        (Resource::RLIMIT_STACK, 64 << 20, 64 << 20),
        (Resource::RLIMIT_MEMLOCK, 0, 0),
        (Resource::RLIMIT_MSGQUEUE, 0, 0),
    ];
    if slot_uid {
        // The outer bwrap and the namespace init count too.
        v.push((Resource::RLIMIT_NPROC, l.processes + 2, l.processes + 2));
    }
    if !memory_cgroup && !reserves_address_space {
        let bytes = l.memory_bytes + (64 << 20);
        v.push((Resource::RLIMIT_AS, bytes, bytes));
    }
    v
}

/// Inputs of [`bwrap_args`].
pub(crate) struct BwrapArgs<'a> {
    pub work_dir: &'a Path,
    pub work_writable: bool,
    /// Host tmpfs for /tmp (root), or None for bwrap's own `--size`d tmpfs.
    pub tmp_dir: Option<&'a Path>,
    pub tmp_bytes: u64,
    pub ro_binds: &'a [PathBuf],
    pub env: &'a [(String, String)],
    pub seccomp_fd: i32,
    /// Where bwrap reports the namespace init's pid and the program's exit code.
    pub status_fd: i32,
    pub argv: &'a [String],
}

/// The bwrap command line: every namespace, a read-only view of /usr and a few /etc files, the
/// work dir at /work, a fresh /tmp, an empty environment, no capabilities, the seccomp filter.
pub(crate) fn bwrap_args(a: &BwrapArgs<'_>) -> Vec<OsString> {
    let mut v: Vec<OsString> = Vec::with_capacity(64);
    let mut push = |items: &[&dyn AsRefOs]| {
        for i in items {
            v.push(i.os());
        }
    };
    push(&[
        &"--unshare-user",
        // Defence in depth behind the seccomp filter: no user namespace can be made inside.
        &"--disable-userns",
        &"--unshare-pid",
        &"--unshare-net",
        &"--unshare-ipc",
        &"--unshare-uts",
        &"--unshare-cgroup-try",
        &"--die-with-parent",
        &"--new-session",
        &"--cap-drop",
        &"ALL",
        &"--hostname",
        &"sandbox",
        &"--ro-bind",
        &"/usr",
        &"/usr",
        // The host's own tools and settings live under /usr/local; no runtime needs them.
        &"--tmpfs",
        &"/usr/local",
        &"--remount-ro",
        &"/usr/local",
        &"--symlink",
        &"usr/bin",
        &"/bin",
        &"--symlink",
        &"usr/lib",
        &"/lib",
        &"--symlink",
        &"usr/lib64",
        &"/lib64",
        &"--symlink",
        &"usr/sbin",
        &"/sbin",
    ]);
    for p in a.ro_binds {
        push(&[&"--ro-bind", p, p]);
    }
    push(&[&"--proc", &"/proc", &"--dev", &"/dev"]);
    let bind = if a.work_writable { "--bind" } else { "--ro-bind" };
    push(&[&bind, &a.work_dir, &"/work"]);
    match a.tmp_dir {
        Some(t) => push(&[&"--bind", &t, &"/tmp"]),
        None => {
            let size = a.tmp_bytes.to_string();
            push(&[&"--size", &size, &"--tmpfs", &"/tmp"]);
        }
    }
    // bwrap's root and /dev are tmpfs mounts the program could otherwise fill.
    push(&[&"--remount-ro", &"/dev", &"--remount-ro", &"/", &"--chdir", &"/work", &"--clearenv"]);
    for (k, val) in BASE_ENV {
        push(&[&"--setenv", k, val]);
    }
    for (k, val) in a.env {
        push(&[&"--setenv", k, val]);
    }
    let fd = a.seccomp_fd.to_string();
    let status = a.status_fd.to_string();
    push(&[&"--json-status-fd", &status, &"--seccomp", &fd, &"--"]);
    for arg in a.argv {
        push(&[arg]);
    }
    v
}

/// Lets [`bwrap_args`] mix `&str`, `String` and paths in one list.
trait AsRefOs {
    fn os(&self) -> OsString;
}
impl AsRefOs for &str {
    fn os(&self) -> OsString {
        OsString::from(*self)
    }
}
impl AsRefOs for String {
    fn os(&self) -> OsString {
        OsString::from(self)
    }
}
impl AsRefOs for PathBuf {
    fn os(&self) -> OsString {
        self.as_os_str().to_owned()
    }
}
impl AsRefOs for &Path {
    fn os(&self) -> OsString {
        self.as_os_str().to_owned()
    }
}

impl Backend for BwrapBackend {
    fn capabilities(&self) -> &SandboxCapabilities {
        &self.caps
    }

    fn prepare_job(&self, slot: usize) -> Result<JobDir> {
        if self.privileged {
            let (uid, gid) = self.slot_ids(slot);
            let path = self.work_root.join(self.next_name(slot, "job"));
            let (bytes, inodes) = self.job_disk;
            let m =
                TmpfsMount::new(path, bytes, inodes, uid, gid).map_err(|e| Error::io("mounting the job's tmpfs", e))?;
            Ok(JobDir::tmpfs(m))
        } else {
            let t = tempfile::Builder::new()
                .prefix("job-")
                .tempdir_in(&self.work_root)
                .map_err(|e| Error::io("creating the job dir", e))?;
            Ok(JobDir::temp(t))
        }
    }

    fn run_step<'a>(&'a self, job: &'a JobDir, slot: usize, spec: StepSpec<'a>) -> StepFuture<'a> {
        Box::pin(self.step(job, slot, spec))
    }

    fn slot_leftovers(&self, slot: usize) -> Vec<i32> {
        if !self.privileged {
            return Vec::new();
        }
        reaper().sweep();
        procfs::processes_of_uid(self.slot_ids(slot).0)
    }

    fn kill_slot_leftovers(&self, slot: usize) {
        if self.privileged {
            let uid = self.slot_ids(slot).0;
            for pid in procfs::processes_of_uid(uid) {
                procfs::kill_if_owned_by(pid, uid);
            }
            reaper().sweep();
        }
    }

    fn finish_job<'a>(&'a self, slot: usize) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            let mine: Vec<_> = match self.pending.lock() {
                Ok(mut p) => {
                    let (mine, rest) = std::mem::take(&mut *p).into_iter().partition(|(s, _)| *s == slot);
                    *p = rest;
                    mine
                }
                Err(_) => Vec::new(),
            };
            for (_, h) in mine {
                let _ = h.await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(writable: bool, tmp: Option<&Path>) -> Vec<String> {
        let argv = vec!["/usr/bin/python3".to_string(), "/work/main.py".to_string()];
        let env = vec![("GOCACHE".to_string(), "/tmp/go".to_string())];
        bwrap_args(&BwrapArgs {
            work_dir: Path::new("/run/codeview-runner/s0-job1"),
            work_writable: writable,
            tmp_dir: tmp,
            tmp_bytes: 1024,
            ro_binds: &[PathBuf::from("/etc/ld.so.cache")],
            env: &env,
            seccomp_fd: 7,
            status_fd: 8,
            argv: &argv,
        })
        .into_iter()
        .map(|s| s.into_string().unwrap())
        .collect()
    }

    fn has_seq(v: &[String], seq: &[&str]) -> bool {
        v.windows(seq.len()).any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
    }

    #[test]
    fn every_namespace_is_unshared_and_capabilities_dropped() {
        let v = args(false, None);
        for flag in
            ["--unshare-user", "--disable-userns", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
        {
            assert!(v.iter().any(|a| a == flag), "{flag} missing");
        }
        assert!(has_seq(&v, &["--cap-drop", "ALL"]));
        assert!(v.iter().any(|a| a == "--die-with-parent"));
        assert!(v.iter().any(|a| a == "--clearenv"));
        assert!(has_seq(&v, &["--seccomp", "7", "--", "/usr/bin/python3", "/work/main.py"]));
    }

    #[test]
    fn runs_see_the_work_dir_read_only_and_compiles_writable() {
        assert!(has_seq(&args(false, None), &["--ro-bind", "/run/codeview-runner/s0-job1", "/work"]));
        assert!(has_seq(&args(true, None), &["--bind", "/run/codeview-runner/s0-job1", "/work"]));
    }

    #[test]
    fn tmp_is_the_host_tmpfs_as_root_and_a_sized_tmpfs_otherwise() {
        assert!(has_seq(&args(false, Some(Path::new("/run/x/tmp1"))), &["--bind", "/run/x/tmp1", "/tmp"]));
        assert!(has_seq(&args(false, None), &["--size", "1024", "--tmpfs", "/tmp"]));
    }

    #[test]
    fn environment_is_minimal() {
        let v = args(false, None);
        let setenvs: Vec<&str> =
            v.iter().enumerate().filter(|(_, a)| *a == "--setenv").map(|(i, _)| v[i + 1].as_str()).collect();
        assert_eq!(setenvs, ["PATH", "HOME", "TMPDIR", "LANG", "GOCACHE"]);
    }

    #[test]
    fn bwraps_status_gives_the_init_and_the_exit_code_only_once_the_program_ran() {
        let started = "{ \"child-pid\": 4242, \"cgroup-namespace\": 4026532 }\n{ \"exit-code\": 3 }\n";
        assert_eq!(BwrapStatus::parse(started), BwrapStatus { init_pid: Some(4242), exit_code: Some(3) });
        let setup_failed = "{ \"child-pid\": 4242, \"cgroup-namespace\": 4026532 }\n";
        assert_eq!(BwrapStatus::parse(setup_failed), BwrapStatus { init_pid: Some(4242), exit_code: None });
        assert_eq!(BwrapStatus::parse(""), BwrapStatus::default());
        let (r, _w) = pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK).unwrap();
        assert_eq!(BwrapStatus::read(r), BwrapStatus::default(), "an empty, still-open pipe does not block");
    }

    #[test]
    fn rlimits_never_cap_address_space_of_the_jvm_or_with_cgroups() {
        let l = Limits::default();
        let has_as = |v: Vec<Rlimit>| v.iter().any(|(r, _, _)| *r == Resource::RLIMIT_AS);
        assert!(!has_as(rlimits(&l, true, false, false)));
        assert!(!has_as(rlimits(&l, false, true, true)));
        assert!(has_as(rlimits(&l, false, false, false)));
        assert!(rlimits(&l, false, true, true).iter().any(|(r, s, _)| *r == Resource::RLIMIT_NPROC && *s == 66));
    }
}
