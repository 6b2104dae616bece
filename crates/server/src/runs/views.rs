//! What the API shows of a run to one viewer: the full run (`RunView`, `GET /api/runs/{id}`)
//! and the history's summary (`RunSummary`), both built from the stored result through the
//! rules of `policy`. Candidates and observers see hidden cases as pass/fail and a coarse
//! reason, and a run's top computed from the visible cases only; only interviewers see the
//! sandbox's isolation the run executed under.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::results::{CaseSpec, Headline, RunResult};
use crate::db::{RunRecord, RunSummaryRecord};
use crate::domain::policy::{sees_hidden_cases, sees_sandbox_isolation};
use crate::domain::{Language, Role, RunMode, RunStatus, Verdict};

/// A run as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunView {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub status: RunStatus,
    pub language: Language,
    pub mode: RunMode,
    /// Who asked for the run: their participant id (lets a client tell its own runs) and name.
    pub participant_id: Uuid,
    pub requested_by: String,
    pub question_id: Option<Uuid>,
    /// An interviewer's run of their own code: only interviewers see it.
    pub interviewers_only: bool,
    pub code: String,
    pub stdin: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub result: RunResult,
}

impl RunView {
    pub fn new(record: RunRecord, role: Role) -> RunView {
        let mut result = stored_result(record.result.as_deref());
        let sees_hidden = sees_hidden_cases(role);
        let headline = result.headline(record.status, sees_hidden);
        let cases: Vec<CaseSpec> = serde_json::from_str(&record.cases).unwrap_or_default();
        for test in &mut result.tests {
            if test.hidden && !sees_hidden {
                test.redact();
            } else if let Some(spec) = cases.get(test.index) {
                test.input = Some(spec.input.clone());
                test.expected_output = Some(spec.expected_output.clone());
            }
        }
        result.set_headline(&headline);
        result.output_truncated = headline.output_truncated;
        if !sees_sandbox_isolation(role) {
            result.isolation = None;
        }
        RunView {
            id: record.id,
            interview_id: record.interview_id,
            status: headline.status,
            language: record.language,
            mode: record.mode,
            participant_id: record.participant_id,
            requested_by: record.requested_by,
            question_id: record.question_id,
            interviewers_only: record.interviewers_only,
            code: record.code,
            stdin: record.stdin,
            created_at: record.created_at,
            started_at: record.started_at,
            finished_at: record.finished_at,
            result,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.status.is_finished()
    }
}

/// A run in the history: who ran what and how it went, without code or output
/// (`GET /api/runs/{id}` has those).
#[derive(Debug, Serialize, ToSchema)]
pub struct RunSummary {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub status: RunStatus,
    pub language: Language,
    pub mode: RunMode,
    pub participant_id: Uuid,
    pub requested_by: String,
    pub question_id: Option<Uuid>,
    pub interviewers_only: bool,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub verdict: Option<Verdict>,
    pub time_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    /// Test cases passed and run (test mode).
    pub tests_passed: Option<usize>,
    pub tests_total: Option<usize>,
    /// Some of the output this viewer would see was cut to fit the stored limit.
    pub output_truncated: bool,
}

/// The history's facts of a finished run for both audiences, stored beside the result (the
/// `summary` column) so listing runs never reads their output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunDigest {
    verdict: Option<Verdict>,
    tally: Option<(usize, usize)>,
    interviewers: Headline,
    others: Headline,
}

impl RunDigest {
    pub fn of(stored_status: RunStatus, result: &RunResult) -> RunDigest {
        RunDigest {
            verdict: result.verdict,
            tally: result.tally(),
            interviewers: result.headline(stored_status, true),
            others: result.headline(stored_status, false),
        }
    }
}

impl RunSummary {
    pub fn new(record: RunSummaryRecord, role: Role) -> RunSummary {
        let stored = record.summary.as_deref().and_then(|json| match serde_json::from_str::<RunDigest>(json) {
            Ok(digest) => Some(digest),
            Err(err) => {
                tracing::warn!(error = %err, run_id = %record.id, "a stored run summary does not parse");
                None
            }
        });
        // Runs that never finished normally (queued, running, cancelled, failed by the reaper)
        // keep no digest, and their result is small or absent; runs finished before the digest
        // existed are summarised from their whole result.
        let digest = stored.unwrap_or_else(|| RunDigest::of(record.status, &stored_result(record.result.as_deref())));
        let headline = if sees_hidden_cases(role) { digest.interviewers } else { digest.others };
        RunSummary {
            id: record.id,
            interview_id: record.interview_id,
            status: headline.status,
            language: record.language,
            mode: record.mode,
            participant_id: record.participant_id,
            requested_by: record.requested_by,
            question_id: record.question_id,
            interviewers_only: record.interviewers_only,
            created_at: record.created_at,
            started_at: record.started_at,
            finished_at: record.finished_at,
            verdict: digest.verdict,
            time_ms: headline.time_ms,
            memory_kb: headline.memory_kb,
            tests_passed: digest.tally.map(|(passed, _)| passed),
            tests_total: digest.tally.map(|(_, total)| total),
            output_truncated: headline.output_truncated,
        }
    }
}

fn stored_result(json: Option<&str>) -> RunResult {
    json.and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}
