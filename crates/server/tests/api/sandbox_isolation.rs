//! The sandbox's isolation, told truthfully and enforced: a server whose sandbox lacks a
//! protection (here: no cgroups, by pointing the cgroup root at a directory that has none)
//! refuses runs (and the interactive terminal) with a clear message and is not ready, unless the operator allowed a degraded
//! sandbox; then runs execute, each result records the isolation, and interviewers (never
//! candidates) are told in the room. A normal server is ready with full isolation.

use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::{Cast, Interview, create_interview};
use crate::helpers::{Backend, TestApp, next_event, test_redis_url, test_slot_uid_base, wait_run};
use crate::runs::queue_run;
use crate::terminal_support::{live_room, refused, start};

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

/// The first event on a room socket (its hello), opened with an API token or a cookie.
async fn hello(app: &TestApp, interview: &str, token: Option<&str>, cookie: Option<&str>) -> Value {
    let mut url = format!("{}/ws/rooms/{interview}", app.base.replace("http://", "ws://"));
    if let Some(token) = token {
        url.push_str(&format!("?token={token}"));
    }
    let mut request = url.into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("room socket");
    let hello = next_event(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    hello
}

/// A live interview of the cast's host, with the observer added and a candidate joined: the
/// candidate's session cookie.
async fn live_interview(cast: &Cast) -> (Interview, String) {
    let app = &cast.app;
    let interview = create_interview(app, &cast.host, json!({"title": "Isolation"})).await;
    for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
        let path = format!("/api/interviews/{}/participants", interview.id);
        let added = app.post_json(&cast.host, &path, &json!({"email": email, "role": role})).await;
        assert_eq!(added.status(), StatusCode::CREATED);
    }
    let path = format!("/api/interviews/room/{}/join", interview.code);
    let joined = app.post_json(&Client::new(), &path, &json!({"name": "Cara", "invite": interview.invite})).await;
    assert_eq!(joined.status(), StatusCode::OK);
    let cookie = joined.headers().get(SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
    let started = app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    (interview, cookie)
}

fn client_with_cookie(cookie: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

const RUN: &str = "print(6 * 7)";

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
    assert!(
        remedy.contains(&format!("no cgroup filesystem at {NO_CGROUPS}")) && remedy.contains("Delegate=yes"),
        "{remedy}"
    );
    // Everything else works.
    assert_eq!(app.get(&Client::new(), "/api/health").await.status(), StatusCode::OK);
    assert_eq!(app.get(&Client::new(), "/api/health/live").await.status(), StatusCode::OK);

    let (interview, cookie) = live_interview(&cast).await;
    let candidate = client_with_cookie(&cookie);
    let run =
        queue_run(app, &candidate, &interview.id, json!({"language": "python", "code": RUN, "mode": "run"})).await;
    let refused = wait_run(app, &candidate, &run).await;
    assert_eq!(refused["status"], "internal_error", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("not fully isolated") && message.contains("--sandbox-allow-degraded"), "{message}");
    assert_eq!(refused["stdout"], "", "nothing ran");
    assert!(refused["isolation"].is_null());
    let host_token = app.token(&cast.host).await;
    let told = hello(app, &interview.id, Some(&host_token), None).await;
    assert!(told["sandbox"].is_null(), "runs are refused, not degraded: {told}");
}

#[tokio::test]
async fn a_degraded_sandbox_refuses_the_interactive_terminal_too() {
    let room = live_room(degraded_server(false).await, RUN).await;
    let (mut candidate, _) = room.open(None).await;
    start(&mut candidate, "line").await;
    let refusal = refused(&mut candidate, "unavailable").await;
    let message = refusal["message"].as_str().unwrap();
    assert!(message.contains("not fully isolated") && message.contains("--sandbox-allow-degraded"), "{message}");
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

    let (interview, cookie) = live_interview(&cast).await;
    for interviewer in [&cast.host, &cast.co] {
        let told = hello(app, &interview.id, Some(&app.token(interviewer).await), None).await;
        assert_eq!(told["sandbox"]["level"], "degraded", "{told}");
        assert_eq!(protections(&told["sandbox"]["missing"]), CGROUPS);
    }
    let observer = hello(app, &interview.id, Some(&app.token(&cast.observer).await), None).await;
    assert!(observer["sandbox"].is_null(), "{observer}");
    let candidate_hello = hello(app, &interview.id, None, Some(&cookie)).await;
    assert_eq!(candidate_hello["role"], "candidate");
    assert!(candidate_hello["sandbox"].is_null(), "{candidate_hello}");

    let candidate = client_with_cookie(&cookie);
    let run =
        queue_run(app, &candidate, &interview.id, json!({"language": "python", "code": RUN, "mode": "run"})).await;
    let host_view = wait_run(app, &cast.host, &run).await;
    assert_eq!((host_view["status"].as_str(), host_view["stdout"].as_str()), (Some("finished"), Some("42\n")));
    assert_eq!(host_view["isolation"]["level"], "degraded", "{host_view}");
    assert_eq!(protections(&host_view["isolation"]["missing"]), CGROUPS);
    let candidate_view = wait_run(app, &candidate, &run).await;
    assert_eq!(candidate_view["stdout"], "42\n");
    assert!(candidate_view["isolation"].is_null(), "{candidate_view}");
    assert!(wait_run(app, &cast.observer, &run).await["isolation"].is_null());
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
    assert_eq!(
        (body["ready"].as_bool(), body["db"].as_str(), body["backend"].as_str()),
        (Some(true), Some("ok"), Some("sqlite"))
    );
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
