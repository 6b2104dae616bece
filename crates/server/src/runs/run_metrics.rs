//! What the operator graphs of code runs: runs by final status and language
//! (`codeview_runs_total`), how long runs wait in the queue before a worker takes them, how
//! long they spend in the sandbox (wall and CPU time), and how many wait now (a gauge read
//! from the store, so the same on every process: the queue is shared).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use codeview_runner::{Outcome, TimeKind};

use crate::db::Store;
use crate::domain::RunStatus;

/// Histogram: seconds from a run's queueing to its start in a worker.
pub const QUEUE_WAIT_SECONDS: &str = "codeview_run_queue_wait_seconds";
/// Histogram, labelled `time` (`wall`: the execution from sandbox start to end, compile
/// included; `cpu`: the CPU time the sandbox measured, when it can).
pub const SANDBOX_SECONDS: &str = "codeview_run_sandbox_seconds";
/// How often the queue's depth is read from the store.
pub const QUEUE_DEPTH_EVERY: Duration = Duration::from_secs(5);

/// A run ended with `status` (whoever ended it: its worker, a cancel while queued, the reaper).
pub fn finished(language: &str, status: RunStatus) {
    metrics::counter!("codeview_runs_total", "language" => language.to_owned(), "status" => status.as_str())
        .increment(1);
}

/// A worker took a run queued at `queued` and started it at `started`.
pub fn started(queued: DateTime<Utc>, started: DateTime<Utc>) {
    let waited = (started - queued).to_std().unwrap_or(Duration::ZERO);
    metrics::histogram!(QUEUE_WAIT_SECONDS).record(waited.as_secs_f64());
}

/// The sandbox executed a run for `wall` and reported `outcome`.
pub fn executed(wall: Duration, outcome: &Outcome) {
    metrics::histogram!(SANDBOX_SECONDS, "time" => "wall").record(wall.as_secs_f64());
    if let Some(cpu) = cpu_time(outcome) {
        metrics::histogram!(SANDBOX_SECONDS, "time" => "cpu").record(cpu.as_secs_f64());
    }
}

/// The CPU time of the run's steps (compile and cases), when the sandbox measured CPU time.
fn cpu_time(outcome: &Outcome) -> Option<Duration> {
    let steps = outcome.compile.iter().chain(outcome.cases.iter().map(|case| &case.step));
    let mut total = None;
    for step in steps.filter(|step| step.time_kind == TimeKind::Cpu) {
        *total.get_or_insert(0) += step.time_ms;
    }
    total.map(Duration::from_millis)
}

/// Sets `codeview_runs_queued` from the store every `QUEUE_DEPTH_EVERY`, for as long as the
/// task runs (every process that has a run service).
pub async fn watch_queue_depth(store: Arc<dyn Store>) {
    let mut due = tokio::time::interval(QUEUE_DEPTH_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        due.tick().await;
        match store.count_queued_runs().await {
            Ok(queued) => metrics::gauge!("codeview_runs_queued").set(queued as f64),
            Err(err) => tracing::warn!(error = %err, "counting the queued runs failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use codeview_runner::{CaseOutcome, Status, StepOutcome};

    use super::*;

    fn step(time_ms: u64, time_kind: TimeKind) -> StepOutcome {
        StepOutcome {
            status: Status::Finished,
            exit_code: Some(0),
            signal: None,
            stdout: String::new(),
            stderr: String::new(),
            stdout_truncated: false,
            stderr_truncated: false,
            time_ms,
            time_kind,
            wall_ms: time_ms,
            memory_kb: None,
            message: None,
            limit: None,
        }
    }

    fn outcome(compile: Option<StepOutcome>, cases: Vec<StepOutcome>) -> Outcome {
        let cases = cases
            .into_iter()
            .enumerate()
            .map(|(case, step)| CaseOutcome { case, step, passed: None, diff: None })
            .collect();
        Outcome { status: Status::Finished, compile, cases, all_passed: None, message: None }
    }

    #[test]
    fn cpu_time_adds_the_compile_and_every_case_measured_in_cpu_time() {
        let measured = outcome(Some(step(300, TimeKind::Cpu)), vec![step(20, TimeKind::Cpu), step(5, TimeKind::Cpu)]);
        assert_eq!(cpu_time(&measured), Some(Duration::from_millis(325)));
        let wall_only = outcome(None, vec![step(20, TimeKind::Wall)]);
        assert_eq!(cpu_time(&wall_only), None, "wall time is not CPU time");
    }
}
