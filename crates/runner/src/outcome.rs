//! What a job produces: live [`RunEvent`]s while it runs and one [`Outcome`] at the end, with
//! a precise [`Status`] per step, the numbers (time, memory) and the captured output.

use serde::{Deserialize, Serialize};

/// The verdict of one step (compile, or one run of the program), and of the whole job.
/// The names are the public API statuses (`snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The program exited with status 0 within every limit.
    Finished,
    /// The compiler rejected the program (or the interpreter found a syntax error).
    CompileError,
    /// CPU time or wall-clock time ran out.
    TimeLimit,
    /// The memory cgroup ran out (OOM kill), or the runtime reported running out of memory.
    MemoryLimit,
    /// Too much output on a stream, or a file larger than the file-size limit.
    OutputLimit,
    /// Non-zero exit or death by a signal.
    RuntimeError,
    /// The sandbox itself failed; not the program's fault.
    InternalError,
}

impl Status {
    /// The public name, e.g. `"time_limit"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Finished => "finished",
            Status::CompileError => "compile_error",
            Status::TimeLimit => "time_limit",
            Status::MemoryLimit => "memory_limit",
            Status::OutputLimit => "output_limit",
            Status::RuntimeError => "runtime_error",
            Status::InternalError => "internal_error",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which pipe a piece of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What `time_ms` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// CPU time of the whole process tree (cgroup cpuacct), user + system.
    Cpu,
    /// Wall-clock time (used when no cgroup is available, e.g. without root).
    Wall,
}

/// The limit that ended a step, with its value: milliseconds for the time limits, bytes for
/// the others. Lets a client say "Time limit exceeded (2 s CPU)" rather than guess which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceededLimit {
    pub kind: LimitKind,
    pub value: u64,
}

/// Which of a step's limits was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// CPU time of the process tree ([`Limits::cpu_ms`](crate::Limits::cpu_ms)).
    CpuTime,
    /// Wall-clock time ([`Limits::wall_ms`](crate::Limits::wall_ms)), e.g. a program waiting.
    WallTime,
    /// Memory of the process tree.
    Memory,
    /// Output kept per stream.
    Output,
    /// Size of a file the program wrote.
    FileSize,
}

/// Live progress of a job, in order. Output of the program is tagged with its test-case index;
/// compiler output has `case: None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RunEvent {
    /// The compile step started.
    CompileStarted,
    /// The compile step ended; `status` is `finished` or `compile_error`/`internal_error`.
    CompileFinished { status: Status },
    /// Test case `case` (0-based; the only case in plain run mode) started.
    CaseStarted { case: usize },
    /// A chunk of output, as it arrived. Text is valid UTF-8: invalid bytes become U+FFFD and a
    /// multi-byte character split across reads is never cut in two.
    Output { case: Option<usize>, stream: Stream, text: String },
    /// Test case `case` ended.
    CaseFinished { case: usize, status: Status, time_ms: u64, memory_kb: Option<u64>, passed: Option<bool> },
}

/// The result of one sandboxed step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepOutcome {
    pub status: Status,
    /// Exit code of the program, when it exited normally.
    pub exit_code: Option<i32>,
    /// Signal that killed the program (e.g. 9 for SIGKILL, 11 for SIGSEGV).
    pub signal: Option<i32>,
    /// Captured stdout, at most `output_bytes` (lossy UTF-8).
    pub stdout: String,
    /// Captured stderr, at most `output_bytes` (lossy UTF-8).
    pub stderr: String,
    /// Whether stdout was cut at the limit.
    pub stdout_truncated: bool,
    /// Whether stderr was cut at the limit.
    pub stderr_truncated: bool,
    /// CPU time when measurable, else wall time; see `time_kind`.
    pub time_ms: u64,
    pub time_kind: TimeKind,
    /// Wall-clock time of the step, sandbox start-up included.
    pub wall_ms: u64,
    /// Peak memory of the process tree (cgroup `max_usage_in_bytes`), when measurable.
    pub memory_kb: Option<u64>,
    /// A human explanation of a non-`finished` status (which limit, which signal, the error).
    pub message: Option<String>,
    /// The limit that ended the step, for the `*_limit` statuses.
    #[serde(default)]
    pub limit: Option<ExceededLimit>,
}

/// The result of one test case (or of the single run in plain run mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOutcome {
    /// Index into [`Job::cases`](crate::Job::cases).
    pub case: usize,
    #[serde(flatten)]
    pub step: StepOutcome,
    /// Whether stdout matched the expected output (`None` when nothing was expected).
    pub passed: Option<bool>,
    /// Why a SQL result did not match the expected table: a readable diff (header, rows missing
    /// or unexpected, the first differing row). `None` when it passed or for other languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// The result of a whole job: the compile step (if the language has one) and every case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `compile_error` or `internal_error` when no case could run; otherwise the status of the
    /// first case that did not finish, or `finished`.
    pub status: Status,
    /// The compiler's step, for compiled languages (its stderr is the compiler's message).
    pub compile: Option<StepOutcome>,
    /// One entry per case, in order; empty after a compile error.
    pub cases: Vec<CaseOutcome>,
    /// Whether every case with an expected output passed (`None` when none had one).
    pub all_passed: Option<bool>,
    /// Explanation of a compile or internal error.
    pub message: Option<String>,
}

impl Outcome {
    /// The only case's result in plain run mode.
    pub fn first_case(&self) -> Option<&CaseOutcome> {
        self.cases.first()
    }
}

/// Compares a program's output with the expected output the way judges usually do: trailing
/// whitespace on each line and trailing blank lines are ignored, `\r\n` equals `\n`.
pub fn outputs_match(actual: &str, expected: &str) -> bool {
    fn lines(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s.lines().map(str::trim_end).collect();
        while v.last().is_some_and(|l| l.is_empty()) {
            v.pop();
        }
        v
    }
    lines(actual) == lines(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_whitespace_and_newlines_are_ignored() {
        assert!(outputs_match("1 2 \n3\n\n\n", "1 2\n3"));
        assert!(outputs_match("a\r\nb\r\n", "a\nb\n"));
        assert!(outputs_match("", "\n"));
    }

    #[test]
    fn leading_whitespace_and_inner_lines_matter() {
        assert!(!outputs_match(" 1", "1"));
        assert!(!outputs_match("1\n\n2", "1\n2"));
        assert!(!outputs_match("12", "1 2"));
    }

    #[test]
    fn statuses_display_as_their_public_names() {
        assert_eq!(Status::MemoryLimit.to_string(), "memory_limit");
        assert_eq!(Status::CompileError.as_str(), "compile_error");
    }
}
