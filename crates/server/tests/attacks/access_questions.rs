//! Reading hidden test cases through the question bank: a registered stranger, the
//! candidate and an observer take the ids the interview hands out (or read them in the lobby)
//! and ask the bank, or attach the question to an interview of their own to read it as its
//! host. None of them may see a hidden case; the author still does.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview, create_question, join};
use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    strangers_candidates_and_observers_never_read_hidden_cases_by_id,
    a_question_cannot_be_attached_to_read_its_hidden_cases,
    the_lobby_reveals_no_question_ids,
);

/// The hidden case's input in `create_question`'s question.
const HIDDEN_INPUT: &str = "-5 5";

async fn text(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let response = app.get(client, path).await;
    (response.status(), response.text().await.unwrap())
}

async fn strangers_candidates_and_observers_never_read_hidden_cases_by_id(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    let path = format!("/api/interviews/{}/participants", interview.id);
    let added = app.post_json(&cast.host, &path, &json!({"email": "observer@example.com", "role": "observer"})).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;

    let by_id = format!("/api/questions/{question}");
    // The observer is a member of the host's workspace; the stranger is not, so the question
    // does not exist for them.
    for (who, client) in [("stranger", &cast.stranger), ("observer", &cast.observer)] {
        for path in [by_id.as_str(), "/api/questions", "/api/questions?q=Sum"] {
            let (status, body) = text(app, client, path).await;
            let expected = if who == "stranger" && path == by_id { StatusCode::NOT_FOUND } else { StatusCode::OK };
            assert_eq!(status, expected, "{who} {path}");
            assert!(!body.contains(HIDDEN_INPUT), "{who} read a hidden case at {path}: {body}");
        }
    }
    let (_, observed) = text(app, &cast.observer, &format!("/api/interviews/{}", interview.id)).await;
    assert!(!observed.contains(HIDDEN_INPUT), "observer's interview view: {observed}");
    assert_error(app.get(&cast.candidate, &by_id).await, StatusCode::FORBIDDEN, "forbidden").await;
    let (_, seen) = text(app, &cast.candidate, &format!("/api/interviews/{}", interview.id)).await;
    assert!(seen.contains(&question) && !seen.contains(HIDDEN_INPUT), "candidate's interview view: {seen}");

    // The team sees them, in the bank and as host.
    let (_, own) = text(app, &cast.host, &by_id).await;
    assert!(own.contains(HIDDEN_INPUT), "the author: {own}");
    // The starter library has no author: nobody reads its hidden cases in the bank.
    let bank: Value = app.get(&cast.host, "/api/questions").await.json().await.unwrap();
    let starters: Vec<&Value> = bank["questions"].as_array().unwrap().iter().filter(|q| q["builtin"] == true).collect();
    assert!(starters.iter().any(|q| q["hidden_test_count"].as_u64() > Some(0)), "starters with hidden cases");
    for starter in starters {
        assert!(starter["test_cases"].as_array().unwrap().iter().all(|c| c["hidden"] == false), "{starter}");
    }
}

async fn a_question_cannot_be_attached_to_read_its_hidden_cases(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let before = app.row_count("interviews").await;
    let attach =
        app.post_json(&cast.stranger, "/api/interviews", &json!({"title": "Mine", "question_ids": [question]})).await;
    let body = assert_error(attach, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["question_ids"].is_string(), "{body}");
    assert_eq!(app.row_count("interviews").await, before, "no interview created");

    // Nor by editing one of one's own interviews.
    let mine = create_interview(app, &cast.stranger, json!({"title": "Mine"})).await;
    let edit = app
        .patch_json(&cast.stranger, &format!("/api/interviews/{}", mine.id), &json!({"question_ids": [question]}))
        .await;
    assert_error(edit, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let (_, detail) = text(app, &cast.stranger, &format!("/api/interviews/{}", mine.id)).await;
    assert!(!detail.contains(HIDDEN_INPUT) && !detail.contains(&question), "{detail}");

    // Another workspace's question is refused even without hidden cases: it is not theirs.
    let open = app
        .post_json(
            &cast.host,
            "/api/questions",
            &json!({"title": "Echo", "prompt": "Echo the input.", "difficulty": "easy", "category": "io",
                    "test_cases": [{"input": "x\n", "expected_output": "x\n"}]}),
        )
        .await;
    let open = open.json::<Value>().await.unwrap()["question"]["id"].as_str().unwrap().to_owned();
    let attach = app.post_json(&cast.stranger, "/api/interviews", &json!({"title": "Open", "question_ids": [open]})).await;
    assert_error(attach, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

async fn the_lobby_reveals_no_question_ids(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = create_question(app, &cast.host, "Secret problem").await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    let lobby = app.browser();
    let joined = app
        .post_json(
            &lobby,
            &format!("/api/interviews/room/{}/join", interview.code),
            &json!({"name": "Cara", "invite": interview.invite}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    let joined = joined.text().await.unwrap();
    assert!(!joined.contains(&question), "join response: {joined}");
    for path in [
        format!("/api/interviews/{}", interview.id),
        format!("/api/interviews/room/{}", interview.code),
        format!("/api/interviews/room/{}?invite={}", interview.code, interview.invite),
    ] {
        let (status, body) = text(app, &lobby, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!body.contains(&question), "{path} in the lobby: {body}");
    }
    // Once live, the candidate gets the question (without its hidden cases).
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let (_, live) = text(app, &lobby, &format!("/api/interviews/{}", interview.id)).await;
    assert!(live.contains(&question) && !live.contains(HIDDEN_INPUT), "{live}");
}
