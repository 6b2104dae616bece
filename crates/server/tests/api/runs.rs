//! Runs through the API with the real sandbox: results and verdicts, live output on the room
//! socket filtered per role, the paged history of summaries, who may run, budgets, and a queue
//! that survives a restart.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview, join};
use crate::helpers::{Backend, TestApp, assert_error};
pub use crate::helpers::{Socket, next_event, wait_run};

crate::on_both_backends!(
    tests_run_and_stream_to_the_room_by_role,
    only_interviewers_and_live_candidates_run,
    a_running_run_is_cancelled_by_who_may_run,
    the_history_is_paged_newest_first
);

const SUM: &str = "a, b = map(int, input().split())\nprint(a + b)\n";

pub async fn queue_run(app: &TestApp, client: &Client, interview: &str, body: Value) -> String {
    let response = app.post_json(client, &format!("/api/interviews/{interview}/runs"), &body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "queueing {body}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["run"]["status"], "queued");
    body["run"]["id"].as_str().unwrap().to_owned()
}

pub async fn room_socket(app: &TestApp, interview: &str, token: &str) -> Socket {
    let url = format!("{}/ws/rooms/{interview}?token={token}", app.base.replace("http://", "ws://"));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("room socket");
    let hello = next_event(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    socket
}

/// Events of one run up to its `run_finished`.
pub async fn run_events(socket: &mut Socket) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let event = next_event(socket).await;
        let done = event["type"] == "run_finished";
        events.push(event);
        if done {
            return events;
        }
    }
}

async fn tests_run_and_stream_to_the_room_by_role(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    let path = format!("/api/interviews/{}/participants", interview.id);
    app.post_json(&cast.host, &path, &json!({"email": "observer@example.com", "role": "observer"})).await;
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;

    let mut host_events = room_socket(app, &interview.id, &app.token(&cast.host).await).await;
    let mut observer_events = room_socket(app, &interview.id, &app.token(&cast.observer).await).await;

    let run =
        queue_run(app, &cast.candidate, &interview.id, json!({"language": "python", "code": SUM, "mode": "test"}))
            .await;
    let seen_by_host = run_events(&mut host_events).await;
    let seen_by_observer = run_events(&mut observer_events).await;
    let outputs = |events: &[Value]| -> Vec<(Value, String)> {
        events
            .iter()
            .filter(|e| e["type"] == "run_output")
            .map(|e| (e["case"].clone(), e["text"].as_str().unwrap().to_owned()))
            .collect()
    };
    assert_eq!(seen_by_host[0]["type"], "run_queued");
    assert_eq!(seen_by_host[0]["requested_by"], "Cara");
    assert!(outputs(&seen_by_host).contains(&(json!(0), "3\n".into())), "{seen_by_host:?}");
    assert!(outputs(&seen_by_host).contains(&(json!(1), "0\n".into())), "hidden output reaches interviewers");
    assert_eq!(outputs(&seen_by_observer), vec![(json!(0), "3\n".to_owned())], "no hidden output for observers");
    assert_eq!(seen_by_host.last().unwrap()["verdict"], "passed");

    let candidate_view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(candidate_view["status"], "finished");
    assert_eq!(candidate_view["verdict"], "passed");
    let tests = candidate_view["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[0]["actual_output"], "3\n");
    assert_eq!(tests[1]["hidden"], true);
    assert_eq!(tests[1]["passed"], true);
    assert!(
        tests[1]["input"].is_null() && tests[1]["actual_output"].is_null(),
        "hidden case content: {candidate_view}"
    );
    let host_view = wait_run(app, &cast.host, &run).await;
    assert_eq!(host_view["tests"][1]["input"], "-5 5\n");
    // Interviewers see the isolation the run executed under; candidates are not told.
    assert_eq!(host_view["isolation"], json!({"level": "full", "missing": []}));
    assert!(candidate_view["isolation"].is_null(), "{candidate_view}");

    // A plain run with stdin, a wrong answer, and a compile error.
    let echo = queue_run(
        app,
        &cast.host,
        &interview.id,
        json!({"language": "python", "code": "print(input().upper())", "stdin": "shout\n", "mode": "run"}),
    )
    .await;
    let echo = wait_run(app, &cast.host, &echo).await;
    assert_eq!((echo["status"].as_str(), echo["stdout"].as_str()), (Some("finished"), Some("SHOUT\n")));
    let wrong = queue_run(
        app,
        &cast.candidate,
        &interview.id,
        json!({"language": "python", "code": "print(42)", "mode": "test"}),
    )
    .await;
    assert_eq!(wait_run(app, &cast.candidate, &wrong).await["verdict"], "failed");
    let broken =
        queue_run(app, &cast.host, &interview.id, json!({"language": "c", "code": "int main( {", "mode": "run"})).await;
    let broken = wait_run(app, &cast.host, &broken).await;
    assert_eq!(broken["status"], "compile_error");
    assert!(broken["compile_output"].as_str().unwrap().contains("error"), "{broken}");

    // The host's runs of their own code are the interviewers' alone.
    let history: Value =
        app.get(&cast.host, &format!("/api/interviews/{}/runs", interview.id)).await.json().await.unwrap();
    assert_eq!(history["runs"].as_array().unwrap().len(), 4, "{history}");
    let history: Value =
        app.get(&cast.observer, &format!("/api/interviews/{}/runs", interview.id)).await.json().await.unwrap();
    let runs = history["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{history}");
    assert_eq!(runs[1]["requested_by"], "Cara", "oldest last");
    assert_eq!((runs[1]["tests_passed"].as_u64(), runs[1]["tests_total"].as_u64()), (Some(2), Some(2)));
    assert!(runs[1].get("code").is_none() && runs[1].get("tests").is_none(), "a summary: {}", runs[1]);
    assert!(history["next"].is_null(), "one page");
    // The requester's participant id lets a client tell its own runs after a reload.
    let cara = &candidate_view["participant_id"];
    assert!(cara.is_string(), "{candidate_view}");
    assert_eq!(&seen_by_host[0]["participant_id"], cara);
    assert_eq!(&runs[1]["participant_id"], cara);
    assert_ne!(&echo["participant_id"], cara, "the host's run is the host's");
}

async fn only_interviewers_and_live_candidates_run(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(false).await;
    let runs = format!("/api/interviews/{}/runs", interview.id);
    let body = json!({"language": "python", "code": "print(1)", "mode": "run"});
    assert_error(app.post_json(&cast.candidate, &runs, &body).await, StatusCode::FORBIDDEN, "interview_not_live").await;
    assert_error(app.post_json(&cast.observer, &runs, &body).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.post_json(&cast.stranger, &runs, &body).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.post_json(&cast.anonymous, &runs, &body).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let bad_language = json!({"language": "cobol", "code": "x", "mode": "run"});
    assert_error(
        app.post_json(&cast.host, &runs, &bad_language).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let bad_mode = json!({"language": "python", "code": "x", "mode": "fly"});
    assert_error(
        app.post_json(&cast.host, &runs, &bad_mode).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let no_question = json!({"language": "python", "code": "x", "mode": "test"});
    assert_error(
        app.post_json(&cast.host, &runs, &no_question).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let empty_doc = json!({"language": "python", "mode": "run"});
    let body = assert_error(
        app.post_json(&cast.host, &runs, &empty_doc).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["code"], "there is no code to run",
        "code defaults to the (empty) shared document"
    );
    assert_eq!(app.row_count("runs").await, 0, "nothing queued");
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let run = queue_run(app, &cast.candidate, &interview.id, body_for("print('live')")).await;
    assert_eq!(wait_run(app, &cast.candidate, &run).await["stdout"], "live\n");
}

pub fn body_for(code: &str) -> Value {
    json!({"language": "python", "code": code, "mode": "run"})
}

#[tokio::test]
async fn runs_are_limited_per_participant_while_queued_and_per_minute() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.run_workers = 0).await.unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let path = format!("/api/interviews/{}/runs", interview.id);
    for round in 0..10 {
        let waiting = [
            queue_run(&app, &host, &interview.id, body_for("print(1)")).await,
            queue_run(&app, &host, &interview.id, body_for("print(1)")).await,
        ];
        let full = app.post_json(&host, &path, &body_for("print(1)")).await;
        assert_eq!(full.headers()["retry-after"], "2", "round {round}");
        assert_error(full, StatusCode::TOO_MANY_REQUESTS, "run_queue_full").await;
        for run in waiting {
            let cancelled = app.post_json(&host, &format!("/api/runs/{run}/cancel"), &json!({})).await;
            assert_eq!(cancelled.status(), StatusCode::OK);
        }
    }
    let limited = app.post_json(&host, &path, &body_for("print(1)")).await;
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(app.row_count("runs").await, 20);
}

async fn the_history_is_paged_newest_first(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let mut queued = Vec::new();
    for n in 0..5 {
        let run = queue_run(app, &cast.candidate, &interview.id, body_for(&format!("print({n})"))).await;
        wait_run(app, &cast.candidate, &run).await;
        queued.push(run);
    }
    let mut seen = Vec::new();
    let mut next = Some(format!("/api/interviews/{}/runs?limit=2", interview.id));
    while let Some(page) = next {
        let body: Value = app.get(&cast.observer, &page).await.json().await.unwrap();
        let runs = body["runs"].as_array().unwrap();
        assert!(runs.len() <= 2, "{body}");
        seen.extend(runs.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        next = body["next"].as_str().map(str::to_owned);
    }
    queued.reverse();
    assert_eq!(seen, queued, "every run once, newest first");
    let runs = format!("/api/interviews/{}/runs", interview.id);
    for bad in ["?limit=0", "?limit=51", &format!("?before={}", uuid::Uuid::now_v7())] {
        let response = app.get(&cast.host, &format!("{runs}{bad}")).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
}

#[tokio::test]
async fn queued_runs_survive_a_restart_and_run_once() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.run_workers = 0).await.unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let mut runs = Vec::new();
    for n in 0..2 {
        runs.push((n, queue_run(&app, &host, &interview.id, body_for(&format!("print({n} * 7)"))).await));
    }
    let pending: Value = app.get(&host, &format!("/api/runs/{}", runs[0].1)).await.json().await.unwrap();
    assert_eq!(pending["run"]["status"], "queued", "no worker ran it before the restart");
    let app = app.restart_with(|config| config.run_workers = 2).await;
    let host = app.browser();
    app.login(&host, "host@example.com", "correct horse battery").await;
    for (n, run) in runs {
        let done = wait_run(&app, &host, &run).await;
        assert_eq!(done["status"], "finished", "{done}");
        assert_eq!(done["stdout"], format!("{}\n", n * 7));
    }
    assert_eq!(app.row_count("runs").await, 2, "each run exactly once");
}

pub const TICK_THEN_SLEEP: &str = "import time\nprint('tick', flush=True)\ntime.sleep(4)\nprint('never')\n";

async fn a_running_run_is_cancelled_by_who_may_run(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let mut host_events = room_socket(app, &interview.id, &app.token(&cast.host).await).await;
    let run = queue_run(app, &cast.candidate, &interview.id, body_for(TICK_THEN_SLEEP)).await;
    loop {
        let event = next_event(&mut host_events).await;
        assert_ne!(event["type"], "run_finished", "finished before the cancel: {event}");
        if event["type"] == "run_output" && event["text"] == "tick\n" {
            break;
        }
    }
    let cancel = format!("/api/runs/{run}/cancel");
    assert_error(app.post_json(&cast.observer, &cancel, &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.post_json(&cast.stranger, &cancel, &json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    let response = app.post_json(&cast.candidate, &cancel, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["run"]["status"], "cancelled", "{body}");
    assert_eq!(body["run"]["message"], "Cancelled by Cara Candidate.");
    let finished = next_event(&mut host_events).await;
    assert_eq!((finished["type"].as_str(), finished["status"].as_str()), (Some("run_finished"), Some("cancelled")));
    assert_error(app.post_json(&cast.host, &cancel, &json!({})).await, StatusCode::CONFLICT, "run_finished").await;

    // A candidate may not cancel the host's run (of the host's own code: the candidate does
    // not even see it); the host may cancel anyone's.
    let hosts = queue_run(app, &cast.host, &interview.id, body_for(TICK_THEN_SLEEP)).await;
    let hosts_cancel = format!("/api/runs/{hosts}/cancel");
    assert_error(app.post_json(&cast.candidate, &hosts_cancel, &json!({})).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let response = app.post_json(&cast.co, &hosts_cancel, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let done = wait_run(app, &cast.host, &hosts).await;
    assert_eq!(done["status"], "cancelled", "{done}");
    assert!(!done["stdout"].as_str().unwrap_or_default().contains("never"));
}

#[tokio::test]
async fn a_queued_run_cancelled_never_runs_even_after_a_restart() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.run_workers = 0).await.unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let cancelled = queue_run(&app, &host, &interview.id, body_for("print('cancelled')")).await;
    let kept = queue_run(&app, &host, &interview.id, body_for("print('kept')")).await;
    let response = app.post_json(&host, &format!("/api/runs/{cancelled}/cancel"), &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["run"]["status"].as_str(), body["run"]["message"].as_str()),
        (Some("cancelled"), Some("Cancelled by Host."))
    );

    let app = app.restart_with(|config| config.run_workers = 1).await;
    let host = app.browser();
    app.login(&host, "host@example.com", "correct horse battery").await;
    assert_eq!(wait_run(&app, &host, &kept).await["stdout"], "kept\n");
    let still = wait_run(&app, &host, &cancelled).await;
    assert_eq!(still["status"], "cancelled");
    assert_eq!(still["stdout"], "", "a cancelled run never executes");
}

/// `/api/languages`: every language of the runner, in order, each available here with the
/// version it runs (CI installs every toolchain).
#[tokio::test]
async fn every_language_is_listed_with_the_version_it_runs() {
    let app = TestApp::try_spawn(Backend::Sqlite).await.unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let response = app.get(&host, "/api/languages").await;
    assert_eq!(response.status(), StatusCode::OK);
    let listed: Vec<Value> = response.json().await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = codeview_runner::Language::ALL.iter().map(|l| l.id()).collect();
    assert_eq!(ids, all);
    for language in &listed {
        assert_eq!(language["available"], true, "{language}");
        let version = language["version"].as_str().unwrap();
        assert!(version.chars().any(|c| c.is_ascii_digit()), "{language}");
    }
    let version_of = |id: &str| listed.iter().find(|l| l["id"] == id).unwrap()["version"].as_str().unwrap().to_owned();
    assert!(version_of("csharp").starts_with("Mono "), "C# names its runtime: {}", version_of("csharp"));
    assert!(version_of("rust").starts_with("1."), "{}", version_of("rust"));
}

/// A server that runs no code (`--run-workers 0`: `codeview worker` processes sharing its
/// image do) lists the languages of its machine's toolchains without starting a sandbox of its
/// own, which it may lack the privileges for in a container: the same list as a server that
/// runs code.
#[tokio::test]
async fn a_server_that_runs_no_code_lists_the_same_languages() {
    let mut listings = Vec::new();
    for run_workers in [2, 0] {
        let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.run_workers = run_workers).await.unwrap();
        let host = app.signed_in("host@example.com", "Host").await;
        let response = app.get(&host, "/api/languages").await;
        assert_eq!(response.status(), StatusCode::OK);
        listings.push(response.json::<Value>().await.unwrap());
    }
    assert!(listings[1].as_array().is_some_and(|l| l.iter().all(|l| l["available"] == true)), "{}", listings[1]);
    assert_eq!(listings[0], listings[1]);
}
