//! The stored result of a run (JSON in the `result` column) and the API's view of a run,
//! which hides the content of hidden test cases from candidates and observers: they learn
//! pass/fail, time and memory, never the input, the expected or the actual output.

use chrono::{DateTime, Utc};
use codeview_runner::Outcome;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::RunRecord;
use crate::domain::Role;

/// A test case as frozen into a run when it is queued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseSpec {
    pub test_case_id: Option<Uuid>,
    pub input: String,
    pub expected_output: String,
    pub hidden: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RunResult {
    /// `passed` or `failed` in test mode.
    pub verdict: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub time_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    pub compile_output: Option<String>,
    pub message: Option<String>,
    pub tests: Vec<TestResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TestResult {
    pub index: usize,
    pub test_case_id: Option<Uuid>,
    pub hidden: bool,
    pub status: String,
    pub passed: Option<bool>,
    pub time_ms: u64,
    pub memory_kb: Option<u64>,
    /// Absent for hidden cases when the viewer is a candidate or an observer.
    pub input: Option<String>,
    pub expected_output: Option<String>,
    pub actual_output: Option<String>,
    pub stderr: Option<String>,
}

impl RunResult {
    /// The result of a finished job; `cases` are the specs the job ran (test mode), in order.
    pub fn from_outcome(outcome: &Outcome, test_mode: bool, cases: &[CaseSpec]) -> RunResult {
        let compile_output =
            outcome.compile.as_ref().map(|c| format!("{}{}", c.stdout, c.stderr)).filter(|s| !s.is_empty());
        let first = outcome.first_case();
        let tests = if test_mode {
            outcome
                .cases
                .iter()
                .map(|case| {
                    let spec = cases.get(case.case);
                    TestResult {
                        index: case.case,
                        test_case_id: spec.and_then(|s| s.test_case_id),
                        hidden: spec.is_some_and(|s| s.hidden),
                        status: case.step.status.as_str().to_owned(),
                        passed: case.passed,
                        time_ms: case.step.time_ms,
                        memory_kb: case.step.memory_kb,
                        input: spec.map(|s| s.input.clone()),
                        expected_output: spec.map(|s| s.expected_output.clone()),
                        actual_output: Some(case.step.stdout.clone()),
                        stderr: Some(case.step.stderr.clone()),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        RunResult {
            verdict: outcome.all_passed.map(|ok| if ok { "passed" } else { "failed" }.to_owned()),
            stdout: if test_mode { String::new() } else { first.map(|c| c.step.stdout.clone()).unwrap_or_default() },
            stderr: if test_mode { String::new() } else { first.map(|c| c.step.stderr.clone()).unwrap_or_default() },
            exit_code: first.and_then(|c| c.step.exit_code),
            signal: first.and_then(|c| c.step.signal),
            time_ms: if test_mode {
                outcome.cases.iter().map(|c| c.step.time_ms).max()
            } else {
                first.map(|c| c.step.time_ms)
            },
            memory_kb: outcome.cases.iter().filter_map(|c| c.step.memory_kb).max(),
            compile_output,
            message: outcome.message.clone(),
            tests,
        }
    }

    /// What `role` may see.
    pub fn for_viewer(mut self, role: Role) -> RunResult {
        if !role.is_interviewer() {
            for test in self.tests.iter_mut().filter(|t| t.hidden) {
                test.input = None;
                test.expected_output = None;
                test.actual_output = None;
                test.stderr = None;
            }
        }
        self
    }
}

/// A run as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunView {
    pub id: Uuid,
    pub interview_id: Uuid,
    pub status: String,
    pub language: String,
    pub mode: String,
    /// Who asked for the run: their participant id (lets a client tell its own runs) and name.
    pub participant_id: Uuid,
    pub requested_by: String,
    pub question_id: Option<Uuid>,
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
        let result: RunResult =
            record.result.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
        RunView {
            id: record.id,
            interview_id: record.interview_id,
            status: record.status,
            language: record.language,
            mode: record.mode,
            participant_id: record.participant_id,
            requested_by: record.requested_by,
            question_id: record.question_id,
            code: record.code,
            stdin: record.stdin,
            created_at: record.created_at,
            started_at: record.started_at,
            finished_at: record.finished_at,
            result: result.for_viewer(role),
        }
    }

    pub fn is_finished(&self) -> bool {
        !matches!(self.status.as_str(), "queued" | "running")
    }
}
