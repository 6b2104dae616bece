//! The one reaper of sandbox processes in this process. The runner is a child subreaper, so
//! bwrap's pid-namespace init (which the outer bwrap never waits for) and any other orphaned
//! sandbox process become our children when their parent dies; unreaped, each stays a zombie
//! that counts against its slot uid's RLIMIT_NPROC, and enough of them jam the slot for good.
//!
//! Who waits for what:
//! - A step spawns bwrap through [`Reaper::spawn`] and waits for it itself ([`SandboxChild`]);
//!   such "owned" pids are never touched here, so no exit status is stolen from the step.
//! - A step that is dropped before it waited hands its child over (`abandoned`): the sweep
//!   reaps it whatever its uid.
//! - Any other zombie child that is a sandbox process (a slot uid, or a pid in a nested pid
//!   namespace) is reaped by the sweep. Children of the rest of the program (tokio's or std's,
//!   root-owned and in our own pid namespace) are never touched.
//!
//! The sweep runs on its own thread every [`SWEEP_INTERVAL`] and when a step abandons its child; steps also
//! call it directly to reap their namespace init at once. Spawning holds the same lock as the
//! sweep, so a child that exits before it is registered as owned cannot be taken either.

use std::collections::HashSet;
use std::io;
use std::ops::Range;
use std::os::fd::OwnedFd;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::{Condvar, Mutex, MutexGuard, Once, OnceLock};
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::process::{ChildStderr, ChildStdout};

use super::procfs;

/// How often the reaper sweeps when nobody pokes it: the backstop for a zombie that appears
/// after the poke that was meant for it.
const SWEEP_INTERVAL: Duration = Duration::from_millis(250);

static REAPER: OnceLock<Reaper> = OnceLock::new();
static SWEEPER: Once = Once::new();

/// The process-wide reaper; its sweeping thread starts on first use.
pub(crate) fn reaper() -> &'static Reaper {
    let r = REAPER.get_or_init(|| Reaper { state: Mutex::new(State::default()), wake: Condvar::new() });
    SWEEPER.call_once(|| {
        let spawned = std::thread::Builder::new().name("sandbox-reaper".into()).spawn(|| reaper().sweep_forever());
        // Without the thread, steps still reap through `sweep` and slot checks; say so.
        if let Err(e) = spawned {
            tracing::error!(error = %e, "the sandbox reaper thread did not start");
        }
    });
    r
}

pub(crate) struct Reaper {
    /// A std Mutex: held for a spawn (about a millisecond) or a sweep, never across an await.
    state: Mutex<State>,
    /// Wakes the sweeping thread early.
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Children a live step waits for itself.
    owned: HashSet<i32>,
    /// Children whose step was dropped before it waited for them.
    abandoned: HashSet<i32>,
    /// Slot uids of every runner in this process.
    slot_uids: Vec<Range<u32>>,
    poked: bool,
}

impl Reaper {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Treats processes of these real uids as sandbox processes (a runner's slot uids).
    pub fn watch_uids(&self, uids: Range<u32>) {
        let mut st = self.lock();
        if !st.slot_uids.contains(&uids) {
            st.slot_uids.push(uids);
        }
    }

    /// Spawns `cmd` as a child this process waits for through the returned handle; its
    /// stdout and stderr are the handle's when piped.
    pub fn spawn(&'static self, cmd: &mut std::process::Command) -> io::Result<SandboxChild> {
        let mut st = self.lock();
        let mut child = cmd.spawn()?;
        let pid = child.id() as i32;
        st.owned.insert(pid);
        drop(st);
        let mut handle = SandboxChild { reaper: self, pid, exited: None, waited: false, stdout: None, stderr: None };
        let pidfd = procfs::pidfd_open(pid).ok_or_else(io::Error::last_os_error)?;
        // SAFETY: the AsyncFd owns the OwnedFd, which stays open until the AsyncFd is dropped.
        #[allow(unsafe_code)]
        let exited = unsafe { AsyncFd::register_with_interest(pidfd, Interest::READABLE) }?;
        handle.exited = Some(exited);
        handle.stdout = child.stdout.take().map(ChildStdout::from_std).transpose()?;
        handle.stderr = child.stderr.take().map(ChildStderr::from_std).transpose()?;
        Ok(handle)
    }

    fn sweep_forever(&self) {
        loop {
            {
                let st = self.lock();
                let (mut st, _) = self
                    .wake
                    .wait_timeout_while(st, SWEEP_INTERVAL, |s| !s.poked)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                st.poked = false;
            }
            self.sweep();
        }
    }

    /// Reaps every zombie child that is a sandbox process and that no live step waits for.
    pub fn sweep(&self) {
        let mut st = self.lock();
        for pid in procfs::children() {
            if st.owned.contains(&pid) {
                continue;
            }
            let Some(s) = procfs::status(pid) else {
                continue;
            };
            let ours = st.abandoned.contains(&pid)
                || s.pid_ns_depth > 1
                || st.slot_uids.iter().any(|r| r.contains(&s.real_uid));
            if s.zombie
                && ours
                && !matches!(waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)), Ok(WaitStatus::StillAlive))
            {
                st.abandoned.remove(&pid);
            }
        }
    }

    /// Sweeps until `pid` is no longer a child of this process, for at most `patience`.
    /// Returns whether it is gone.
    pub async fn reap_soon(&self, pid: i32, patience: Duration) -> bool {
        let me = std::process::id() as i32;
        let deadline = tokio::time::Instant::now() + patience;
        let mut pause = Duration::from_millis(1);
        loop {
            self.sweep();
            if procfs::status(pid).is_none_or(|s| s.ppid != me) {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    fn reaped(&self, pid: i32) {
        self.lock().owned.remove(&pid);
    }

    fn abandon(&self, pid: i32) {
        let mut st = self.lock();
        st.owned.remove(&pid);
        st.abandoned.insert(pid);
        st.poked = true;
        self.wake.notify_one();
    }
}

/// A sandbox's outer process, which its step (and only its step) waits for. Dropping it
/// before it was waited for kills its process group and leaves the zombie to the reaper.
pub(crate) struct SandboxChild {
    reaper: &'static Reaper,
    pid: i32,
    /// Becomes readable when the process exits.
    exited: Option<AsyncFd<OwnedFd>>,
    waited: bool,
    pub stdout: Option<ChildStdout>,
    pub stderr: Option<ChildStderr>,
}

impl SandboxChild {
    pub fn id(&self) -> i32 {
        self.pid
    }

    /// Waits for the process to exit and reaps it.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        let exited = self.exited.as_ref().ok_or_else(|| io::Error::other("no pidfd"))?;
        loop {
            let mut ready = exited.readable().await?;
            match waitpid(Pid::from_raw(self.pid), Some(WaitPidFlag::WNOHANG)).map_err(io::Error::from)? {
                WaitStatus::Exited(_, code) => return Ok(self.done(ExitStatus::from_raw(code << 8))),
                WaitStatus::Signaled(_, sig, _) => return Ok(self.done(ExitStatus::from_raw(sig as i32))),
                _ => ready.clear_ready(),
            }
        }
    }

    fn done(&mut self, status: ExitStatus) -> ExitStatus {
        self.waited = true;
        self.reaper.reaped(self.pid);
        status
    }
}

impl Drop for SandboxChild {
    fn drop(&mut self) {
        if self.waited {
            return;
        }
        // Still our unreaped child, so neither its pid nor its process group can have been
        // reused: the signals reach the sandbox and nothing else.
        let pid = Pid::from_raw(self.pid);
        let _ = killpg(pid, Signal::SIGKILL);
        let _ = kill(pid, Signal::SIGKILL);
        self.reaper.abandon(self.pid);
    }
}
