//! The words both written summaries use for facts: statuses, verdicts, roles, times and sizes
//! (the web's `room/run/status.ts` says the same things the same way), and integrity signals,
//! said as what was observed, never as what it means.

use chrono::{DateTime, Utc};

use crate::domain::{Difficulty, Role, RunStatus, Verdict};
use crate::runs::results::TestResult;
use crate::runs::views::RunView;
use crate::timeline::event::{SignalData, SignalKind};

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

/// What the integrity signals section says before listing them.
pub const SIGNALS_INTRO: &str = "What the candidate's browser reported, and large edits the server noticed, at server \
     times. They are observations to talk through with the candidate, not findings: a paste may be their own \
     snippet, a hidden tab a look at documentation the interview allowed.";

/// What was observed, in a sentence without a verdict.
pub fn signal_label(signal: &SignalData) -> String {
    let chars = |length: Option<u64>| length.map_or_else(|| "text".to_owned(), |n| format!("{n} characters"));
    let after = |what: &str| signal.duration_ms.map_or_else(String::new, |ms| format!(" after {} {what}", elapsed(ms)));
    match signal.kind {
        SignalKind::Paste => {
            let origin = match signal.external {
                Some(true) => ", not copied from this interview's editor",
                Some(false) => ", copied from this interview's editor",
                None => "",
            };
            format!("Pasted {} into the editor{origin}", chars(signal.length))
        }
        SignalKind::TabHidden => "The interview page was hidden (another tab or window in front)".into(),
        SignalKind::TabVisible => format!("The interview page was shown again{}", after("hidden")),
        SignalKind::FocusLost => "The interview window lost the focus".into(),
        SignalKind::FocusGained => format!("The interview window got the focus back{}", after("without it")),
        SignalKind::Copy => {
            let share = signal.share.map_or_else(String::new, |share| format!(" ({:.0} % of the code)", share * 100.0));
            format!("Copied {} from the editor{share}", chars(signal.length))
        }
        SignalKind::LargeInsert => {
            format!("{} arrived in one edit with no paste reported just before", chars(signal.length))
        }
    }
}

/// A duration given in milliseconds, in the summary's words.
fn elapsed(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        super::text::human_duration(i64::try_from(ms / 1000).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(kind: SignalKind) -> SignalData {
        SignalData { kind, length: None, external: None, share: None, duration_ms: None }
    }

    #[test]
    fn signals_are_said_as_what_was_observed() {
        let paste = SignalData { length: Some(1200), external: Some(true), ..signal(SignalKind::Paste) };
        assert_eq!(
            signal_label(&paste),
            "Pasted 1200 characters into the editor, not copied from this interview's editor"
        );
        let back = SignalData { duration_ms: Some(75_000), ..signal(SignalKind::TabVisible) };
        assert_eq!(signal_label(&back), "The interview page was shown again after 1 min 15 s hidden");
        let focus = SignalData { duration_ms: Some(400), ..signal(SignalKind::FocusGained) };
        assert_eq!(signal_label(&focus), "The interview window got the focus back after 400 ms without it");
        let copy = SignalData { length: Some(90), share: Some(0.875), ..signal(SignalKind::Copy) };
        assert_eq!(signal_label(&copy), "Copied 90 characters from the editor (88 % of the code)");
        assert_eq!(
            signal_label(&SignalData::large_insert(300)),
            "300 characters arrived in one edit with no paste reported just before"
        );
        assert_eq!(signal_label(&signal(SignalKind::Paste)), "Pasted text into the editor");
    }
}
