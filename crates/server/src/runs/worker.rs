//! Workers: claim a queued run, execute it in the sandbox while streaming its events to the
//! room, keep a heartbeat, store the result. The reaper fails runs whose worker died (no
//! heartbeat): a run is executed at most once, and every accepted run ends with a status.
//! On shutdown the workers drain: they claim nothing more, let runs in flight finish for a
//! grace period, then cancel the rest, so each is stored with a status at once.

use std::time::Duration;

use chrono::Utc;
use codeview_runner::{Job, RunEvent};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::RunService;
use super::results::{CaseSpec, RunResult, case_status, coarse_outcome, is_hidden};
use super::run_metrics;
use super::views::RunDigest;
use crate::db::RunRecord;
use crate::domain::{RunMode, RunStatus};
use crate::realtime::room_events::{Audience, PROTOCOL_VERSION as V, RoomEvent};

/// How often a running run proves its worker is alive (and learns whether a cancel was asked
/// from another process), and after how long without proof it counts as abandoned.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(2);
const ABANDONED_AFTER: Duration = Duration::from_secs(30);
/// How often idle workers look at the queue for runs queued by other processes.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// Who a run cancelled by a shutdown was cancelled by ("Cancelled by …").
const SHUTDOWN: &str = "the server, which was shutting down";
/// How long a cancelled run may take to store its result before its task is aborted.
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// The worker tasks of this process.
pub struct Workers {
    pub(super) service: RunService,
    pub(super) workers: Vec<JoinHandle<()>>,
    pub(super) reaper: JoinHandle<()>,
}

impl Workers {
    /// Stops claiming runs, waits up to `grace` for runs in flight, cancels what still runs
    /// (stored as `cancelled`), and ends every task.
    pub async fn drain(self, grace: Duration) {
        self.service.stopping.send_replace(true);
        let mut workers = futures_util::future::join_all(self.workers);
        if tokio::time::timeout(grace, &mut workers).await.is_err() {
            let cancelled = self.service.cancels.cancel_all(SHUTDOWN);
            tracing::warn!(cancelled, "runs still executing at shutdown were cancelled");
            if tokio::time::timeout(CANCEL_GRACE, &mut workers).await.is_err() {
                tracing::warn!("workers did not stop in time: their runs will be failed by the reaper");
            }
        }
        self.reaper.abort();
    }
}

pub async fn run_worker(service: RunService, n: usize) {
    let worker = format!("{}-{}-{n}", hostname(), std::process::id());
    let mut stopping = service.stopping.subscribe();
    loop {
        if *stopping.borrow_and_update() {
            return;
        }
        let waiting = service.wake.notified();
        match service.store.claim_run(&worker, Utc::now()).await {
            Ok(Some(run)) => execute(&service, run).await,
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::timeout(POLL_EVERY, waiting) => {}
                    _ = stopping.changed() => {}
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "claiming a run failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

pub async fn reap_abandoned(service: RunService) {
    let result = serde_json::to_string(&RunResult {
        message: Some("The worker running this stopped (server restart?). Run it again.".into()),
        ..RunResult::default()
    })
    .expect("serialises");
    loop {
        let now = Utc::now();
        let stale_before = now - chrono::Duration::from_std(ABANDONED_AFTER).expect("small duration");
        match service.store.fail_abandoned_runs(stale_before, &result, now).await {
            Ok(runs) => {
                for (id, language) in runs {
                    tracing::warn!(run_id = %id, "failed an abandoned run");
                    service.announce_finished(id);
                    run_metrics::finished(&language, RunStatus::InternalError);
                }
            }
            Err(err) => tracing::warn!(error = %err, "reaping abandoned runs failed"),
        }
        tokio::time::sleep(HEARTBEAT_EVERY).await;
    }
}

async fn execute(service: &RunService, run: RunRecord) {
    let run_id = run.id;
    let interview = run.interview_id;
    let audience = Audience::of_run(run.interviewers_only);
    run_metrics::started(run.created_at, run.started_at.unwrap_or_else(Utc::now));
    service.events.publish(interview, audience, &RoomEvent::RunStarted { v: V, run_id });
    let (status, result) = match prepare(&run) {
        Ok((job, cases)) => run_job(service, &run, job, &cases).await,
        Err(message) => (RunStatus::InternalError, RunResult { message: Some(message), ..RunResult::default() }),
    };
    let json = serde_json::to_string(&result).expect("results serialise");
    let digest = serde_json::to_string(&RunDigest::of(status, &result)).expect("digests serialise");
    if let Err(err) = service.store.finish_run(run_id, status, &json, &digest, Utc::now()).await {
        tracing::error!(error = %err, %run_id, "storing a run result failed");
    }
    let finished = |status: RunStatus| RoomEvent::RunFinished { v: V, run_id, status, verdict: result.verdict };
    let public = finished(result.headline(status, false).status);
    service.events.publish_run(interview, run.interviewers_only, &finished(status), &public);
    service.announce_finished(run_id);
    run_metrics::finished(run.language.as_str(), status);
}

/// The stored result of a cancelled run.
pub fn cancelled_result(by: &str) -> RunResult {
    RunResult { message: Some(format!("Cancelled by {by}.")), ..RunResult::default() }
}

fn prepare(run: &RunRecord) -> Result<(Job, Vec<CaseSpec>), String> {
    let language = run.language;
    let cases: Vec<CaseSpec> = serde_json::from_str(&run.cases).map_err(|e| format!("stored test cases: {e}"))?;
    let mut job = if run.mode == RunMode::Test {
        let pairs = cases.iter().map(|c| (c.input.clone().into_bytes(), c.expected_output.clone())).collect();
        let mut job = Job::test(language, run.code.clone(), pairs);
        for (case, spec) in job.cases.iter_mut().zip(&cases) {
            case.ordered = spec.ordered;
        }
        job
    } else {
        Job::run(language, run.code.clone(), run.stdin.clone().into_bytes())
    };
    job.setup = run.setup_sql.clone();
    Ok((job, cases))
}

/// Runs the job to its end, or until someone cancels it (dropping the execution kills and
/// cleans up the sandbox). Returns the status to store and the result.
async fn run_job(service: &RunService, run: &RunRecord, job: Job, cases: &[CaseSpec]) -> (RunStatus, RunResult) {
    let (runner, isolation) = match service.runner_for_runs().await {
        Ok(sandbox) => sandbox,
        Err(message) => {
            let result = RunResult { message: Some(message.into()), ..RunResult::default() };
            return (RunStatus::InternalError, result);
        }
    };
    let mut cancel = service.cancels.watch(run.id);
    let (tx, mut rx) = mpsc::channel(256);
    let execution = runner.execute(job, tx);
    tokio::pin!(execution);
    let mut heartbeat = tokio::time::interval(HEARTBEAT_EVERY);
    let sandbox_started = std::time::Instant::now();
    let outcome = loop {
        tokio::select! {
            outcome = &mut execution => break Ok(outcome),
            Some(event) = rx.recv() => forward(service, run, cases, event),
            Ok(by) = &mut cancel.requested => break Err(by),
            _ = heartbeat.tick() => match service.store.heartbeat_run(run.id, Utc::now()).await {
                Ok(Some(by)) => break Err(by),
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, run_id = %run.id, "run heartbeat failed"),
            },
        }
    };
    while let Ok(event) = rx.try_recv() {
        forward(service, run, cases, event);
    }
    match outcome {
        Ok(Ok(outcome)) => {
            run_metrics::executed(sandbox_started.elapsed(), &outcome);
            let (status, mut result) = RunResult::judge(&outcome, run.mode == RunMode::Test, cases);
            result.isolation = Some(isolation);
            (status, result)
        }
        Ok(Err(err)) => {
            tracing::warn!(error = %err, run_id = %run.id, "the runner refused a run");
            let result = RunResult { message: Some(err.to_string()), ..RunResult::default() };
            (RunStatus::InternalError, result)
        }
        Err(by) => {
            tracing::info!(run_id = %run.id, "run cancelled");
            (RunStatus::Cancelled, cancelled_result(&by))
        }
    }
}

/// Streams one runner event to the room. Output of hidden test cases goes to interviewers
/// only; of a hidden case's end, others learn pass/fail and a coarse reason.
fn forward(service: &RunService, run: &RunRecord, cases: &[CaseSpec], event: RunEvent) {
    let run_id: Uuid = run.id;
    let audience = Audience::of_run(run.interviewers_only);
    // A plain run has no cases to hide; in a test run, a case without its spec is hidden.
    let hidden = |case: usize| run.mode == RunMode::Test && is_hidden(cases, case);
    match event {
        RunEvent::Output { case, stream, text } => {
            let audience = if case.is_some_and(hidden) { Audience::Interviewers } else { audience };
            let event = RoomEvent::RunOutput { v: V, run_id, case, stream: stream.into(), text };
            service.events.publish(run.interview_id, audience, &event);
        }
        RunEvent::CaseFinished { case, status, time_ms, memory_kb, passed } => {
            let status = case_status(status);
            let (coarse, reason) = coarse_outcome(status, passed);
            let full =
                RoomEvent::RunCase { v: V, run_id, case, status, passed, reason, time_ms: Some(time_ms), memory_kb };
            let redacted = if hidden(case) {
                RoomEvent::RunCase {
                    v: V,
                    run_id,
                    case,
                    status: coarse,
                    passed,
                    reason,
                    time_ms: None,
                    memory_kb: None,
                }
            } else {
                full.clone()
            };
            service.events.publish_run(run.interview_id, run.interviewers_only, &full, &redacted);
        }
        RunEvent::CompileStarted | RunEvent::CompileFinished { .. } | RunEvent::CaseStarted { .. } => {}
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "host".into())
}
