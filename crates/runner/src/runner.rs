//! The [`Runner`]: hands out a bounded number of slots, writes a job's source into a fresh
//! work dir, compiles once (its own sandboxed step and limits), then runs the program once per
//! case (each its own sandboxed step with a fresh /tmp) and gathers the [`Outcome`]. A SQL
//! job sets up each case's database in a step of its own before the query runs, and its
//! result is compared as a table (`table`).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{Receiver, Sender};

use crate::config::RunnerConfig;
use crate::error::{Error, Result};
use crate::interactive::{
    EndReason, InteractiveJob, InteractiveOutcome, TerminalEvent, TerminalInput, compile_end, compile_with_terminal,
    program_limits,
};
use crate::language::{self, Language, LanguageInfo, Resolved, SQL_SCHEMA_FILE};
use crate::limits::Limits;
use crate::outcome::{CaseOutcome, Outcome, RunEvent, Status, outputs_match};
use crate::sandbox::bwrap::BwrapBackend;
use crate::sandbox::pty::Pty;
use crate::sandbox::terminal::{Terminal, program_end};
use crate::sandbox::{Backend, SandboxCapabilities, StepSpec};
use crate::slots::SlotPool;
use crate::table::compare_tables;

/// One input for the program, with the output it should print (test mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The program's stdin; for SQL, the case's seed data (SQL statements run after the schema).
    pub stdin: Vec<u8>,
    /// Compared with trailing whitespace ignored ([`outputs_match`]), or for SQL as a table
    /// ([`compare_tables`](crate::compare_tables)); `None` in run mode.
    pub expected: Option<String>,
    /// SQL only: whether the result's rows must come in the expected order (otherwise they
    /// compare as a multiset).
    #[serde(default = "ordered_by_default")]
    pub ordered: bool,
}

fn ordered_by_default() -> bool {
    true
}

impl Default for Case {
    fn default() -> Self {
        Case { stdin: Vec::new(), expected: None, ordered: true }
    }
}

/// What to run: a program and one case (run mode) or several (test mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub language: Language,
    pub source: String,
    pub cases: Vec<Case>,
    /// Limits of each program run; `None` uses [`RunnerConfig::run_limits`].
    pub limits: Option<Limits>,
    /// SQL only: the question's schema (DDL, maybe shared rows), run before each case's seed
    /// data and the query. Refused for other languages.
    #[serde(default)]
    pub setup: Option<String>,
}

impl Job {
    /// Run mode: the program once, with `stdin`.
    pub fn run(language: Language, source: impl Into<String>, stdin: impl Into<Vec<u8>>) -> Self {
        Job {
            language,
            source: source.into(),
            cases: vec![Case { stdin: stdin.into(), ..Case::default() }],
            limits: None,
            setup: None,
        }
    }

    /// Test mode: the program once per `(stdin, expected stdout)` pair.
    pub fn test(language: Language, source: impl Into<String>, cases: Vec<(Vec<u8>, String)>) -> Self {
        Job {
            language,
            source: source.into(),
            cases: cases
                .into_iter()
                .map(|(stdin, expected)| Case { stdin, expected: Some(expected), ordered: true })
                .collect(),
            limits: None,
            setup: None,
        }
    }

    /// The SQL schema run before each case (SQL jobs).
    pub fn with_setup(mut self, setup: impl Into<String>) -> Self {
        self.setup = Some(setup.into());
        self
    }
}

/// Executes jobs in sandboxes. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: RunnerConfig,
    backend: Arc<dyn Backend>,
    tools: Resolved,
    /// Probed in the background from `new` (`java -version` alone takes ~100 ms); a caller
    /// that comes earlier waits for the probe.
    languages: OnceLock<Vec<LanguageInfo>>,
    /// Hands out clean slots, one per running job.
    slots: Arc<SlotPool>,
}

/// The toolchains of `cfg` found on this machine, under the directories the sandbox binds.
fn resolve_tools(cfg: &RunnerConfig) -> Resolved {
    let mut roots = vec![std::path::PathBuf::from("/usr")];
    roots.extend(cfg.extra_ro_binds.iter().cloned());
    Resolved::resolve(&cfg.toolchains, &roots)
}

/// Every language with its version, or why it is unavailable.
fn languages_of(tools: &Resolved) -> Vec<LanguageInfo> {
    let versions = language::probe_versions(tools);
    Language::ALL
        .into_iter()
        .map(|l| {
            let (version, reason) = match (tools.unavailable_reason(l), versions.get(&l)) {
                (Some(r), _) => (String::new(), Some(r.to_string())),
                (None, Some(Ok(v))) => (v.clone(), None),
                (None, Some(Err(e))) => (String::new(), Some(format!("version probe failed: {e}"))),
                (None, None) => (String::new(), Some("version probe failed".into())),
            };
            LanguageInfo { id: l.id().into(), name: l.name().into(), version, available: reason.is_none(), reason }
        })
        .collect()
}

impl Runner {
    /// Sets up the sandbox (work root, cgroups, stale leftovers of a crashed server) and checks
    /// it by running `/usr/bin/true` in it. Fails with a clear message if bwrap is missing or
    /// cannot create its namespaces.
    pub async fn new(cfg: RunnerConfig) -> Result<Runner> {
        cfg.validate()?;
        let backend: Arc<dyn Backend> = Arc::new(BwrapBackend::new(&cfg)?);
        let tools = resolve_tools(&cfg);
        let runner = Runner {
            inner: Arc::new(Inner {
                slots: SlotPool::new(backend.clone(), cfg.slots)?,
                cfg,
                backend,
                tools,
                languages: OnceLock::new(),
            }),
        };
        let prober = runner.clone();
        std::thread::spawn(move || {
            prober.languages();
        });
        runner.self_test().await?;
        Ok(runner)
    }

    async fn self_test(&self) -> Result<()> {
        let inner = &self.inner;
        let slot = inner.slots.acquire().await?;
        let job = inner.backend.prepare_job(slot.slot)?;
        let (tx, _rx) = tokio::sync::mpsc::channel(16);
        let cmd = language::Cmd { argv: vec!["/usr/bin/true".into()], env: vec![] };
        let out = inner
            .backend
            .run_step(
                &job,
                slot.slot,
                StepSpec {
                    cmd: &cmd,
                    limits: &inner.cfg.run_limits,
                    stdin: b"",
                    work_writable: false,
                    reserves_address_space: false,
                    case: None,
                    events: &tx,
                    terminal: None,
                },
            )
            .await;
        inner.backend.finish_job(slot.slot).await;
        if out.status != Status::Finished {
            return Err(Error::SandboxUnavailable(format!(
                "a trivial program failed in the sandbox ({}): {} {}",
                out.status,
                out.message.unwrap_or_default(),
                out.stderr.trim()
            )));
        }
        Ok(())
    }

    /// Which isolation is in force; log it at start-up.
    pub fn capabilities(&self) -> &SandboxCapabilities {
        self.inner.backend.capabilities()
    }

    /// Number of jobs that can run at once (size worker pools with it).
    pub fn slots(&self) -> usize {
        self.inner.cfg.slots
    }

    /// Every language with its version and availability. Versions are probed once, on a
    /// background thread started by [`Runner::new`]; only a call made before that probe is
    /// done blocks (well under a second).
    pub fn languages(&self) -> Vec<LanguageInfo> {
        self.inner.languages.get_or_init(|| languages_of(&self.inner.tools)).clone()
    }

    /// What [`Runner::languages`] would say with `cfg`'s toolchains on this machine, probed
    /// without a sandbox (the probes never ran in one): for a process that runs no code itself
    /// but tells its clients what the workers sharing its image can run. Takes a while
    /// (`java -version` alone ~100 ms): call it once, off the async threads.
    pub fn probe_languages(cfg: &RunnerConfig) -> Vec<LanguageInfo> {
        languages_of(&resolve_tools(cfg))
    }

    /// Runs `job`, streaming [`RunEvent`]s to `events` as they happen (a closed receiver is
    /// fine). Waits for a free slot first. Errors only when the job is refused (unknown or
    /// unavailable language, too large); everything a program does is in the [`Outcome`].
    /// To cancel, drop the future: the sandbox is killed and cleaned up.
    pub async fn execute(&self, job: Job, events: Sender<RunEvent>) -> Result<Outcome> {
        let inner = &self.inner;
        if let Some(reason) = inner.tools.unavailable_reason(job.language) {
            return Err(Error::LanguageUnavailable { language: job.language.id().into(), reason: reason.into() });
        }
        if job.source.len() > inner.cfg.max_source_bytes {
            return Err(Error::InvalidJob(format!("source is larger than {} bytes", inner.cfg.max_source_bytes)));
        }
        if job.cases.is_empty() || job.cases.len() > inner.cfg.max_cases {
            return Err(Error::InvalidJob(format!("a job needs between 1 and {} cases", inner.cfg.max_cases)));
        }
        if job.cases.iter().any(|c| c.stdin.len() > inner.cfg.max_stdin_bytes) {
            return Err(Error::InvalidJob(format!("stdin is larger than {} bytes", inner.cfg.max_stdin_bytes)));
        }
        if job.setup.is_some() && job.language != Language::Sql {
            return Err(Error::InvalidJob("only SQL jobs take a setup schema".into()));
        }
        if job.setup.as_ref().is_some_and(|s| s.len() > inner.cfg.max_source_bytes) {
            return Err(Error::InvalidJob(format!("the schema is larger than {} bytes", inner.cfg.max_source_bytes)));
        }
        let run_limits = job.limits.clone().unwrap_or_else(|| inner.cfg.run_limits.clone());
        let plan = language::plan(job.language, &job.source, &inner.tools, &run_limits);

        let slot = inner.slots.acquire().await?;
        let dir = inner.backend.prepare_job(slot.slot)?;
        dir.write_file(&plan.source_name, job.source.as_bytes()).map_err(|e| Error::io("writing the source", e))?;
        if plan.setup.is_some() {
            let schema = job.setup.as_deref().unwrap_or_default();
            dir.write_file(SQL_SCHEMA_FILE, schema.as_bytes()).map_err(|e| Error::io("writing the schema", e))?;
        }

        let mut outcome = Outcome {
            status: Status::Finished,
            compile: None,
            cases: Vec::with_capacity(job.cases.len()),
            all_passed: None,
            message: None,
        };
        if let Some(compile) = &plan.compile {
            let _ = events.send(RunEvent::CompileStarted).await;
            let mut step = inner
                .backend
                .run_step(
                    &dir,
                    slot.slot,
                    StepSpec {
                        cmd: compile,
                        limits: &inner.cfg.compile_limits,
                        stdin: b"",
                        work_writable: true,
                        reserves_address_space: plan.reserves_address_space,
                        case: None,
                        events: &events,
                        terminal: None,
                    },
                )
                .await;
            let status = match step.status {
                Status::Finished | Status::InternalError => step.status,
                _ => Status::CompileError,
            };
            if status == Status::CompileError {
                let detail = step.message.take().unwrap_or_default();
                let text = if step.stderr.trim().is_empty() { &step.stdout } else { &step.stderr };
                outcome.message = Some(format!("{}\n{detail}", text.trim_end()).trim().to_string());
            } else if status == Status::InternalError {
                outcome.message = step.message.clone();
            }
            let _ = events.send(RunEvent::CompileFinished { status }).await;
            outcome.compile = Some(step);
            if status != Status::Finished {
                outcome.status = status;
                inner.backend.finish_job(slot.slot).await;
                return Ok(outcome);
            }
        }

        for (i, case) in job.cases.iter().enumerate() {
            let _ = events.send(RunEvent::CaseStarted { case: i }).await;
            if let Some(setup) = &plan.setup {
                // Its output is not the program's: nothing of it streams (a closed channel, so
                // the step never waits on a reader).
                let (quiet, _) = tokio::sync::mpsc::channel(1);
                let step = inner
                    .backend
                    .run_step(
                        &dir,
                        slot.slot,
                        StepSpec {
                            cmd: setup,
                            limits: &run_limits,
                            stdin: &case.stdin,
                            work_writable: true,
                            reserves_address_space: plan.reserves_address_space,
                            case: Some(i),
                            events: &quiet,
                            terminal: None,
                        },
                    )
                    .await;
                if step.status != Status::Finished {
                    let step = setup_failure(step, case.expected.is_some());
                    let passed = case.expected.as_ref().map(|_| false);
                    let _ = events
                        .send(RunEvent::Output {
                            case: Some(i),
                            stream: crate::Stream::Stderr,
                            text: step.stderr.clone(),
                        })
                        .await;
                    finish_case(&events, &mut outcome, CaseOutcome { case: i, step, passed, diff: None }).await;
                    continue;
                }
            }
            let step = inner
                .backend
                .run_step(
                    &dir,
                    slot.slot,
                    StepSpec {
                        cmd: &plan.run,
                        limits: &run_limits,
                        stdin: &case.stdin,
                        work_writable: false,
                        reserves_address_space: plan.reserves_address_space,
                        case: Some(i),
                        events: &events,
                        terminal: None,
                    },
                )
                .await;
            let (passed, diff) = match &case.expected {
                None => (None, None),
                Some(_) if step.status != Status::Finished => (Some(false), None),
                Some(exp) if job.language == Language::Sql => match compare_tables(&step.stdout, exp, case.ordered) {
                    Ok(()) => (Some(true), None),
                    Err(diff) => (Some(false), Some(diff)),
                },
                Some(exp) => (Some(outputs_match(&step.stdout, exp)), None),
            };
            finish_case(&events, &mut outcome, CaseOutcome { case: i, step, passed, diff }).await;
        }
        if outcome.status == Status::Finished
            && let Some(bad) = outcome.cases.iter().find(|c| c.step.status != Status::Finished)
        {
            outcome.status = bad.step.status;
        }
        let judged: Vec<bool> = outcome.cases.iter().filter_map(|c| c.passed).collect();
        if !judged.is_empty() {
            outcome.all_passed = Some(judged.iter().all(|p| *p) && judged.len() == job.cases.len());
        }
        inner.backend.finish_job(slot.slot).await;
        drop(dir);
        drop(slot);
        Ok(outcome)
    }
    /// Runs `job` interactively: compiles it if its language needs it (the compiler's output
    /// goes to `output` like the program's), then runs the program on a pseudo-terminal fed
    /// from `input` until it exits, is interrupted to death, stopped, or crosses a limit.
    /// Waits for a free slot first; errors only when the job is refused. Dropping the future
    /// kills the sandbox, like [`Runner::execute`]'s.
    pub async fn interact(
        &self,
        job: InteractiveJob,
        mut input: Receiver<TerminalInput>,
        output: Sender<TerminalEvent>,
    ) -> Result<InteractiveOutcome> {
        let inner = &self.inner;
        if let Some(reason) = inner.tools.unavailable_reason(job.language) {
            return Err(Error::LanguageUnavailable { language: job.language.id().into(), reason: reason.into() });
        }
        if job.source.len() > inner.cfg.max_source_bytes {
            return Err(Error::InvalidJob(format!("source is larger than {} bytes", inner.cfg.max_source_bytes)));
        }
        let limits = program_limits(&job, &inner.cfg.run_limits);
        let plan = language::plan(job.language, &job.source, &inner.tools, &limits);
        if plan.setup.is_some() {
            return Err(Error::InvalidJob(format!(
                "{} runs against a database set up for each case; it has no interactive terminal",
                job.language.name()
            )));
        }
        let slot = inner.slots.acquire().await?;
        let dir = inner.backend.prepare_job(slot.slot)?;
        dir.write_file(&plan.source_name, job.source.as_bytes()).map_err(|e| Error::io("writing the source", e))?;
        let mut early = std::collections::VecDeque::new();
        let mut compiled = None;
        if let Some(compile) = &plan.compile {
            let (tx, rx) = tokio::sync::mpsc::channel(64);
            let step = inner.backend.run_step(
                &dir,
                slot.slot,
                StepSpec {
                    cmd: compile,
                    limits: &inner.cfg.compile_limits,
                    stdin: b"",
                    work_writable: true,
                    reserves_address_space: plan.reserves_address_space,
                    case: None,
                    events: &tx,
                    terminal: None,
                },
            );
            let step = compile_with_terminal(step, rx, &mut input, &output, &mut early).await;
            let end = match &step {
                Ok(step) => compile_end(step),
                Err(reason) => Some((*reason, format!("{} while compiling", reason_words(*reason)))),
            };
            compiled = step.ok();
            if let Some((reason, message)) = end {
                inner.backend.finish_job(slot.slot).await;
                return Ok(InteractiveOutcome::before_run(reason, message, compiled));
            }
        }
        let pty = match Pty::open(job.mode) {
            Ok(pty) => pty,
            Err(e) => {
                inner.backend.finish_job(slot.slot).await;
                let message = format!("opening a terminal failed: {e}");
                return Ok(InteractiveOutcome::before_run(EndReason::Error, message, compiled));
            }
        };
        let mut terminal = Terminal {
            pty,
            input,
            output,
            idle: Duration::from_millis(job.idle_ms),
            early,
            ended: None,
            interrupted: false,
        };
        let (unused_tx, _unused_rx) = tokio::sync::mpsc::channel(1);
        let step = inner
            .backend
            .run_step(
                &dir,
                slot.slot,
                StepSpec {
                    cmd: &plan.run,
                    limits: &limits,
                    stdin: b"",
                    work_writable: false,
                    reserves_address_space: plan.reserves_address_space,
                    case: None,
                    events: &unused_tx,
                    terminal: Some(&mut terminal),
                },
            )
            .await;
        inner.backend.finish_job(slot.slot).await;
        let (reason, message) = program_end(&step, terminal.ended, terminal.interrupted, &limits);
        Ok(InteractiveOutcome { reason, exit_code: step.exit_code, message, compile: compiled, run: Some(step) })
    }
}

/// Announces a finished case and keeps it in the outcome.
async fn finish_case(events: &Sender<RunEvent>, outcome: &mut Outcome, case: CaseOutcome) {
    let step = &case.step;
    let finished = RunEvent::CaseFinished {
        case: case.case,
        status: step.status,
        time_ms: step.time_ms,
        memory_kb: step.memory_kb,
        passed: case.passed,
    };
    let _ = events.send(finished).await;
    outcome.cases.push(case);
}

fn reason_words(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Interrupted => "interrupted",
        _ => "stopped",
    }
}

/// A case whose set-up step failed: a runtime error whose stderr says whose fault it is. In a
/// test it is the question's schema or seed data; in a plain run, the schema or the seed data
/// the runner typed.
fn setup_failure(mut step: crate::outcome::StepOutcome, test_mode: bool) -> crate::outcome::StepOutcome {
    let whose = if test_mode {
        "The question's schema or this test case's seed data failed to load; this is a fault of the question, \
         not of your query. Tell the interviewer."
    } else {
        "The schema or the seed data (the input) failed to load, before your query ran."
    };
    let detail = match (step.stderr.trim(), step.message.as_deref()) {
        ("", Some(message)) => message.to_string(),
        (stderr, _) => stderr.to_string(),
    };
    step.stdout = String::new();
    step.stderr = format!("{whose}\n{detail}\n");
    step.message = Some(whose.to_string());
    step
}
