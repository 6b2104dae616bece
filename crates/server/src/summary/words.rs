//! The words both written summaries use for facts: statuses, verdicts, roles, times and sizes
//! (the web's `room/run/status.ts` says the same things the same way).

use chrono::{DateTime, Utc};

use crate::domain::{Difficulty, Role, RunStatus, Verdict};
use crate::runs::results::TestResult;
use crate::runs::views::RunView;

pub fn status_label(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Queued => "Queued",
        RunStatus::Running => "Running",
        RunStatus::Finished => "Finished",
        RunStatus::CompileError => "Compile error",
        RunStatus::TimeLimit => "Time limit exceeded",
        RunStatus::MemoryLimit => "Memory limit exceeded",
        RunStatus::OutputLimit => "Output limit exceeded",
        RunStatus::RuntimeError => "Runtime error",
        RunStatus::InternalError => "Internal error",
        RunStatus::Cancelled => "Cancelled",
    }
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Host => "Host",
        Role::Interviewer => "Interviewer",
        Role::Observer => "Observer",
        Role::Candidate => "Candidate",
    }
}

pub fn difficulty_label(difficulty: Difficulty) -> &'static str {
    match difficulty {
        Difficulty::Easy => "Easy",
        Difficulty::Medium => "Medium",
        Difficulty::Hard => "Hard",
    }
}

/// A run's headline: `Passed 2/2`, `Failed 1/2`, or its status.
pub fn run_headline(run: &RunView) -> String {
    let tally = run.result.tally();
    match (run.result.verdict, tally) {
        (Some(Verdict::Passed), Some((passed, total))) => format!("Passed {passed}/{total}"),
        (Some(Verdict::Failed), Some((passed, total))) => format!("Failed {passed}/{total}"),
        (Some(Verdict::Passed), None) => "Passed".into(),
        (Some(Verdict::Failed), None) => "Failed".into(),
        (None, _) => status_label(run.status).into(),
    }
}

/// Whether a run's headline reads as good news, bad news or neither (for colour).
pub fn run_tone(run: &RunView) -> &'static str {
    match (run.result.verdict, run.status) {
        (Some(Verdict::Passed), _) => "success",
        (Some(Verdict::Failed), _) => "danger",
        (None, RunStatus::Finished) => "success",
        (None, RunStatus::TimeLimit | RunStatus::MemoryLimit | RunStatus::OutputLimit) => "warning",
        (None, RunStatus::Cancelled | RunStatus::Queued | RunStatus::Running) => "neutral",
        (None, _) => "danger",
    }
}

/// A test case's result: `Passed`, `Wrong answer`, or how it ended.
pub fn test_label(test: &TestResult) -> &'static str {
    match (test.passed, test.status) {
        (Some(true), _) => "Passed",
        (_, RunStatus::Finished) => "Wrong answer",
        (_, status) => status_label(status),
    }
}

pub fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

pub fn when_or_dash(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "—".into(), when)
}

pub fn ms(time_ms: Option<u64>) -> String {
    time_ms.map_or_else(|| "—".into(), |ms| format!("{ms} ms"))
}

pub fn kb(memory_kb: Option<u64>) -> String {
    match memory_kb {
        None => "—".into(),
        Some(kb) if kb >= 1024 => format!("{:.1} MiB", kb as f64 / 1024.0),
        Some(kb) => format!("{kb} KiB"),
    }
}
