//! `codeview worker` as a process of its own: it claims runs queued through a server that runs
//! none itself, streams their output to the server's room sockets through Redis, obeys a
//! cancel asked of the server, and drains on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::create_interview;
use crate::helpers::{Backend, TestApp, test_redis_url, test_slot_uid_base};
use crate::runs::{Socket, TICK_THEN_SLEEP, body_for, next_event, queue_run, room_socket, run_events, wait_run};

/// A server that runs no code itself and sends room events through Redis.
async fn server_without_workers(redis: &str) -> TestApp {
    TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.run_workers = 0;
        config.redis_url = Some(redis.to_owned());
    })
    .await
    .unwrap()
}

/// A `codeview worker` with one slot, against `app`'s database.
fn spawn_worker(app: &TestApp, redis: &str, slot_uid_base: u32, drain_secs: u32) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
        .args(["worker", "--run-workers", "1", "--slot-uid-base", &slot_uid_base.to_string()])
        .args(["--run-drain-secs", &drain_secs.to_string()])
        .args(["--database-url", &app.database_url, "--redis-url", redis])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("starting codeview worker")
}

/// Sends SIGTERM once `socket` has seen the first output of `run`, then waits for the worker
/// to exit (it must, within the drain period and a margin).
async fn terminate_after_first_output(worker: &mut tokio::process::Child, events: &mut Socket, run: &str) {
    loop {
        let event = next_event(events).await;
        if event["run_id"] != run {
            continue;
        }
        assert_ne!(event["type"], "run_finished", "finished before SIGTERM: {event}");
        if event["type"] == "run_output" {
            break;
        }
    }
    let pid = worker.id().expect("worker running").to_string();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let exit = tokio::time::timeout(Duration::from_secs(20), worker.wait()).await.expect("worker exits").unwrap();
    assert!(exit.success(), "worker exit: {exit:?}");
}

const COUNT_SLOWLY: &str = "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)\n";

#[tokio::test]
async fn a_worker_process_runs_streams_through_redis_and_obeys_cancel() {
    let Some(redis) = test_redis_url().await else { return };
    let app = server_without_workers(&redis).await;
    let _worker = spawn_worker(&app, &redis, test_slot_uid_base() + 1000, 8);
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let mut events = room_socket(&app, &interview.id, &app.token(&host).await).await;

    let run = queue_run(&app, &host, &interview.id, body_for(COUNT_SLOWLY)).await;
    let seen = run_events(&mut events).await;
    let outputs: Vec<&str> =
        seen.iter().filter(|e| e["type"] == "run_output").map(|e| e["text"].as_str().unwrap()).collect();
    assert_eq!(outputs.concat(), "0\n1\n2\n", "streamed in order from the worker: {seen:?}");
    assert!(seen.iter().any(|e| e["type"] == "run_started"), "{seen:?}");
    assert_eq!(seen.last().unwrap()["status"], "finished");
    let done = wait_run(&app, &host, &run).await;
    assert_eq!((done["status"].as_str(), done["stdout"].as_str()), (Some("finished"), Some("0\n1\n2\n")));

    // A cancel asked of the server reaches the worker through the store.
    let run = queue_run(&app, &host, &interview.id, body_for(TICK_THEN_SLEEP)).await;
    loop {
        let event = next_event(&mut events).await;
        assert_ne!(event["type"], "run_finished", "finished before the cancel: {event}");
        if event["type"] == "run_output" {
            break;
        }
    }
    let response = app.post_json(&host, &format!("/api/runs/{run}/cancel"), &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let finished: Value = loop {
        let event = next_event(&mut events).await;
        if event["type"] == "run_finished" {
            break event;
        }
    };
    assert_eq!(finished["status"], "cancelled", "{finished}");
    let done = wait_run(&app, &host, &run).await;
    assert_eq!((done["status"].as_str(), done["message"].as_str()), (Some("cancelled"), Some("Cancelled by Host.")));
}

#[tokio::test]
async fn a_terminated_worker_finishes_its_run_or_cancels_it_after_the_grace_period() {
    let Some(redis) = test_redis_url().await else { return };
    let app = server_without_workers(&redis).await;
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let mut events = room_socket(&app, &interview.id, &app.token(&host).await).await;

    // Within the grace period the run ends normally and keeps all its output.
    let mut worker = spawn_worker(&app, &redis, test_slot_uid_base() + 1100, 30);
    let code = "import time\nprint('tick', flush=True)\ntime.sleep(1.5)\nprint('done')\n";
    let run = queue_run(&app, &host, &interview.id, body_for(code)).await;
    terminate_after_first_output(&mut worker, &mut events, &run).await;
    let done = wait_run(&app, &host, &run).await;
    assert_eq!((done["status"].as_str(), done["stdout"].as_str()), (Some("finished"), Some("tick\ndone\n")), "{done}");

    // Past it the run is cancelled and stored as such at once (not left to the reaper).
    let mut worker = spawn_worker(&app, &redis, test_slot_uid_base() + 1200, 0);
    let run = queue_run(&app, &host, &interview.id, body_for(TICK_THEN_SLEEP)).await;
    terminate_after_first_output(&mut worker, &mut events, &run).await;
    let done: Value = app.get(&host, &format!("/api/runs/{run}")).await.json().await.unwrap();
    let done = &done["run"];
    assert_eq!(done["status"], "cancelled", "{done}");
    assert_eq!(done["message"], "Cancelled by the server, which was shutting down.");
}
