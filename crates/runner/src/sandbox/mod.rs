//! The sandbox boundary: a [`Backend`] runs one step (a compiler or the program) under limits
//! and reports what happened. The backend is bubblewrap (`bwrap`), on the process driver in
//! [`process`] (or, for an interactive step, the terminal driver in [`terminal`] on a
//! pseudo-terminal from [`pty`]); the trait keeps the slots and the runner apart from its
//! details.

pub(crate) mod bwrap;
pub(crate) mod cgroup;
pub(crate) mod isolation;
pub(crate) mod process;
pub(crate) mod procfs;
pub(crate) mod pty;
pub(crate) mod reaper;
pub(crate) mod seccomp;
pub(crate) mod terminal;
pub(crate) mod workdir;

use std::future::Future;
use std::pin::Pin;

use tokio::sync::mpsc::Sender;

use crate::language::Cmd;
use crate::limits::Limits;
use crate::outcome::{RunEvent, StepOutcome};
pub use cgroup::CgroupVersion;
pub use isolation::{Isolation, Missing, Protection, SandboxCapabilities};
pub(crate) use workdir::JobDir;

/// One sandboxed process to run.
pub(crate) struct StepSpec<'a> {
    pub cmd: &'a Cmd,
    pub limits: &'a Limits,
    pub stdin: &'a [u8],
    /// The compile step may write the work dir; runs see it read-only (and get a fresh /tmp).
    pub work_writable: bool,
    /// Skip RLIMIT_AS (JVM, V8, Go reserve far more than they use).
    pub reserves_address_space: bool,
    /// Test-case index for output events; `None` for the compiler.
    pub case: Option<usize>,
    pub events: &'a Sender<RunEvent>,
    /// An interactive step: the program's stdin, stdout and stderr are this terminal's, and
    /// `stdin`, `case` and `events` are unused.
    pub terminal: Option<&'a mut terminal::Terminal>,
}

pub(crate) type StepFuture<'a> = Pin<Box<dyn Future<Output = StepOutcome> + Send + 'a>>;

/// A sandbox implementation. One job holds one slot from its first step to its last.
pub(crate) trait Backend: Send + Sync {
    fn capabilities(&self) -> &SandboxCapabilities;
    /// A fresh, empty work dir for a job on `slot`; the caller writes the sources into it
    /// before the first step (the runner never reads from it afterwards).
    fn prepare_job(&self, slot: usize) -> crate::Result<JobDir>;
    fn run_step<'a>(&'a self, job: &'a JobDir, slot: usize, spec: StepSpec<'a>) -> StepFuture<'a>;
    /// Processes (zombies included) still running as `slot`'s uid, after reaping what this
    /// process can. A slot is handed out only when this is empty. Backends without slot uids
    /// have none.
    fn slot_leftovers(&self, _slot: usize) -> Vec<i32> {
        Vec::new()
    }
    /// SIGKILLs every process running as `slot`'s uid.
    fn kill_slot_leftovers(&self, _slot: usize) {}
    /// Waits until every step of the job on `slot` is cleaned up (steps may clean up in the
    /// background, overlapping the next step).
    fn finish_job<'a>(&'a self, _slot: usize) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async {})
    }
}
