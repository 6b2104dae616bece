//! CodeView's code runner: the sandbox and the languages. A security boundary — no HTTP, no
//! database. The server builds one [`Runner`], logs its [`SandboxCapabilities`], lists
//! [`Runner::languages`], and calls [`Runner::execute`] with a [`Job`]; output streams as
//! [`RunEvent`]s on a tokio channel and the result is an [`Outcome`].
//!
//! Module map:
//! - `config`: [`RunnerConfig`] (slots, uids, paths, default [`Limits`], toolchains)
//! - `limits`: [`Limits`] and their defaults for runs and compiles
//! - `language`: [`Language`], how each is compiled and run, versions, Java class names
//! - `outcome`: [`Status`], [`RunEvent`], [`Outcome`], output comparison
//! - `table`: SQL results compared as tables ([`compare_tables`]), with a readable diff
//! - `runner`: [`Runner`], [`Job`], [`Case`]: slots, compile once, one run per case
//! - `interactive`: [`InteractiveJob`], [`TerminalInput`], [`TerminalEvent`],
//!   [`InteractiveOutcome`]: a program on a pseudo-terminal ([`Runner::interact`])
//! - `slots`: the slot pool; a slot is handed out only when its uid owns no process
//! - `sandbox`: the backend (bubblewrap + cgroups v1 or v2 + seccomp), the isolation it
//!   reports, the process driver, the reaper of sandbox processes
//!
//! ```no_run
//! # async fn demo() -> Result<(), codeview_runner::Error> {
//! use codeview_runner::{Job, Language, Runner, RunnerConfig};
//! let runner = Runner::new(RunnerConfig::default()).await?;
//! println!("{}", runner.capabilities());
//! let (tx, mut rx) = tokio::sync::mpsc::channel(64);
//! let job = Job::run(Language::Python, "print(input())", b"hi\n".to_vec());
//! let run = tokio::spawn({ let r = runner.clone(); async move { r.execute(job, tx).await } });
//! while let Some(event) = rx.recv().await { println!("{event:?}"); }
//! let outcome = run.await.expect("join")?;
//! assert_eq!(outcome.cases[0].step.stdout, "hi\n");
//! # Ok(()) }
//! ```

mod config;
mod error;
mod interactive;
mod language;
mod limits;
mod outcome;
mod runner;
mod sandbox;
mod slots;
mod table;

pub use config::{RunnerConfig, Toolchains};
pub use error::{Error, Result};
pub use interactive::{
    DEFAULT_IDLE_MS, EndReason, INPUT_QUEUE, INTERACTIVE_WALL_MS, InteractiveJob, InteractiveOutcome, TerminalEvent,
    TerminalInput, TerminalMode,
};
pub use language::{Language, LanguageInfo};
pub use limits::Limits;
pub use outcome::{
    CaseOutcome, ExceededLimit, LimitKind, Outcome, RunEvent, Status, StepOutcome, Stream, TimeKind, outputs_match,
};
pub use runner::{Case, Job, Runner};
pub use sandbox::{CgroupVersion, Isolation, Missing, Protection, SandboxCapabilities};
pub use table::compare_tables;

/// Host inspection helpers for tests and health checks: mounts left under a work root, and
/// processes a sandbox may leave behind (of slot uids, or zombie children).
pub mod host {
    use crate::sandbox::procfs::all_statuses;
    pub use crate::sandbox::workdir::mounts_under;

    /// Processes (zombies included) whose real uid is in `uids`, as `(pid, uid)`.
    pub fn processes_of_uids(uids: std::ops::Range<u32>) -> Vec<(i32, u32)> {
        all_statuses().filter(|(_, s)| uids.contains(&s.real_uid)).map(|(pid, s)| (pid, s.real_uid)).collect()
    }

    /// Children of process `parent` that are zombies (exited, not reaped), as `(pid, real
    /// uid)`: each counts against its uid's RLIMIT_NPROC until someone waits for it.
    pub fn zombie_children_of(parent: u32) -> Vec<(i32, u32)> {
        all_statuses()
            .filter(|(_, s)| s.zombie && i64::from(s.ppid) == i64::from(parent))
            .map(|(pid, s)| (pid, s.real_uid))
            .collect()
    }
}
