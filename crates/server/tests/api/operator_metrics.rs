//! The metrics an operator graphs (`docs/operations.md`, "Watching it"), scraped from
//! `/metrics` after real traffic: two document sockets and a room socket, a few edits, a run;
//! and Redis errors counted when the Redis of the room events goes away. The recorder is one
//! per test process, so the values are at least this test's (other tests add to them).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Client;
use serde_json::json;

use crate::doc_peer::DocPeer;
use crate::fixtures::create_interview;
use crate::helpers::{Backend, TestApp};
use crate::runs::{body_for, queue_run, room_socket, wait_run};
use crate::tls_support::free_port;

const TOKEN: &str = "a-long-metrics-token-for-tests";

async fn scrape(app: &TestApp) -> String {
    let response = Client::new().get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    response.text().await.unwrap()
}

/// The sum of the samples of `name` whose labels include every one of `labels` (`k="v"`),
/// or `None` when there is no such sample.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    let mut found = None;
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else { continue };
        let (metric, series_labels) = match series.split_once('{') {
            Some((metric, rest)) => (metric, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        let matches = metric == name && labels.iter().all(|label| series_labels.split(',').any(|l| l == *label));
        if matches && let Ok(value) = value.parse::<f64>() {
            *found.get_or_insert(0.0) += value;
        }
    }
    found
}

/// `sample`, which must exist.
fn value(text: &str, name: &str, labels: &[&str]) -> f64 {
    sample(text, name, labels).unwrap_or_else(|| panic!("no {name}{labels:?} in\n{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_sockets_edits_runs_and_the_queue_are_measured() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.metrics.metrics_token = Some(TOKEN.into()))
        .await
        .unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let token = app.token(&host).await;
    let mut writer = DocPeer::open(&app, &interview.id, &token).await;
    let _reader = DocPeer::open(&app, &interview.id, &token).await;
    let _events = room_socket(&app, &interview.id, &token).await;
    for edit in ["a", "b", "c", "d", "e"] {
        writer.append("code", edit).await;
    }
    let run = queue_run(&app, &host, &interview.id, body_for("print('measured')\n")).await;
    assert_eq!(wait_run(&app, &host, &run).await["status"], "finished");

    let text = scrape(&app).await;
    assert!(value(&text, "codeview_doc_rooms_loaded", &[]) >= 1.0, "{text}");
    assert!(value(&text, "codeview_sockets_open", &[r#"kind="doc""#]) >= 2.0, "{text}");
    assert!(value(&text, "codeview_sockets_open", &[r#"kind="room""#]) >= 1.0, "{text}");
    assert!(value(&text, "codeview_doc_updates_persisted_total", &[]) >= 5.0, "{text}");
    let edits = value(&text, "codeview_doc_edit_relay_seconds_count", &[]);
    let edit_seconds = value(&text, "codeview_doc_edit_relay_seconds_sum", &[]);
    assert!(edits >= 5.0 && edit_seconds > 0.0 && edit_seconds / edits < 1.0, "{edits} edits, {edit_seconds} s");
    let finished = [r#"language="python""#, r#"status="finished""#];
    assert!(value(&text, "codeview_runs_total", &finished) >= 1.0, "{text}");
    assert!(value(&text, "codeview_run_queue_wait_seconds_count", &[]) >= 1.0, "{text}");
    let wall = value(&text, "codeview_run_sandbox_seconds_sum", &[r#"time="wall""#]);
    assert!(wall > 0.0 && wall < 3600.0, "sandbox wall time {wall}");
    assert!(value(&text, "codeview_runs_queued", &[]) >= 0.0, "{text}");
}

/// A `redis-server` of the test's own (plain, on a free port), killed when dropped.
struct OwnRedis(Child);

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn losing_redis_counts_room_event_errors() {
    let port = free_port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("starting redis-server");
    let mut redis = OwnRedis(child);
    let url = format!("redis://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(tokio::time::Instant::now() < deadline, "redis-server did not start on port {port}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.metrics.metrics_token = Some(TOKEN.into());
        config.redis_url = Some(url);
    })
    .await
    .expect("the server starts with the test's Redis");
    let errors = |text: &str| sample(text, "codeview_redis_errors_total", &[r#"part="room_events""#]).unwrap_or(0.0);
    let before = errors(&scrape(&app).await);

    let _ = redis.0.kill();
    let _ = redis.0.wait();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = scrape(&app).await;
        if errors(&text) > before {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no room_events Redis error counted:\n{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
