//! Interactive runs: a program whose stdin is fed as people type and whose output streams as
//! it comes, through a pseudo-terminal ([`Runner::interact`](crate::Runner::interact)). The
//! job holds one slot from its first step to its last, as a batch job does; a compiled
//! language is compiled first (the compiler's output streams into the same terminal), then
//! the program runs once under the run limits, with the wall clock of an interactive run
//! ([`INTERACTIVE_WALL_MS`]) and an idle limit ([`DEFAULT_IDLE_MS`]).
//!
//! Input is a channel of [`TerminalInput`]: text, an interrupt (SIGINT to the program's
//! processes), end of input, or stop (kill); a closed channel stops the program too. Output is
//! a channel of [`TerminalEvent`]. The end is an [`InteractiveOutcome`] with its
//! [`EndReason`].

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{Receiver, Sender};

use crate::language::Language;
use crate::limits::Limits;
use crate::outcome::{RunEvent, Status, StepOutcome};

/// Wall clock of an interactive program: people type slowly.
pub const INTERACTIVE_WALL_MS: u64 = 10 * 60 * 1000;
/// How long a program may sit with neither input nor output before it is ended (`idle`).
pub const DEFAULT_IDLE_MS: u64 = 5 * 60 * 1000;
/// Input messages waiting for the runner; a sender that finds the channel full should refuse
/// more (the program is not reading).
pub const INPUT_QUEUE: usize = 256;

/// How the terminal treats what is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TerminalMode {
    /// Canonical: the program reads whole lines; end of input is VEOF at a line start.
    Line,
    /// Every byte reaches the program as it is typed; nothing is echoed but by the program.
    Raw,
}

/// What to run interactively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractiveJob {
    pub language: Language,
    pub source: String,
    pub mode: TerminalMode,
    /// Limits of the program; `None` uses the runner's run limits with
    /// [`INTERACTIVE_WALL_MS`] as the wall clock.
    pub limits: Option<Limits>,
    /// Idle limit: neither input nor output for this long ends the program (`idle`).
    pub idle_ms: u64,
}

impl InteractiveJob {
    pub fn new(language: Language, source: impl Into<String>, mode: TerminalMode) -> InteractiveJob {
        InteractiveJob { language, source: source.into(), mode, limits: None, idle_ms: DEFAULT_IDLE_MS }
    }
}

/// Something for the program, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalInput {
    /// Bytes for its stdin, as typed.
    Data(Vec<u8>),
    /// SIGINT to every process of the program (Ctrl+C); input not yet read is dropped.
    Interrupt,
    /// End of input (Ctrl+D): VEOF in canonical mode, the EOT byte when the program turned
    /// canonical mode off (it then reads it like any key, as on a real terminal).
    Eof,
    /// Kill the program (`stopped`).
    Stop,
}

/// What the terminal shows, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalEvent {
    /// Output of the compiler or the program: valid UTF-8, never cut inside a character,
    /// with terminal line ends ("\r\n").
    Output { text: String },
}

/// Why an interactive run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema), schema(as = TerminalEndReason))]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The program exited by itself (or died of a signal other than an interrupt).
    Exited,
    /// The program died of the interrupt it was sent.
    Interrupted,
    /// Someone stopped it.
    Stopped,
    /// Neither input nor output for the idle limit.
    Idle,
    /// CPU or wall-clock limit.
    TimeLimit,
    MemoryLimit,
    OutputLimit,
    /// The compiler rejected the program; its messages were shown.
    CompileError,
    /// The sandbox failed (not the program's fault).
    Error,
}

/// The end of an interactive run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractiveOutcome {
    pub reason: EndReason,
    /// The program's exit code, when it exited normally.
    pub exit_code: Option<i32>,
    /// The end in words, for the terminal's last line.
    pub message: String,
    /// The compiler's step, for compiled languages.
    pub compile: Option<StepOutcome>,
    /// The program's step (its stdout and stderr are empty: the output was streamed).
    pub run: Option<StepOutcome>,
}

impl InteractiveOutcome {
    pub(crate) fn before_run(reason: EndReason, message: String, compile: Option<StepOutcome>) -> Self {
        InteractiveOutcome { reason, exit_code: None, message, compile, run: None }
    }
}

/// The limits of the program of `job`, from the runner's run limits.
pub(crate) fn program_limits(job: &InteractiveJob, run_limits: &Limits) -> Limits {
    job.limits.clone().unwrap_or_else(|| Limits { wall_ms: INTERACTIVE_WALL_MS, ..run_limits.clone() })
}

/// Turns compiler output into terminal text ("\n" → "\r\n").
pub(crate) fn terminal_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Forwards the compile step's output to the terminal while `step` runs, and watches the
/// input: a stop or an interrupt abandons the compile (dropping the step kills it), anything
/// else is kept for the program. `Err` is the reason the compile was abandoned.
pub(crate) async fn compile_with_terminal(
    step: impl Future<Output = StepOutcome>,
    mut events: Receiver<RunEvent>,
    input: &mut Receiver<TerminalInput>,
    output: &Sender<TerminalEvent>,
    early: &mut VecDeque<TerminalInput>,
) -> Result<StepOutcome, EndReason> {
    tokio::pin!(step);
    let outcome = loop {
        tokio::select! {
            outcome = &mut step => break outcome,
            Some(event) = events.recv() => forward(event, output).await,
            received = input.recv(), if early.len() < INPUT_QUEUE => match received {
                Some(TerminalInput::Stop) | None => return Err(EndReason::Stopped),
                Some(TerminalInput::Interrupt) => return Err(EndReason::Interrupted),
                Some(other) => early.push_back(other),
            },
        }
    };
    while let Ok(event) = events.try_recv() {
        forward(event, output).await;
    }
    Ok(outcome)
}

async fn forward(event: RunEvent, output: &Sender<TerminalEvent>) {
    if let RunEvent::Output { text, .. } = event {
        let text = terminal_text(&text);
        let _ = tokio::time::timeout(Duration::from_secs(5), output.send(TerminalEvent::Output { text })).await;
    }
}

/// The compile step's verdict as the end of an interactive run, if it is one.
pub(crate) fn compile_end(step: &StepOutcome) -> Option<(EndReason, String)> {
    match step.status {
        Status::Finished => None,
        Status::InternalError => Some((EndReason::Error, step.message.clone().unwrap_or_default())),
        _ => Some((EndReason::CompileError, "compilation failed".into())),
    }
}
