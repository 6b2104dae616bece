//! The stored result of a run (JSON in the `result` column), built once from the sandbox's
//! outcome, and the few facts at its top (`Headline`) as each audience may see them.
//!
//! Two rules shape it. A test program's output is attacker text: a compile error comes only
//! from the compile step, never from what a test printed. And stored output is bounded: a run
//! keeps at most [`MAX_STORED_OUTPUT_BYTES`] of output (measured as stored, JSON-escaped),
//! the visible cases' first, cut with a visible marker and flagged, so neither the database
//! nor a history fetch grows with what a program prints.

use codeview_runner::{CaseOutcome, Outcome, Status};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::isolation::RunIsolation;
use crate::domain::{ExceededLimit, FailureReason, RunStatus, Verdict};

/// Output a run keeps, across the compiler, every case and both streams.
pub const MAX_STORED_OUTPUT_BYTES: usize = 1024 * 1024;
/// Ends output that was cut to fit [`MAX_STORED_OUTPUT_BYTES`].
pub const TRUNCATION_MARKER: &str = "\n[output truncated: a run keeps at most 1 MiB of output]\n";

/// A test case as frozen into a run when it is queued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseSpec {
    pub test_case_id: Option<Uuid>,
    pub input: String,
    pub expected_output: String,
    pub hidden: bool,
    /// SQL answers: whether the rows must come in the expected order.
    #[serde(default = "crate::db::ordered_by_default")]
    pub ordered: bool,
}

/// Whether case `index` of a run is hidden. A case without its spec counts as hidden: the
/// one rule for the stored result and the live events, failing closed.
pub fn is_hidden(cases: &[CaseSpec], index: usize) -> bool {
    cases.get(index).is_none_or(|spec| spec.hidden)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RunResult {
    /// The verdict in test mode (counts every case, hidden ones included).
    pub verdict: Option<Verdict>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub time_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    pub compile_output: Option<String>,
    pub message: Option<String>,
    /// The limit that ended the run (for the `*_limit` statuses).
    #[serde(default)]
    pub limit: Option<ExceededLimit>,
    /// Some of the compiler's or the run's output (outside test cases) was cut to fit.
    #[serde(default)]
    pub output_truncated: bool,
    pub tests: Vec<TestResult>,
    /// The sandbox's isolation the run executed under (null if it never executed). Only
    /// interviewers see it; it is null for everyone else.
    #[serde(default)]
    pub isolation: Option<RunIsolation>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TestResult {
    pub index: usize,
    pub test_case_id: Option<Uuid>,
    pub hidden: bool,
    /// For a hidden case seen by a candidate or an observer, only the coarse outcome:
    /// `finished`, `time_limit`, `memory_limit` or `runtime_error`.
    pub status: RunStatus,
    pub passed: Option<bool>,
    /// Why the case failed, coarsely.
    #[serde(default)]
    pub reason: Option<FailureReason>,
    pub time_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default)]
    pub signal: Option<i32>,
    /// The limit that ended this case (for the `*_limit` statuses).
    #[serde(default)]
    pub limit: Option<ExceededLimit>,
    /// Whether this case's output was cut to fit the run's stored output.
    #[serde(default)]
    pub output_truncated: bool,
    /// The case's input and expected output: not stored here (the run keeps its cases), filled
    /// in for viewers who may see them.
    #[serde(default)]
    pub input: Option<String>,
    #[serde(default)]
    pub expected_output: Option<String>,
    pub actual_output: Option<String>,
    pub stderr: Option<String>,
    /// Why a SQL result did not match the expected table, readably (columns, rows missing or
    /// unexpected, the first differing row). Never shown for a hidden case to who may not see it.
    #[serde(default)]
    pub diff: Option<String>,
}

/// The facts at the top of a run, as one audience sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub status: RunStatus,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub time_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    pub message: Option<String>,
    #[serde(default)]
    pub limit: Option<ExceededLimit>,
    pub output_truncated: bool,
}

impl RunResult {
    /// Judges a finished job: the status to store and the result. `cases` are the specs the
    /// job ran (test mode), in order.
    pub fn judge(outcome: &Outcome, test_mode: bool, cases: &[CaseSpec]) -> (RunStatus, RunResult) {
        let mut budget = OutputBudget::new(MAX_STORED_OUTPUT_BYTES);
        let mut truncated = false;
        let compile_output = outcome.compile.as_ref().map(|c| format!("{}{}", c.stdout, c.stderr)).and_then(|text| {
            let (kept, cut) = budget.keep(&text);
            truncated |= cut;
            (!kept.is_empty()).then_some(kept)
        });
        let mut result = RunResult { verdict: Verdict::of(outcome.all_passed), compile_output, ..RunResult::default() };
        if outcome.cases.is_empty() {
            // Nothing ran (a compile error, or the sandbox failed): the message comes from
            // the compile step or the runner, never from a program.
            result.message = outcome.message.clone();
            result.output_truncated = truncated;
            return (outcome.status.into(), result);
        }
        if test_mode {
            let hidden = |case: &CaseOutcome| is_hidden(cases, case.case);
            // Visible cases take the budget first: a hidden case's output size must not decide
            // what a candidate sees of the others.
            let (visible, secret): (Vec<&CaseOutcome>, Vec<&CaseOutcome>) =
                outcome.cases.iter().partition(|case| !hidden(case));
            let mut tests: Vec<TestResult> =
                visible.into_iter().map(|case| test_result(case, cases, false, &mut budget)).collect();
            tests.extend(secret.into_iter().map(|case| test_result(case, cases, true, &mut budget)));
            tests.sort_by_key(|t| t.index);
            result.tests = tests;
            result.output_truncated = truncated;
            let headline = Headline::of_cases(&result.tests, truncated);
            result.set_headline(&headline);
            return (headline.status, result);
        }
        let only = &outcome.cases[0];
        let (stdout, stdout_cut) = budget.keep(&only.step.stdout);
        let (stderr, stderr_cut) = budget.keep(&only.step.stderr);
        result.stdout = stdout;
        result.stderr = stderr;
        result.output_truncated = truncated || stdout_cut || stderr_cut;
        result.exit_code = only.step.exit_code;
        result.signal = only.step.signal;
        result.time_ms = Some(only.step.time_ms);
        result.memory_kb = only.step.memory_kb;
        result.limit = only.step.limit.map(ExceededLimit::from);
        (case_status(only.step.status), result)
    }

    /// The top of the run for a viewer who does or does not see hidden test cases; the
    /// stored `status` is the interviewers' one.
    pub fn headline(&self, stored_status: RunStatus, sees_hidden: bool) -> Headline {
        if !sees_hidden && self.tests.iter().any(|t| t.hidden) {
            let visible: Vec<TestResult> = self.tests.iter().filter(|t| !t.hidden).cloned().collect();
            return Headline::of_cases(&visible, self.output_truncated);
        }
        Headline {
            status: stored_status,
            exit_code: self.exit_code,
            signal: self.signal,
            time_ms: self.time_ms,
            memory_kb: self.memory_kb,
            message: self.message.clone(),
            limit: self.limit,
            output_truncated: self.output_truncated || self.tests.iter().any(|t| t.output_truncated),
        }
    }

    /// Writes the top of the run a viewer sees (its `output_truncated` stays the caller's:
    /// the stored flag means "cut outside the test cases").
    pub(crate) fn set_headline(&mut self, headline: &Headline) {
        self.exit_code = headline.exit_code;
        self.signal = headline.signal;
        self.time_ms = headline.time_ms;
        self.memory_kb = headline.memory_kb;
        self.message = headline.message.clone();
        self.limit = headline.limit;
    }

    /// Tests passed and run, in test mode.
    pub fn tally(&self) -> Option<(usize, usize)> {
        (!self.tests.is_empty())
            .then(|| (self.tests.iter().filter(|t| t.passed == Some(true)).count(), self.tests.len()))
    }
}

impl Headline {
    /// The top of a test run made of `tests`: the first case that did not finish gives the
    /// status and the limit it hit, the first case its exit code, the largest time and memory
    /// theirs.
    fn of_cases(tests: &[TestResult], truncated_outside_cases: bool) -> Headline {
        let failed = tests.iter().find(|t| t.status != RunStatus::Finished);
        let first = tests.first();
        Headline {
            status: failed.map_or(RunStatus::Finished, |t| t.status),
            exit_code: first.and_then(|t| t.exit_code),
            signal: first.and_then(|t| t.signal),
            time_ms: tests.iter().filter_map(|t| t.time_ms).max(),
            memory_kb: tests.iter().filter_map(|t| t.memory_kb).max(),
            message: None,
            limit: failed.and_then(|t| t.limit),
            output_truncated: truncated_outside_cases || tests.iter().any(|t| t.output_truncated),
        }
    }
}

impl TestResult {
    /// What a candidate or an observer may know of a hidden case: passed or not, and why not.
    pub fn redact(&mut self) {
        (self.status, self.reason) = coarse_outcome(self.status, self.passed);
        self.time_ms = None;
        self.memory_kb = None;
        self.exit_code = None;
        self.signal = None;
        self.limit = None;
        self.output_truncated = false;
        self.input = None;
        self.expected_output = None;
        self.actual_output = None;
        self.stderr = None;
        self.diff = None;
    }
}

fn test_result(case: &CaseOutcome, cases: &[CaseSpec], hidden: bool, budget: &mut OutputBudget) -> TestResult {
    let status = case_status(case.step.status);
    let (actual_output, stdout_cut) = budget.keep(&case.step.stdout);
    let (stderr, stderr_cut) = budget.keep(&case.step.stderr);
    let (diff, diff_cut) =
        case.diff.as_deref().map(|d| budget.keep(d)).map_or((None, false), |(d, cut)| (Some(d), cut));
    TestResult {
        index: case.case,
        test_case_id: cases.get(case.case).and_then(|s| s.test_case_id),
        hidden,
        status,
        passed: case.passed,
        reason: coarse_outcome(status, case.passed).1,
        time_ms: Some(case.step.time_ms),
        memory_kb: case.step.memory_kb,
        exit_code: case.step.exit_code,
        signal: case.step.signal,
        limit: case.step.limit.map(ExceededLimit::from),
        output_truncated: stdout_cut || stderr_cut || diff_cut,
        input: None,
        expected_output: None,
        actual_output: Some(actual_output),
        stderr: Some(stderr),
        diff,
    }
}

/// A case's status as judged here: a program cannot make a compile error by printing one
/// (what it wrote to stderr is its own text), so that is a runtime error.
pub fn case_status(status: Status) -> RunStatus {
    if status == Status::CompileError { RunStatus::RuntimeError } else { status.into() }
}

/// The coarse `(status, reason)` of a case: all a hidden case tells candidates and observers.
pub fn coarse_outcome(status: RunStatus, passed: Option<bool>) -> (RunStatus, Option<FailureReason>) {
    match status {
        _ if passed == Some(true) => (RunStatus::Finished, None),
        RunStatus::Finished => (RunStatus::Finished, Some(FailureReason::WrongAnswer)),
        RunStatus::TimeLimit => (RunStatus::TimeLimit, Some(FailureReason::Time)),
        RunStatus::MemoryLimit => (RunStatus::MemoryLimit, Some(FailureReason::Memory)),
        _ => (RunStatus::RuntimeError, Some(FailureReason::Crash)),
    }
}

/// What is left of a run's stored output, counted as stored (JSON-escaped): a program that
/// prints control characters must not store six times the limit.
struct OutputBudget {
    left: usize,
}

impl OutputBudget {
    fn new(bytes: usize) -> OutputBudget {
        OutputBudget { left: bytes }
    }

    /// The part of `text` that fits (with the marker when cut), and whether it was cut.
    fn keep(&mut self, text: &str) -> (String, bool) {
        let mut used = 0;
        for (at, c) in text.char_indices() {
            let cost = escaped_len(c);
            if used + cost > self.left {
                self.left = 0;
                return (format!("{}{TRUNCATION_MARKER}", &text[..at]), true);
            }
            used += cost;
        }
        self.left -= used;
        (text.to_owned(), false)
    }
}

/// The length of `c` in a JSON string as serde_json writes it.
fn escaped_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeview_runner::{StepOutcome, TimeKind};

    fn step(status: Status, stdout: &str, stderr: &str, exit_code: i32, time_ms: u64, memory_kb: u64) -> StepOutcome {
        StepOutcome {
            status,
            exit_code: Some(exit_code),
            signal: None,
            stdout: stdout.into(),
            stderr: stderr.into(),
            stdout_truncated: false,
            stderr_truncated: false,
            time_ms,
            time_kind: TimeKind::Cpu,
            wall_ms: time_ms,
            memory_kb: Some(memory_kb),
            message: None,
            limit: None,
        }
    }

    fn spec(hidden: bool) -> CaseSpec {
        CaseSpec { test_case_id: None, input: "in".into(), expected_output: "out".into(), hidden, ordered: true }
    }

    /// Hidden case 0 prints a fake syntax error, exits with a secret code and uses lots of
    /// memory and time; visible case 1 passes quietly. (The runner of old relabelled such a
    /// case a compile error and stopped.)
    fn leaky_outcome() -> Outcome {
        Outcome {
            status: Status::CompileError,
            compile: None,
            cases: vec![
                CaseOutcome {
                    case: 0,
                    step: step(Status::CompileError, "", "SyntaxError: SECRET", 83, 1234, 99_000),
                    passed: Some(false),
                    diff: None,
                },
                CaseOutcome {
                    case: 1,
                    step: step(Status::Finished, "out", "", 0, 10, 8_000),
                    passed: Some(true),
                    diff: None,
                },
            ],
            all_passed: Some(false),
            message: Some("SyntaxError: SECRET".into()),
        }
    }

    #[test]
    fn a_programs_stderr_never_makes_a_compile_error_or_a_message() {
        let (status, result) = RunResult::judge(&leaky_outcome(), true, &[spec(true), spec(false)]);
        assert_eq!(status, RunStatus::RuntimeError);
        assert_eq!(result.message, None);
        assert_eq!(result.tests[0].status, RunStatus::RuntimeError);
    }

    #[test]
    fn the_top_of_a_run_comes_from_visible_cases_for_candidates() {
        let (status, result) = RunResult::judge(&leaky_outcome(), true, &[spec(true), spec(false)]);
        let public = result.headline(status, false);
        assert_eq!(public.status, RunStatus::Finished);
        assert_eq!((public.exit_code, public.time_ms, public.memory_kb), (Some(0), Some(10), Some(8_000)));
        let full = result.headline(status, true);
        assert_eq!((full.exit_code, full.time_ms, full.memory_kb), (Some(83), Some(1234), Some(99_000)));
        assert_eq!(result.verdict, Some(Verdict::Failed), "the verdict counts every case");
    }

    #[test]
    fn a_redacted_hidden_case_keeps_only_pass_fail_and_a_coarse_reason() {
        let (_, mut result) = RunResult::judge(&leaky_outcome(), true, &[spec(true), spec(false)]);
        result.tests[0].redact();
        let shown = serde_json::to_string(&result.tests[0]).unwrap();
        assert!(!shown.contains("SECRET") && !shown.contains("83") && !shown.contains("99000"), "{shown}");
        assert_eq!(
            (result.tests[0].status, result.tests[0].reason),
            (RunStatus::RuntimeError, Some(FailureReason::Crash))
        );
    }

    #[test]
    fn a_sql_diff_is_kept_for_a_case_and_dropped_by_the_redaction() {
        let mut outcome = leaky_outcome();
        outcome.cases[0].diff = Some("Missing rows:\n  'SECRET', 1".into());
        outcome.cases[1].diff = Some("visible diff".into());
        let (_, mut result) = RunResult::judge(&outcome, true, &[spec(true), spec(false)]);
        assert_eq!(result.tests[1].diff.as_deref(), Some("visible diff"));
        assert!(result.tests[0].diff.as_deref().is_some_and(|d| d.contains("SECRET")), "interviewers see it");
        result.tests[0].redact();
        assert_eq!(result.tests[0].diff, None);
        assert!(!serde_json::to_string(&result.tests[0]).unwrap().contains("SECRET"));
    }

    #[test]
    fn the_limit_that_ended_a_run_reaches_its_top_and_its_cases_but_not_a_hidden_cases_redaction() {
        use crate::domain::LimitKind;
        let wall = codeview_runner::ExceededLimit { kind: codeview_runner::LimitKind::WallTime, value: 5_000 };
        let mut slow = step(Status::TimeLimit, "", "", 0, 12, 8_000);
        slow.limit = Some(wall);
        let plain = Outcome {
            status: Status::TimeLimit,
            compile: None,
            cases: vec![CaseOutcome { case: 0, step: slow.clone(), passed: None, diff: None }],
            all_passed: None,
            message: None,
        };
        let expected = Some(ExceededLimit { kind: LimitKind::WallTime, value: 5_000 });
        let (status, result) = RunResult::judge(&plain, false, &[]);
        assert_eq!((status, result.limit), (RunStatus::TimeLimit, expected));

        let tests = Outcome {
            status: Status::TimeLimit,
            compile: None,
            cases: vec![
                CaseOutcome {
                    case: 0,
                    step: step(Status::Finished, "out", "", 0, 10, 8_000),
                    passed: Some(true),
                    diff: None,
                },
                CaseOutcome { case: 1, step: slow, passed: Some(false), diff: None },
            ],
            all_passed: Some(false),
            message: None,
        };
        let (status, mut result) = RunResult::judge(&tests, true, &[spec(false), spec(true)]);
        assert_eq!(result.headline(status, true).limit, expected, "interviewers see why the run ended");
        assert_eq!(result.headline(status, false).limit, None, "the visible cases all finished");
        assert_eq!(result.tests[1].limit, expected);
        result.tests[1].redact();
        assert_eq!(result.tests[1].limit, None);
    }

    #[test]
    fn coarse_reasons_say_only_wrong_answer_time_memory_or_crash() {
        let table = [
            (Status::Finished, Some(true), (RunStatus::Finished, None)),
            (Status::Finished, Some(false), (RunStatus::Finished, Some(FailureReason::WrongAnswer))),
            (Status::TimeLimit, Some(false), (RunStatus::TimeLimit, Some(FailureReason::Time))),
            (Status::MemoryLimit, Some(false), (RunStatus::MemoryLimit, Some(FailureReason::Memory))),
            (Status::OutputLimit, Some(false), (RunStatus::RuntimeError, Some(FailureReason::Crash))),
            (Status::InternalError, Some(false), (RunStatus::RuntimeError, Some(FailureReason::Crash))),
            (Status::CompileError, Some(false), (RunStatus::RuntimeError, Some(FailureReason::Crash))),
        ];
        for (status, passed, expected) in table {
            assert_eq!(coarse_outcome(case_status(status), passed), expected, "{status}");
        }
    }

    #[test]
    fn stored_output_is_bounded_across_cases_and_streams_with_a_marker() {
        let big = "x".repeat(MAX_STORED_OUTPUT_BYTES / 2 + 1);
        let cases: Vec<CaseOutcome> = (0..3)
            .map(|case| CaseOutcome {
                case,
                step: step(Status::Finished, &big, &big, 0, 1, 1),
                passed: Some(false),
                diff: None,
            })
            .collect();
        let outcome =
            Outcome { status: Status::Finished, compile: None, cases, all_passed: Some(false), message: None };
        let (_, result) = RunResult::judge(&outcome, true, &[spec(false), spec(false), spec(true)]);
        let json = serde_json::to_string(&result).unwrap();
        assert!(json.len() < MAX_STORED_OUTPUT_BYTES + 4096, "{} bytes", json.len());
        assert_eq!(result.tests[0].actual_output.as_deref(), Some(big.as_str()));
        assert!(result.tests[0].stderr.as_deref().unwrap().ends_with(TRUNCATION_MARKER));
        assert!(result.tests[0].output_truncated && result.headline(RunStatus::Finished, false).output_truncated);
    }

    #[test]
    fn escaped_output_counts_at_its_stored_size() {
        let controls = "\u{1}".repeat(MAX_STORED_OUTPUT_BYTES);
        let outcome = Outcome {
            status: Status::Finished,
            compile: None,
            cases: vec![CaseOutcome {
                case: 0,
                step: step(Status::Finished, &controls, "", 0, 1, 1),
                passed: None,
                diff: None,
            }],
            all_passed: None,
            message: None,
        };
        let (_, result) = RunResult::judge(&outcome, false, &[]);
        assert!(result.output_truncated);
        assert!(serde_json::to_string(&result).unwrap().len() < MAX_STORED_OUTPUT_BYTES + 4096);
    }

    #[test]
    fn hidden_output_never_crowds_out_visible_output() {
        let big = "x".repeat(MAX_STORED_OUTPUT_BYTES);
        let outcome = Outcome {
            status: Status::Finished,
            compile: None,
            cases: vec![
                CaseOutcome {
                    case: 0,
                    step: step(Status::Finished, &big, "", 0, 1, 1),
                    passed: Some(false),
                    diff: None,
                },
                CaseOutcome {
                    case: 1,
                    step: step(Status::Finished, "out", "", 0, 1, 1),
                    passed: Some(true),
                    diff: None,
                },
            ],
            all_passed: Some(false),
            message: None,
        };
        let (_, result) = RunResult::judge(&outcome, true, &[spec(true), spec(false)]);
        assert_eq!(result.tests[1].actual_output.as_deref(), Some("out"));
        assert!(!result.headline(RunStatus::Finished, false).output_truncated, "nothing a candidate sees was cut");
    }
}
