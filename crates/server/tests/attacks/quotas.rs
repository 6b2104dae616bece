//! Any account wants more than its share: a burst of concurrent creations may not pass the
//! account's quota (the count and the insert happen under the account's lock), the refusal
//! says `quota_exceeded`, and another account is not affected. API tokens, runs a day (the
//! candidate's count against the host) and live documents have quotas too.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::create_interview;
use crate::helpers::{Backend, TestApp, assert_error};
use crate::support::{SocketAuth, open_socket, register};

const LIMIT: u32 = 3;
const BURST: usize = 12;

async fn quota_app(backend: Backend) -> Option<TestApp> {
    TestApp::try_spawn_with(backend, |config| {
        config.quotas.questions = LIMIT;
        config.quotas.open_interviews = LIMIT;
        config.quotas.tokens = 2;
        config.quotas.runs_per_day = 2;
        config.quotas.live_documents = 1;
    })
    .await
}

fn question(title: &str) -> Value {
    json!({"title": title, "prompt": "p", "difficulty": "easy", "category": "c"})
}

/// Fires `BURST` concurrent POSTs to `path` and returns how many were created; every refusal
/// must be a clean `quota_exceeded`.
async fn burst(app: &TestApp, client: &reqwest::Client, path: &str, body: impl Fn(usize) -> Value) -> usize {
    let bodies: Vec<Value> = (0..BURST).map(body).collect();
    let responses = join_all(bodies.iter().map(|body| app.post_json(client, path, body))).await;
    let mut created = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_error(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
            }
            other => panic!("unexpected {other} from {path}"),
        }
    }
    created
}

async fn a_burst_of_creations_stops_at_the_quota(app: TestApp) {
    let greedy = app.signed_in("greedy@example.com", "Greedy").await;
    let created = burst(&app, &greedy, "/api/questions", |i| question(&format!("Q{i}"))).await;
    assert_eq!(created, LIMIT as usize, "questions created by a burst");
    let created = burst(&app, &greedy, "/api/interviews", |i| json!({"title": format!("I{i}")})).await;
    assert_eq!(created, LIMIT as usize, "interviews created by a burst");

    // Ending an interview frees its place; another account has its own quota.
    let list: Value = app.get(&greedy, "/api/interviews").await.json().await.unwrap();
    let first = list["interviews"][0]["id"].as_str().unwrap().to_owned();
    let started = app.post_json(&greedy, &format!("/api/interviews/{first}/start"), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let ended = app.post_json(&greedy, &format!("/api/interviews/{first}/end"), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    let again = app.post_json(&greedy, "/api/interviews", &json!({"title": "after the end"})).await;
    assert_eq!(again.status(), StatusCode::CREATED);

    let other = app.signed_in("other@example.com", "Other").await;
    let response = app.post_json(&other, "/api/questions", &question("Mine")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

async fn tokens_runs_and_live_documents_stop_at_their_quotas(app: TestApp) {
    let host = register(&app, "busy@example.com", "Busy").await;
    for name in ["ci", "laptop"] {
        let response = app.post_json(&host.client, "/api/auth/tokens", &json!({"name": name})).await;
        assert_eq!(response.status(), StatusCode::CREATED, "token {name}");
    }
    let third = app.post_json(&host.client, "/api/auth/tokens", &json!({"name": "one more"})).await;
    assert_error(third, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;

    let interview = create_interview(&app, &host.client, json!({"title": "Quota"})).await;
    let started = app.post_json(&host.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let runs = format!("/api/interviews/{}/runs", interview.id);
    let run = json!({"language": "python", "mode": "run", "code": "print(1)"});
    for _ in 0..2 {
        assert_eq!(app.post_json(&host.client, &runs, &run).await.status(), StatusCode::ACCEPTED);
    }
    assert_error(app.post_json(&host.client, &runs, &run).await, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;

    // One live document: the code opens; the notes would be a second one.
    let _code = open_socket(&app, &format!("/ws/yjs/{}/code", interview.id), SocketAuth::Cookie(&host.cookie)).await;
    let url = format!("{}/ws/yjs/{}/notes", app.base.replace("http://", "ws://"), interview.id);
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(reqwest::header::COOKIE, host.cookie.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429, "a second live document");
        }
        other => panic!("the notes opened past the live-document quota: {:?}", other.map(|(_, r)| r.status())),
    }
    // The live one can still be joined.
    let _again = open_socket(&app, &format!("/ws/yjs/{}/code", interview.id), SocketAuth::Cookie(&host.cookie)).await;
}

macro_rules! with_quotas {
    ($($name:ident),*) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = super::quota_app(crate::helpers::Backend::Sqlite).await { super::$name(app).await }
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = super::quota_app(crate::helpers::Backend::Postgres).await { super::$name(app).await }
            })*
        }
    };
}

with_quotas!(a_burst_of_creations_stops_at_the_quota, tokens_runs_and_live_documents_stop_at_their_quotas);
