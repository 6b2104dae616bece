//! A candidate tries to read a hidden test case's input through the side channels of a test
//! run: a fake `SyntaxError` on stderr (once copied into the run's message), the exit code
//! (`sys.exit(ord(d[0]))`), and the memory and CPU time a hidden case reports. Nothing the
//! candidate or an observer receives — the run, the history, the room events — may carry the
//! secret or those numbers, while the host still sees every detail.

use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview, create_interview};
use crate::helpers::TestApp;
use crate::support::{Session, SocketAuth, events_until_finished, join_as_candidate, queue_run, room_socket, wait_run};

crate::on_both_backends!(a_fake_syntax_error_never_reaches_the_candidate, hidden_numbers_never_reach_the_candidate);

/// The hidden case's input. Its first two bytes drive the numeric side channels:
/// `Q` = 81 (exit code, MiB allocated), `Z` = 90 (hundredths of a second of CPU).
const SECRET: &str = "QZ-hidden-8c1f";

/// Prints a Python syntax error quoting its input, exactly as the interpreter would, and exits
/// 1 (the shape the runner used to relabel as a compile error).
const FAKE_SYNTAX_ERROR: &str = r#"import sys
d = sys.stdin.read()
if d.startswith('1'):
    print(1)
else:
    sys.stderr.write('  File "/work/main.py", line 1\n    ' + d + '\nSyntaxError: ' + d + '\n')
    sys.exit(1)
"#;

/// Encodes the input's bytes in its exit code, peak memory and CPU time (and prints it).
const NUMBERS: &str = r#"import sys, time
d = sys.stdin.read()
if d.startswith('1'):
    print(1)
else:
    blob = b'\x01' * (ord(d[0]) * 1024 * 1024)
    end = time.process_time() + ord(d[1]) / 100
    while time.process_time() < end:
        pass
    print(d)
    sys.stderr.write(d)
    sys.exit(ord(d[0]))
"#;

/// The visible case is fast and small; the hidden one takes 81 MiB and 0.9 s of CPU.
const VISIBLE_MAX_MEMORY_KB: u64 = 60 * 1024;
const VISIBLE_MAX_TIME_MS: u64 = 500;

struct LiveDoc {
    cast: Cast,
    interview: Interview,
    candidate: Session,
}

/// A live interview whose question has the hidden case first (case 0) and a visible one.
async fn room(app: TestApp) -> LiveDoc {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let created = app
        .post_json(
            &cast.host,
            "/api/questions",
            &json!({
                "title": "Echo one", "prompt": "Print 1.", "difficulty": "easy", "category": "io",
                "test_cases": [
                    {"input": format!("{SECRET}\n"), "expected_output": "never", "hidden": true},
                    {"input": "1\n", "expected_output": "1\n", "hidden": false}
                ]
            }),
        )
        .await;
    let question: Value = created.json().await.unwrap();
    let question = question["question"]["id"].as_str().unwrap().to_owned();
    let interview = create_interview(app, &cast.host, json!({"title": "Leak", "question_ids": [question]})).await;
    let path = format!("/api/interviews/{}/participants", interview.id);
    app.post_json(&cast.host, &path, &json!({"email": "observer@example.com", "role": "observer"})).await;
    let candidate = join_as_candidate(app, &interview, "Mallory").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    LiveDoc { cast, interview, candidate }
}

/// Everything the candidate and the observer receive about one test run of `code`: the room
/// events, the run, and the history; plus the host's view of the run.
async fn observe_test_run(room: &LiveDoc, code: &str) -> (Vec<String>, Value, Value) {
    let (app, cast, interview, candidate) = (&room.cast.app, &room.cast, &room.interview, &room.candidate);
    let mut candidate_events = room_socket(app, &interview.id, SocketAuth::Cookie(&candidate.cookie)).await;
    let observer_token = app.token(&cast.observer).await;
    let mut observer_events = room_socket(app, &interview.id, SocketAuth::Token(&observer_token)).await;
    let host_token = app.token(&cast.host).await;
    let mut host_events = room_socket(app, &interview.id, SocketAuth::Token(&host_token)).await;
    let body = json!({"language": "python", "code": code, "mode": "test"});
    let run = queue_run(app, &candidate.client, &interview.id, &body).await;
    let mut received: Vec<String> = Vec::new();
    for socket in [&mut candidate_events, &mut observer_events] {
        received.extend(events_until_finished(socket, &run).await.iter().map(Value::to_string));
    }
    let host_saw = events_until_finished(&mut host_events, &run).await;
    let candidate_view = wait_run(app, &candidate.client, &run).await;
    for client in [&candidate.client, &cast.observer] {
        received.push(wait_run(app, client, &run).await.to_string());
        let history = app.get(client, &format!("/api/interviews/{}/runs", interview.id)).await;
        received.push(history.text().await.unwrap());
    }
    let host_view = wait_run(app, &cast.host, &run).await;
    assert!(
        host_saw.iter().any(|e| e["type"] == "run_case" && e["case"] == 0 && e["time_ms"].is_u64()),
        "the host's events keep the hidden case's numbers: {host_saw:?}"
    );
    (received, candidate_view, host_view)
}

fn assert_no_secret(received: &[String]) {
    for text in received {
        // The candidate's own code is echoed back to them, so the secret itself is the probe.
        assert!(!text.contains(SECRET) && !text.contains("hidden-8c1f"), "the secret leaked: {text}");
    }
}

async fn a_fake_syntax_error_never_reaches_the_candidate(app: TestApp) {
    let room = room(app).await;
    let (received, candidate_view, host_view) = observe_test_run(&room, FAKE_SYNTAX_ERROR).await;
    assert_no_secret(&received);
    assert!(candidate_view["message"].is_null(), "{candidate_view}");
    assert_ne!(candidate_view["status"], "compile_error", "a program's stderr is not a compile error");
    assert_eq!(candidate_view["verdict"], "failed");
    let hidden = &candidate_view["tests"][0];
    assert_eq!(hidden["reason"], "crash");
    for field in ["input", "expected_output", "actual_output", "stderr", "time_ms", "memory_kb", "exit_code"] {
        assert!(hidden.get(field).is_some_and(Value::is_null), "{field} of a hidden case: {hidden}");
    }
    // The host sees the hidden case's input and what it printed.
    assert_eq!(host_view["tests"][0]["input"], format!("{SECRET}\n"));
    assert!(host_view["tests"][0]["stderr"].as_str().unwrap().contains("SyntaxError"), "{host_view}");
}

async fn hidden_numbers_never_reach_the_candidate(app: TestApp) {
    let room = room(app).await;
    let (received, candidate_view, host_view) = observe_test_run(&room, NUMBERS).await;
    assert_no_secret(&received);
    for text in &received {
        let value: Value = serde_json::from_str(text).expect("JSON");
        assert_numbers_are_visible_ones(&value, text);
    }
    let hidden = &candidate_view["tests"][0];
    assert_eq!((hidden["passed"].as_bool(), hidden["reason"].as_str()), (Some(false), Some("crash")), "{hidden}");
    assert_eq!(candidate_view["exit_code"], 0, "the top exit code is the visible case's: {candidate_view}");
    assert_eq!(candidate_view["status"], "finished", "the visible case finished: {candidate_view}");
    // The host sees every number of the hidden case.
    let hidden = &host_view["tests"][0];
    assert_eq!(hidden["exit_code"], 81, "{hidden}");
    assert!(hidden["time_ms"].as_u64().unwrap() >= 800, "{hidden}");
    assert!(hidden["memory_kb"].as_u64().is_none_or(|kb| kb >= 81 * 1024), "{hidden}");
    assert!(hidden["actual_output"].as_str().unwrap().contains(SECRET), "{hidden}");
}

/// Every exit code, time and memory figure in `value` is the visible case's (or absent).
fn assert_numbers_are_visible_ones(value: &Value, context: &str) {
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                match key.as_str() {
                    "exit_code" => assert!(field.is_null() || field == 0, "{key} leaked: {context}"),
                    "signal" => assert!(field.is_null(), "{key} leaked: {context}"),
                    "memory_kb" => {
                        assert!(field.as_u64().is_none_or(|kb| kb < VISIBLE_MAX_MEMORY_KB), "{key} leaked: {context}")
                    }
                    "time_ms" => {
                        assert!(field.as_u64().is_none_or(|ms| ms < VISIBLE_MAX_TIME_MS), "{key} leaked: {context}")
                    }
                    _ => assert_numbers_are_visible_ones(field, context),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| assert_numbers_are_visible_ones(item, context)),
        _ => {}
    }
}
