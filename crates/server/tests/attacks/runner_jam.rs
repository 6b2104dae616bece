//! Jamming code execution by queueing runs and cancelling them in bursts from several
//! accounts. Each run cancelled at the wrong moment used to leave bwrap's namespace init as a
//! zombie of the process running it, counting against its slot uid's RLIMIT_NPROC until
//! every run on that slot failed. After the bursts no zombie child and no process of a slot
//! uid may remain, and a hello world in every language must still run: in the server itself
//! and in a separate `codeview worker`.

use std::ops::Range;
use std::process::Stdio;
use std::time::{Duration, Instant};

use codeview_runner::Language;
use rand::Rng;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::create_interview;
use crate::helpers::{Backend, TestApp, test_redis_url, test_slot_uid_base};

const CLIENTS: usize = 6;
const RUNS_PER_CLIENT: usize = 12;
/// Far more uids than any runner here has slots: a leftover on any of them is found.
const SLOT_UIDS_SCANNED: u32 = 64;
/// A worker's uids, above the server's and clear of the API tests' workers (base + 1000..1299).
const WORKER_UID_OFFSET: u32 = 1300;

/// What the bursts run: quick, sleeping, and forking sleepers.
const BURST_PROGRAMS: &[&str] = &[
    "print('hi')",
    "import time\ntime.sleep(30)",
    "import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        time.sleep(30)\nprint('forked', flush=True)\ntime.sleep(30)",
];

/// A hello world in `language`; every language must have one.
fn hello(language: Language) -> &'static str {
    match language {
        Language::Python => "print('hello, world')",
        Language::JavaScript => "console.log('hello, world');",
        Language::TypeScript => "const s: string = 'hello, world';\nconsole.log(s);",
        Language::Java => {
            "public class Main { public static void main(String[] a) { System.out.println(\"hello, world\"); } }"
        }
        Language::C => "#include <stdio.h>\nint main(void) { puts(\"hello, world\"); return 0; }",
        Language::Cpp => "#include <iostream>\nint main() { std::cout << \"hello, world\\n\"; }",
        Language::Rust => "fn main() { println!(\"hello, world\"); }",
        Language::Go => "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello, world\") }",
        Language::Ruby => "puts 'hello, world'",
        Language::Php => "<?php\necho \"hello, world\\n\";",
        Language::CSharp => "class Program { static void Main() { System.Console.WriteLine(\"hello, world\"); } }",
        Language::Bash => "echo 'hello, world'",
        Language::Sql => ".headers off\n.mode list\nSELECT 'hello, world';",
    }
}

async fn queue(app: &TestApp, client: &Client, interview: &str, language: &str, code: &str) -> String {
    let body = json!({"language": language, "code": code, "mode": "run"});
    let response = app.post_json(client, &format!("/api/interviews/{interview}/runs"), &body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "queueing a run");
    let body: Value = response.json().await.unwrap();
    body["run"]["id"].as_str().unwrap().to_owned()
}

async fn wait_finished(app: &TestApp, client: &Client, run: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let body: Value = app.get(client, &format!("/api/runs/{run}?wait=30")).await.json().await.unwrap();
        let status = body["run"]["status"].as_str().unwrap_or_default().to_owned();
        if status != "queued" && status != "running" {
            return body["run"].clone();
        }
        assert!(Instant::now() < deadline, "run {run} never finished: {body}");
    }
}

/// Several accounts, each with its own interview, queue runs and cancel them at random
/// moments: at once, while the sandbox starts, while the program runs.
async fn queue_and_cancel_bursts(app: &TestApp) {
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let host = app.signed_in(&format!("jammer{c}@example.com"), "Jammer").await;
        let interview = create_interview(app, &host, json!({"title": "Jam"})).await;
        clients.push((host, interview.id));
    }
    let bursts = clients.into_iter().map(|(host, interview)| async move {
        let mut runs = Vec::new();
        for _ in 0..RUNS_PER_CLIENT {
            let (program, pause) = {
                let mut rng = rand::rng();
                let program = BURST_PROGRAMS[rng.random_range(0..BURST_PROGRAMS.len())];
                let pause = match rng.random_range(0..3) {
                    0 => rng.random_range(0..30),
                    1 => rng.random_range(30..120),
                    _ => rng.random_range(120..400),
                };
                (program, Duration::from_millis(pause))
            };
            let run = queue(app, &host, &interview, "python", program).await;
            tokio::time::sleep(pause).await;
            let response = app.post_json(&host, &format!("/api/runs/{run}/cancel"), &json!({})).await;
            assert!(
                matches!(response.status(), StatusCode::OK | StatusCode::CONFLICT),
                "cancel: {}",
                response.status()
            );
            runs.push(run);
        }
        for run in runs {
            let done = wait_finished(app, &host, &run).await;
            assert_ne!(done["status"], "internal_error", "{done}");
        }
    });
    futures_util::future::join_all(bursts).await;
}

/// Waits (10 s at most: runs of other tests may still be ending) until `parent` has no zombie
/// child and no process runs as one of `uids`.
async fn assert_nothing_left(parent: u32, uids: Range<u32>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let zombies = codeview_runner::host::zombie_children_of(parent);
        let slot_processes = codeview_runner::host::processes_of_uids(uids.clone());
        if zombies.is_empty() && slot_processes.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "left behind: zombie children of {parent} {zombies:?}, processes of slot uids {slot_processes:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A hello world in every language, two at a time per language (so that two slots serve).
/// Eight languages per account: 16 runs stay within a participant's 20 runs a minute.
async fn every_language_still_runs(app: &TestApp) {
    for (group, languages) in Language::ALL.chunks(8).enumerate() {
        let host = app.signed_in(&format!("after-the-jam{group}@example.com"), "After").await;
        let interview = create_interview(app, &host, json!({"title": "After the jam"})).await;
        for &language in languages {
            let (code, language) = (hello(language), language.id());
            let first = queue(app, &host, &interview.id, language, code).await;
            let second = queue(app, &host, &interview.id, language, code).await;
            for run in [first, second] {
                let done = wait_finished(app, &host, &run).await;
                assert_eq!(
                    (done["status"].as_str(), done["stdout"].as_str()),
                    (Some("finished"), Some("hello, world\n")),
                    "{language}: {done}"
                );
            }
        }
    }
}

fn uids_from(base: u32) -> Range<u32> {
    base..base + SLOT_UIDS_SCANNED
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_and_cancel_bursts_cannot_jam_the_servers_sandbox() {
    let app = TestApp::try_spawn(Backend::Sqlite).await.unwrap();
    queue_and_cancel_bursts(&app).await;
    assert_nothing_left(std::process::id(), uids_from(test_slot_uid_base())).await;
    every_language_still_runs(&app).await;
    assert_nothing_left(std::process::id(), uids_from(test_slot_uid_base())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_and_cancel_bursts_cannot_jam_a_worker_process() {
    let Some(redis) = test_redis_url().await else { return };
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.run_workers = 0;
        config.redis_url = Some(redis.clone());
    })
    .await
    .unwrap();
    let base = test_slot_uid_base() + WORKER_UID_OFFSET;
    let mut worker = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
        .args(["worker", "--run-workers", "2", "--slot-uid-base", &base.to_string()])
        .args(["--database-url", &app.database_url, "--redis-url", &redis])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("starting codeview worker");
    let worker_pid = worker.id().expect("worker running");
    queue_and_cancel_bursts(&app).await;
    assert_nothing_left(worker_pid, uids_from(base)).await;
    every_language_still_runs(&app).await;
    assert_nothing_left(worker_pid, uids_from(base)).await;
    assert!(worker.try_wait().unwrap().is_none(), "the worker is still alive");
}
