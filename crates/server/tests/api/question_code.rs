//! Per-question code: each question of an interview has its own text in the shared code
//! document (`"code"` for the first, `"code:{question_id}"` for the others), the interview's
//! start seeds each empty one with the question's starter code for the document's language,
//! the interviewers choose the room's active question (`active_question_id` control), and a
//! run without `code` runs the active question's text.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::doc_peer::DocPeer;
use crate::fixtures::Cast;
use crate::helpers::{TestApp, assert_error, next_event, wait_run};
use crate::runs::{queue_run, room_socket};

crate::on_both_backends!(
    the_start_seeds_each_empty_question_text_with_its_starter_code_once,
    interviewers_choose_the_active_question_of_the_interview,
    a_run_without_code_runs_the_active_questions_text
);

async fn question_with_starter(app: &TestApp, client: &Client, title: &str, starter_code: Value) -> String {
    let body = crate::fixtures::question_with_starter_body(title, starter_code);
    let response = app.post_json(client, "/api/questions", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating a question");
    response.json::<Value>().await.unwrap()["question"]["id"].as_str().unwrap().to_owned()
}

/// An interview of `questions` with the co-interviewer and the observer, not started.
async fn interview_of(cast: &Cast, questions: &[&str]) -> String {
    let app = &cast.app;
    let body = json!({"title": "Per-question code", "language": "python", "question_ids": questions});
    let response = app.post_json(&cast.host, "/api/interviews", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["interview"]["id"].as_str().unwrap().to_owned();
    for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
        let added = app
            .post_json(
                &cast.host,
                &format!("/api/interviews/{id}/participants"),
                &json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED);
    }
    id
}

async fn start(app: &TestApp, client: &Client, interview: &str) -> reqwest::Response {
    app.post_json(client, &format!("/api/interviews/{interview}/start"), &json!({})).await
}

async fn the_start_seeds_each_empty_question_text_with_its_starter_code_once(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let first = question_with_starter(app, &cast.host, "One", json!({"python": "# one\n", "go": "// one\n"})).await;
    let second = question_with_starter(app, &cast.host, "Two", json!({"python": "# two\n"})).await;
    let third = question_with_starter(app, &cast.host, "Three", json!({"python": "# three\n"})).await;
    let no_python = question_with_starter(app, &cast.host, "Four", json!({"go": "// four\n"})).await;
    let interview = interview_of(&cast, &[&first, &second, &third, &no_python]).await;
    let (second_text, third_text) = (format!("code:{second}"), format!("code:{third}"));

    // The host types into the third question before the start: that code is kept.
    let mut host = DocPeer::open(app, &interview, &app.token(&cast.host).await).await;
    host.append(&third_text, "typed before the start\n").await;
    assert_eq!(host.text("code"), "", "nothing is seeded before the start");

    assert_eq!(start(app, &cast.host, &interview).await.status(), StatusCode::OK);
    host.sync().await;
    assert_eq!(host.text("code"), "# one\n", "the first question's code is the plain `code` text");
    assert_eq!(host.text(&second_text), "# two\n");
    assert_eq!(host.text(&third_text), "typed before the start\n", "typed code is never overwritten");
    assert_eq!(host.text(&format!("code:{no_python}")), "", "no starter code for the language");

    // A second start changes nothing (and the seeded code, once edited, stays edited).
    host.append("code", "print(1)\n").await;
    let again = start(app, &cast.co, &interview).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let observer = DocPeer::open(app, &interview, &app.token(&cast.observer).await).await;
    assert_eq!(observer.text("code"), "# one\nprint(1)\n");
    assert_eq!(observer.text(&second_text), "# two\n", "seeded once");
}

async fn interviewers_choose_the_active_question_of_the_interview(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let first = question_with_starter(app, &cast.host, "One", json!({})).await;
    let second = question_with_starter(app, &cast.host, "Two", json!({})).await;
    let foreign = question_with_starter(app, &cast.host, "Elsewhere", json!({})).await;
    let interview = interview_of(&cast, &[&first, &second]).await;
    let path = format!("/api/interviews/{interview}/controls");
    assert_eq!(active_question_in_detail(app, &cast.host, &interview).await, Value::Null, "null: the first question");

    let mut observer_socket = room_socket(app, &interview, &app.token(&cast.observer).await).await;
    let switched = app.patch_json(&cast.host, &path, &json!({"active_question_id": second})).await;
    assert_eq!(switched.status(), StatusCode::OK);
    assert_eq!(switched.json::<Value>().await.unwrap()["controls"]["active_question_id"], json!(second));
    let event = next_event(&mut observer_socket).await;
    assert_eq!(event["type"], "controls");
    assert_eq!(event["controls"]["active_question_id"], json!(second), "everyone follows: {event}");
    assert_eq!(event["controls"]["candidate_autocomplete"], json!(true), "the whole controls");
    assert_eq!(active_question_in_detail(app, &cast.observer, &interview).await, json!(second));

    // Only one of the interview's questions, and only by interviewers.
    for bad in [json!(foreign), json!("00000000-0000-0000-0000-000000000000")] {
        let body = assert_error(
            app.patch_json(&cast.host, &path, &json!({"active_question_id": bad})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(body["error"]["fields"]["active_question_id"], "is not a question of this interview");
    }
    let not_a_uuid = app.patch_json(&cast.host, &path, &json!({"active_question_id": "two"})).await;
    assert_eq!(not_a_uuid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = json!({"active_question_id": first});
    assert_error(app.patch_json(&cast.observer, &path, &back).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(active_question_in_detail(app, &cast.host, &interview).await, json!(second));

    // Other controls leave the active question as it is.
    let other = app.patch_json(&cast.co, &path, &json!({"candidate_autocomplete": false})).await;
    assert_eq!(other.json::<Value>().await.unwrap()["controls"]["active_question_id"], json!(second));
}

async fn a_run_without_code_runs_the_active_questions_text(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let first = question_with_starter(app, &cast.host, "One", json!({})).await;
    let second = question_with_starter(app, &cast.host, "Two", json!({})).await;
    let interview = interview_of(&cast, &[&first, &second]).await;
    let mut host = DocPeer::open(app, &interview, &app.token(&cast.host).await).await;
    host.append("code", "print('one')\n").await;
    host.append(&format!("code:{second}"), "print('two')\n").await;
    let run_code = |body: Value| queued_code(app, &cast.host, &interview, body);
    let run = json!({"language": "python", "mode": "run"});
    let test = json!({"language": "python", "mode": "test"});
    assert_eq!(run_code(run.clone()).await.0, "print('one')\n", "the first question by default");
    assert_eq!(run_code(test.clone()).await, (json!("print('one')\n"), json!(first)));

    let switched = app
        .patch_json(
            &cast.host,
            &format!("/api/interviews/{interview}/controls"),
            &json!({"active_question_id": second}),
        )
        .await;
    assert_eq!(switched.status(), StatusCode::OK);
    assert_eq!(run_code(run).await.0, "print('two')\n", "the active question's code");
    assert_eq!(run_code(test).await, (json!("print('two')\n"), json!(second)), "a test tests the active question");
    // A test naming a question tests that question, with its code.
    let named = json!({"language": "python", "mode": "test", "question_id": first});
    assert_eq!(run_code(named).await, (json!("print('one')\n"), json!(first)));
    // Own code is run as given.
    let own = json!({"language": "python", "mode": "run", "code": "print(3)"});
    assert_eq!(run_code(own).await.0, "print(3)");
}

async fn active_question_in_detail(app: &TestApp, client: &Client, interview: &str) -> Value {
    let detail: Value = app.get(client, &format!("/api/interviews/{interview}")).await.json().await.unwrap();
    detail["controls"]["active_question_id"].clone()
}

/// Queues a run and answers the code and question it holds.
async fn queued_code(app: &TestApp, client: &Client, interview: &str, body: Value) -> (Value, Value) {
    let run = queue_run(app, client, interview, body).await;
    // Waited for: a participant may have only two runs queued.
    let view = wait_run(app, client, &run).await;
    (view["code"].clone(), view["question_id"].clone())
}
