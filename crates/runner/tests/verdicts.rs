//! A verdict never comes from what a program prints. Programs in the real sandbox forge the
//! texts that used to decide a status (an interpreter's syntax error, bwrap's own complaint,
//! runtimes' out-of-memory messages) and must get the plain verdict of their exit status,
//! with nothing of their stderr raised to the job's top-level message; a real sandbox failure
//! is still told apart, from bwrap's own status report.

mod common;

use codeview_runner::{Error, Job, Language, Runner, RunnerConfig, Status};
use common::{assert_host_clean, assert_status, exec};

/// Hidden-case style job: two cases, the forger prints `stderr` and exits 1.
fn forger(stderr: &str) -> Job {
    let src = format!("import sys\nsys.stderr.write({stderr:?})\nsys.exit(1)");
    Job::test(
        Language::Python,
        src,
        vec![(b"secret input 1".to_vec(), "secret answer 1".into()), (b"secret input 2".to_vec(), "2".into())],
    )
}

#[tokio::test]
async fn forged_stderr_changes_no_verdict_and_never_becomes_the_message() {
    let (r, cfg) = common::runner(31, "verdicts").await;
    let forgeries = [
        "  File \"/work/main.py\", line 1\n    secret input 1\n           ^\nSyntaxError: invalid syntax\n",
        "bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n",
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n",
        "MemoryError\n",
        "fatal error: runtime: out of memory\n",
        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
    ];
    for text in forgeries {
        let (o, _) = exec(&r, forger(text)).await;
        assert_status(&o, Status::RuntimeError);
        assert_eq!(o.message, None, "stderr must not become the job's message: {o:#?}");
        assert_eq!(o.cases.len(), 2, "every case runs: {o:#?}");
        for case in &o.cases {
            assert_eq!(case.step.status, Status::RuntimeError, "{text}");
            assert_eq!(case.step.exit_code, Some(1));
            assert_eq!(case.step.message.as_deref(), Some("exited with code 1"));
        }
    }
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn a_real_syntax_error_of_an_interpreted_language_is_a_runtime_error() {
    let (r, cfg) = common::runner(32, "syntax").await;
    let (o, _) = exec(&r, Job::run(Language::Python, "print('never')\nx = (\n", Vec::new())).await;
    assert_status(&o, Status::RuntimeError);
    assert_eq!(o.message, None);
    assert!(o.cases[0].step.stderr.contains("SyntaxError"), "{o:#?}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn a_sandbox_that_cannot_start_is_an_internal_error_told_by_bwrap_itself() {
    // A read-only bind of a missing path makes bwrap fail before the program runs.
    let cfg = RunnerConfig { extra_ro_binds: vec!["/nonexistent-codeview-bind".into()], ..common::config(33, "setup") };
    match Runner::new(cfg.clone()).await {
        Err(Error::SandboxUnavailable(msg)) => {
            assert!(msg.contains("internal_error"), "{msg}");
            assert!(msg.contains("the sandbox failed to start"), "{msg}");
            assert!(msg.contains("bwrap: "), "bwrap's own words: {msg}");
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a sandbox with a missing bind must not start"),
    }
    assert_host_clean(&cfg).await;
}
