//! Interviews: lifecycle with the candidate's lobby and lock-out, invite links, validation
//! that writes nothing, and what a candidate may never see.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview, create_question, join, parse_invite_url};
use crate::helpers::{Backend, TestApp, assert_error};

crate::on_both_backends!(
    candidate_waits_in_the_lobby_then_gets_in_then_is_locked_out,
    invalid_interviews_are_refused_and_nothing_is_written,
    wrong_invites_are_refused_clearly,
    candidates_never_see_hidden_test_cases,
    a_candidate_cannot_reach_another_interview,
    interviews_are_listed_by_status_and_edited_only_while_scheduled,
    participants_need_accounts_and_are_not_added_twice,
);

async fn candidate_waits_in_the_lobby_then_gets_in_then_is_locked_out(app: TestApp) {
    let host = app.signed_in("host@example.com", "Host").await;
    let question = create_question(&app, &host, "Sum").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing", "question_ids": [question]})).await;
    assert_eq!(interview.invite.len(), 43, "a 256-bit invite secret");
    let candidate = app.browser();
    join(&app, &candidate, &interview, "Cara").await;

    let path = format!("/api/interviews/{}", interview.id);
    let lobby: Value = app.get(&candidate, &path).await.json().await.unwrap();
    assert_eq!(lobby["interview"]["status"], "scheduled");
    assert_eq!(lobby["interview"]["my_role"], "candidate");
    assert_eq!(lobby["questions"], json!([]), "no questions before the start");
    assert!(lobby.get("candidate_invite_url").is_none());
    let me: Value = app.get(&candidate, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["candidate"]["name"], "Cara");
    assert_eq!(me["user"], Value::Null);

    let started = app.post_json(&host, &format!("{path}/start"), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let again = app.post_json(&host, &format!("{path}/start"), &json!({})).await;
    assert_error(again, StatusCode::CONFLICT, "invalid_status").await;

    let live: Value = app.get(&candidate, &path).await.json().await.unwrap();
    assert_eq!(live["interview"]["status"], "live");
    assert_eq!(live["questions"][0]["title"], "Sum");

    let ended = app.post_json(&host, &format!("{path}/end"), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    let out = app.get(&candidate, &path).await;
    assert_eq!(out.status(), StatusCode::UNAUTHORIZED, "the candidate's session ended with the interview");
    let rejoin = app
        .post_json(
            &candidate,
            &format!("/api/interviews/room/{}/join", interview.code),
            &json!({"name": "Cara", "invite": interview.invite}),
        )
        .await;
    assert_error(rejoin, StatusCode::FORBIDDEN, "interview_ended").await;
    let host_view: Value = app.get(&host, &path).await.json().await.unwrap();
    assert_eq!(host_view["interview"]["status"], "ended", "interviewers keep read access");
    assert!(host_view["interview"]["ended_at"].is_string());
}

async fn invalid_interviews_are_refused_and_nothing_is_written(app: TestApp) {
    let host = app.signed_in("host@example.com", "Host").await;
    let question = create_question(&app, &host, "Sum").await;
    let before = app.row_count("interviews").await;
    let cases = [
        (json!({"title": "T", "scheduled_at": "tomorrow at noon"}), "scheduled_at"),
        (json!({"title": "T", "scheduled_at": "2001-01-01T10:00:00Z"}), "scheduled_at"),
        (json!({"title": "T", "duration_minutes": -30}), "duration_minutes"),
        (json!({"title": "T", "duration_minutes": 100000}), "duration_minutes"),
        (json!({"title": "T", "language": "cobol"}), "language"),
        (json!({"title": "T", "question_ids": ["0190a1b2-0000-7000-8000-000000000000"]}), "question_ids"),
        (json!({"title": "T", "question_ids": [question, question]}), "question_ids"),
        (json!({"title": "T", "question_ids": ["not-a-uuid"]}), "question_ids[0]"),
        (json!({"title": " "}), "title"),
        (json!({"title": "x".repeat(201)}), "title"),
        (json!({"title": "T", "candidate_email": "nope"}), "candidate_email"),
        (json!({}), "title"),
        (json!({"title": "T", "room_code": "abc"}), "room_code"),
    ];
    for (body, field) in cases {
        let response = app.post_json(&host, "/api/interviews", &body).await;
        let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(error["error"]["fields"][field].is_string(), "{body} should name {field}: {error}");
    }
    assert_eq!(app.row_count("interviews").await, before, "nothing written");
    assert_eq!(app.row_count("participants").await, 0);
}

async fn wrong_invites_are_refused_clearly(app: TestApp) {
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let guest = app.browser();
    let join_path = format!("/api/interviews/room/{}/join", interview.code);
    // A wrong secret is answered like an unknown code: codes cannot be enumerated.
    let wrong = app.post_json(&guest, &join_path, &json!({"name": "Eve", "invite": "guess"})).await;
    assert_error(wrong, StatusCode::NOT_FOUND, "not_found").await;
    let no_room =
        app.post_json(&guest, "/api/interviews/room/zzz-zzzz-zzz/join", &json!({"name": "Eve", "invite": "x"})).await;
    assert_error(no_room, StatusCode::NOT_FOUND, "not_found").await;
    let garbage = app.get(&guest, "/api/interviews/room/..%2F..%2Fetc").await;
    assert_error(garbage, StatusCode::NOT_FOUND, "not_found").await;
    let blank = app.post_json(&guest, &join_path, &json!({"name": "  ", "invite": interview.invite})).await;
    assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.row_count("participants").await, 1, "only the host");

    let info: Value = app
        .get(&guest, &format!("/api/interviews/room/{}?invite={}", interview.code, interview.invite))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["room"]["title"], "Pairing");
    assert_eq!(info["room"]["status"], "scheduled");
}

async fn candidates_never_see_hidden_test_cases(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview = create_interview(app, &cast.host, json!({"title": "Pairing", "question_ids": [question]})).await;
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;

    let seen: Value =
        app.get(&cast.candidate, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    let text = seen.to_string();
    assert!(!text.contains("-5 5"), "hidden input leaked: {text}");
    assert_eq!(seen["questions"][0]["test_cases"].as_array().unwrap().len(), 1);
    assert_eq!(seen["questions"][0]["hidden_test_count"], 1);
    assert!(!text.contains(&interview.invite), "the invite secret is for interviewers");
    let host_view: Value =
        app.get(&cast.host, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    assert_eq!(host_view["questions"][0]["test_cases"].as_array().unwrap().len(), 2);
    let direct = app.get(&cast.candidate, &format!("/api/questions/{question}")).await;
    assert_eq!(direct.status(), StatusCode::FORBIDDEN);
}

async fn a_candidate_cannot_reach_another_interview(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let mine = cast.interview(true).await;
    let other = &cast.other_interview;
    // By id: as if it did not exist.
    let by_id = app.get(&cast.candidate, &format!("/api/interviews/{}", other.id)).await;
    assert_error(by_id, StatusCode::NOT_FOUND, "not_found").await;
    let act = app.post_json(&cast.candidate, &format!("/api/interviews/{}/end", other.id), &json!({})).await;
    assert_error(act, StatusCode::NOT_FOUND, "not_found").await;
    // By code, without the other room's invite.
    let by_code = app.get(&cast.candidate, &format!("/api/interviews/room/{}", other.code)).await;
    assert_error(by_code, StatusCode::NOT_FOUND, "not_found").await;
    let join_with_mine = app
        .post_json(
            &cast.candidate,
            &format!("/api/interviews/room/{}/join", other.code),
            &json!({"name": "C", "invite": mine.invite}),
        )
        .await;
    assert_error(join_with_mine, StatusCode::NOT_FOUND, "not_found").await;
    // Still fine in its own interview.
    assert_eq!(app.get(&cast.candidate, &format!("/api/interviews/{}", mine.id)).await.status(), StatusCode::OK);
}

async fn interviews_are_listed_by_status_and_edited_only_while_scheduled(app: TestApp) {
    let host = app.signed_in("host@example.com", "Host").await;
    let (sum, sort) = (create_question(&app, &host, "Sum").await, create_question(&app, &host, "Sort").await);
    let first = create_interview(&app, &host, json!({"title": "First", "language": "rust", "duration_minutes": 45, "scheduled_at": "2027-06-01T09:00:00Z", "candidate_name": "Ann", "candidate_email": "Ann@Example.com", "question_ids": [sort, sum]})).await;
    let second = create_interview(&app, &host, json!({"title": "Second"})).await;
    app.post_json(&host, &format!("/api/interviews/{}/start", second.id), &json!({})).await;

    let all: Value = app.get(&host, "/api/interviews").await.json().await.unwrap();
    assert_eq!(all["interviews"].as_array().unwrap().len(), 2);
    // Each with its own questions, in the order given.
    let questions_of = |title: &str| {
        let listed = all["interviews"].as_array().unwrap().iter().find(|i| i["title"] == title).unwrap();
        listed["question_ids"].clone()
    };
    assert_eq!(questions_of("First"), json!([sort, sum]));
    assert_eq!(questions_of("Second"), json!([]));
    let live: Value = app.get(&host, "/api/interviews?status=live").await.json().await.unwrap();
    assert_eq!(live["interviews"].as_array().unwrap().len(), 1);
    assert_eq!(live["interviews"][0]["title"], "Second");
    assert_error(
        app.get(&host, "/api/interviews?status=soon").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let view: Value = app.get(&host, &format!("/api/interviews/{}", first.id)).await.json().await.unwrap();
    let interview = &view["interview"];
    assert_eq!(interview["language"], "rust");
    assert_eq!(interview["duration_minutes"], 45);
    assert_eq!(interview["candidate_email"], "ann@example.com");
    assert_eq!(interview["my_role"], "host");
    let code = interview["room_code"].as_str().unwrap();
    assert_eq!(code.len(), 12, "room codes look like abc-defg-hjk: {code}");
    let (link_code, _) = parse_invite_url(view["candidate_invite_url"].as_str().unwrap());
    assert_eq!(link_code, code);

    let edited = app
        .patch_json(
            &host,
            &format!("/api/interviews/{}", first.id),
            &json!({"title": "First, renamed", "candidate_name": ""}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["interview"]["title"], "First, renamed");
    assert_eq!(edited["interview"]["language"], "rust", "untouched fields stay");
    assert_eq!(edited["interview"]["candidate_name"], Value::Null, "an empty string clears");

    let live_edit = app.patch_json(&host, &format!("/api/interviews/{}", second.id), &json!({"title": "Nope"})).await;
    assert_error(live_edit, StatusCode::CONFLICT, "invalid_status").await;

    let deleted = app.delete(&host, &format!("/api/interviews/{}", first.id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&host, &format!("/api/interviews/{}", first.id)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
}

async fn participants_need_accounts_and_are_not_added_twice(app: TestApp) {
    let host = app.signed_in("host@example.com", "Host").await;
    let co = app.signed_in("co@example.com", "Co").await;
    app.join_workspace(&host, &co, "member").await;
    app.signed_in("outsider@example.com", "Out").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let path = format!("/api/interviews/{}/participants", interview.id);
    let added = app.post_json(&host, &path, &json!({"email": "CO@example.com", "role": "interviewer"})).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let twice = app.post_json(&host, &path, &json!({"email": "co@example.com", "role": "observer"})).await;
    assert_error(twice, StatusCode::CONFLICT, "already_participant").await;
    let host_again = app.post_json(&host, &path, &json!({"email": "host@example.com", "role": "observer"})).await;
    assert_error(host_again, StatusCode::CONFLICT, "already_participant").await;
    let unknown = app.post_json(&host, &path, &json!({"email": "ghost@example.com", "role": "observer"})).await;
    let body = assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["email"].as_str().unwrap().contains("member of this workspace"));
    let outsider = app.post_json(&host, &path, &json!({"email": "outsider@example.com", "role": "observer"})).await;
    let body = assert_error(outsider, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["email"].as_str().unwrap().contains("member of this workspace"));
    let bad_role = app.post_json(&host, &path, &json!({"email": "co@example.com", "role": "candidate"})).await;
    assert_error(bad_role, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.row_count("participants").await, 2);
}

#[tokio::test]
async fn joining_is_rate_limited_per_address() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.rate_limits.join_per_minute = 5).await.unwrap();
    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let guest = Client::new();
    let path = format!("/api/interviews/room/{}/join", interview.code);
    for _ in 0..5 {
        let response = app.post_json(&guest, &path, &json!({"name": "Eve", "invite": "guess"})).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let limited = app.post_json(&guest, &path, &json!({"name": "Eve", "invite": interview.invite})).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
