//! The sandbox's isolation, told truthfully and enforced: a server whose sandbox lacks a
//! protection (here: no cgroups, by pointing the cgroup root at a directory that has none)
//! refuses runs with a clear message and is not ready, unless the operator allowed a degraded
//! sandbox; then runs execute, each result records the isolation, and interviewers (never
//! candidates) are told in the room. A normal server is ready with full isolation.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::Cast;
use crate::helpers::{Backend, TestApp, next_event, test_redis_url, test_slot_uid_base, wait_run};
use crate::runs::queue_run;

/// Slot uids of the degraded servers: their own runner, clear of the normal one's range and
/// of the worker processes the other tests start (+1000 and up).
const DEGRADED_UID_OFFSET: u32 = 500;
const NO_CGROUPS: &str = "/nonexistent/codeview-test-cgroup-root";

async fn degraded_server(allow: bool) -> TestApp {
    TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.sandbox.slot_uid_base = test_slot_uid_base() + DEGRADED_UID_OFFSET;
        config.sandbox.sandbox_cgroup_root = NO_CGROUPS.into();
        config.sandbox.sandbox_allow_degraded = allow;
    })
    .await
    .expect("sqlite always available")
}

async fn ready(app: &TestApp) -> (StatusCode, Value) {
    let response = app.get(&Client::new(), "/api/health/ready").await;
    (response.status(), response.json().await.unwrap())
}

fn protections(missing: &Value) -> Vec<&str> {
    missing.as_array().unwrap().iter().map(|m| m["protection"].as_str().or(m.as_str()).unwrap()).collect()
}

/// The first event on a room socket: its hello.
async fn hello(app: &TestApp, interview: &str, client: &Client) -> Value {
    let url = format!("{}/ws/rooms/{interview}?token={}", app.base.replace("http://", "ws://"), app.token(client).await);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("room socket");
    let hello = next_event(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    hello
}

const CGROUPS: [&str; 3] = ["memory_cgroup", "pids_cgroup", "cpu_cgroup"];

#[tokio::test]
async fn a_degraded_sandbox_refuses_runs_and_says_why() {
    let cast = Cast::new(degraded_server(false).await).await;
    let app = &cast.app;
    let (status, body) = ready(app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["ready"], false);
    assert_eq!(body["db"], "ok");
    let sandbox = &body["sandbox"];
    assert_eq!((sandbox["isolation"].as_str(), sandbox["allowed_degraded"].as_bool()), (Some("degraded"), Some(false)));
    assert_eq!(sandbox["runs_allowed"], false);
    assert_eq!(protections(&sandbox["missing"]), CGROUPS);
    let remedy = sandbox["missing"][0]["remedy"].as_str().unwrap();
    assert!(remedy.contains(&format!("no cgroup filesystem at {NO_CGROUPS}")) && remedy.contains("Delegate=yes"), "{remedy}");
    // Everything else works.
    assert_eq!(app.get(&Client::new(), "/api/health").await.status(), StatusCode::OK);
    assert_eq!(app.get(&Client::new(), "/api/health/live").await.status(), StatusCode::OK);

    let interview = cast.interview(true).await;
    let run = queue_run(app, &cast.candidate, &interview.id, json!({"language": "python", "code": "print(1)"})).await;
    let refused = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(refused["status"], "internal_error", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("not fully isolated") && message.contains("--sandbox-allow-degraded"), "{message}");
    assert_eq!(refused["stdout"], "", "nothing ran");
    assert!(refused["isolation"].is_null());
    assert!(hello(app, &interview.id, &cast.host).await["sandbox"].is_null(), "runs are refused, not degraded");
}

#[tokio::test]
async fn allowed_degraded_runs_execute_and_only_interviewers_are_told() {
    let cast = Cast::new(degraded_server(true).await).await;
    let app = &cast.app;
    let (status, body) = ready(app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true);
    let sandbox = &body["sandbox"];
    assert_eq!((sandbox["isolation"].as_str(), sandbox["allowed_degraded"].as_bool()), (Some("degraded"), Some(true)));
    assert_eq!(protections(&sandbox["missing"]), CGROUPS);

    let interview = cast.interview(true).await;
    let told = hello(app, &interview.id, &cast.host).await;
    assert_eq!(told["sandbox"]["level"], "degraded", "{told}");
    assert_eq!(protections(&told["sandbox"]["missing"]), CGROUPS);
    assert_eq!(hello(app, &interview.id, &cast.co).await["sandbox"]["level"], "degraded");
    for not_told in [&cast.candidate, &cast.observer] {
        let h = hello(app, &interview.id, not_told).await;
        assert!(h["sandbox"].is_null(), "{h}");
    }

    let run = queue_run(app, &cast.candidate, &interview.id, json!({"language": "python", "code": "print(6 * 7)"})).await;
    let host_view = wait_run(app, &cast.host, &run).await;
    assert_eq!((host_view["status"].as_str(), host_view["stdout"].as_str()), (Some("finished"), Some("42\n")));
    assert_eq!(host_view["isolation"]["level"], "degraded", "{host_view}");
    assert_eq!(protections(&host_view["isolation"]["missing"]), CGROUPS);
    let candidate_view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(candidate_view["stdout"], "42\n");
    assert!(candidate_view["isolation"].is_null(), "{candidate_view}");
    let observer_view = wait_run(app, &cast.observer, &run).await;
    assert!(observer_view["isolation"].is_null());
}

#[tokio::test]
async fn a_normal_server_is_ready_with_full_isolation() {
    let redis = test_redis_url().await;
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.redis_url = redis.clone()).await.unwrap();
    let live = app.get(&Client::new(), "/api/health/live").await;
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(live.json::<Value>().await.unwrap()["status"], "ok");
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["ready"].as_bool(), body["db"].as_str(), body["backend"].as_str()), (Some(true), Some("ok"), Some("sqlite")));
    assert_eq!(body["redis"], if redis.is_some() { json!("ok") } else { Value::Null });
    let sandbox = &body["sandbox"];
    assert_eq!(sandbox["isolation"], "full", "{body}");
    assert_eq!(sandbox["missing"], json!([]));
    assert_eq!((sandbox["allowed_degraded"].as_bool(), sandbox["runs_allowed"].as_bool()), (Some(false), Some(true)));

    // A server that runs no code leaves the sandbox to its workers.
    let queue_only = TestApp::try_spawn_with(Backend::Sqlite, |config| config.run_workers = 0).await.unwrap();
    let (status, body) = ready(&queue_only).await;
    assert_eq!((status, &body["sandbox"]), (StatusCode::OK, &Value::Null), "{body}");
}
