//! One install, two hiring teams, and a candidate who registers: a member of workspace B
//! takes workspace A's ids (question, interview, run, workspace, invite) and tries every route
//! and socket with them; a removed member keeps their open sockets; a candidate registers an
//! account to read the bank. Each gets 404 or a closed socket, and no hidden case.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{create_interview, create_question};
use crate::helpers::{TestApp, assert_error};
use crate::support::{SocketAuth, close_code, join_as_candidate, open_socket, queue_run, register, wait_run};

crate::on_both_backends!(
    another_workspaces_member_is_a_stranger_to_everything_of_ours,
    a_removed_members_sockets_close_at_once,
    a_candidate_who_registers_learns_nothing,
);

/// The hidden case's input in `create_question`'s question.
const HIDDEN_INPUT: &str = "-5 5";

async fn another_workspaces_member_is_a_stranger_to_everything_of_ours(app: TestApp) {
    let owner = register(&app, "owner@team-a.example", "Ann").await;
    let rival = register(&app, "rival@team-b.example", "Rob").await;
    let workspace = app.workspace_of(&owner.client).await;
    let question = create_question(&app, &owner.client, "Team A's question").await;
    let interview = create_interview(&app, &owner.client, json!({"title": "A", "question_ids": [question]})).await;
    app.post_json(&owner.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let run = queue_run(&app, &owner.client, &interview.id, &json!({"language": "python", "code": "print(1)", "mode": "run"}))
        .await;
    wait_run(&app, &owner.client, &run).await;
    let invited = app
        .post_json(&owner.client, &format!("/api/workspaces/{workspace}/invites"), &json!({"email": "x@team-a.example", "role": "member"}))
        .await;
    let invite_id = invited.json::<Value>().await.unwrap()["invite"]["id"].as_str().unwrap().to_owned();
    let members: Value = app.get(&owner.client, &format!("/api/workspaces/{workspace}/members")).await.json().await.unwrap();
    let owner_id = members["members"][0]["user_id"].as_str().unwrap().to_owned();
    let rival_workspace = app.workspace_of(&rival.client).await;

    let q = format!("/api/questions/{question}");
    let i = format!("/api/interviews/{}", interview.id);
    let w = format!("/api/workspaces/{workspace}");
    let gets = [
        q.clone(),
        format!("/api/questions?workspace={workspace}"),
        format!("/api/questions/categories?workspace={workspace}"),
        i.clone(),
        format!("{i}/runs"),
        format!("/api/runs/{run}"),
        format!("/api/interviews?workspace={workspace}"),
        w.clone(),
        format!("{w}/members"),
        format!("{w}/invites"),
        format!("{w}/export"),
    ];
    for path in &gets {
        assert_error(app.get(&rival.client, path).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let writes: Vec<(reqwest::Method, String, Value)> = vec![
        (reqwest::Method::PATCH, q.clone(), json!({"title": "Mine"})),
        (reqwest::Method::DELETE, q.clone(), json!(null)),
        (reqwest::Method::POST, format!("{q}/duplicate"), json!({"workspace_id": rival_workspace})),
        (reqwest::Method::PATCH, i.clone(), json!({"title": "Mine"})),
        (reqwest::Method::POST, format!("{i}/end"), json!({})),
        (reqwest::Method::POST, format!("{i}/participants"), json!({"email": "rival@team-b.example", "role": "observer"})),
        (reqwest::Method::POST, format!("{i}/runs"), json!({"language": "python", "code": "print(2)", "mode": "run"})),
        (reqwest::Method::DELETE, i.clone(), json!(null)),
        (reqwest::Method::PATCH, w.clone(), json!({"name": "Ours now"})),
        (reqwest::Method::POST, format!("{w}/invites"), json!({"email": "rival2@team-b.example", "role": "owner"})),
        (reqwest::Method::DELETE, format!("{w}/invites/{invite_id}"), json!(null)),
        (reqwest::Method::PATCH, format!("{w}/members/{owner_id}"), json!({"role": "member"})),
        (reqwest::Method::DELETE, format!("{w}/members/{owner_id}"), json!(null)),
        (reqwest::Method::DELETE, w.clone(), json!(null)),
        (reqwest::Method::POST, "/api/questions".into(), json!({"workspace_id": workspace, "title": "t", "prompt": "p", "difficulty": "easy", "category": "c"})),
        (reqwest::Method::POST, "/api/interviews".into(), json!({"workspace_id": workspace, "title": "In theirs"})),
    ];
    for (method, path, body) in writes {
        let mut request = rival.client.request(method.clone(), app.url(&path));
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // The rival's own listings hold nothing of ours and no hidden case.
    for path in ["/api/questions", "/api/interviews", "/api/workspaces", "/api/questions/categories"] {
        let body = app.get(&rival.client, path).await.text().await.unwrap();
        for ours in [question.as_str(), interview.id.as_str(), workspace.as_str(), HIDDEN_INPUT, "Team A"] {
            assert!(!body.contains(ours), "{path} shows {ours}: {body}");
        }
    }
    // Sockets: refused before the upgrade.
    let token = app.token(&rival.client).await;
    for path in [format!("/ws/rooms/{}", interview.id), format!("/ws/yjs/{}/code", interview.id), format!("/ws/yjs/{}/notes", interview.id)] {
        let url = format!("{}{path}?token={token}", app.base.replace("http://", "ws://"));
        let refused = tokio_tungstenite::connect_async(url).await.expect_err("a stranger's socket is refused");
        match refused {
            tokio_tungstenite::tungstenite::Error::Http(response) => {
                assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}")
            }
            other => panic!("{path}: {other}"),
        }
    }
    // Nothing of ours changed.
    let ours: Value = app.get(&owner.client, &q).await.json().await.unwrap();
    assert_eq!(ours["question"]["title"], "Team A's question");
    assert_eq!(app.get(&owner.client, &w).await.status(), StatusCode::OK);
}

async fn a_removed_members_sockets_close_at_once(app: TestApp) {
    let owner = register(&app, "owner@example.com", "Ann").await;
    let member = register(&app, "member@example.com", "Mel").await;
    let workspace = app.join_workspace(&owner.client, &member.client, "member").await;
    let interview = create_interview(&app, &owner.client, json!({"title": "Pairing"})).await;
    let added = app
        .post_json(&owner.client, &format!("/api/interviews/{}/participants", interview.id), &json!({"email": "member@example.com", "role": "interviewer"}))
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let token = app.token(&member.client).await;
    let mut events = open_socket(&app, &format!("/ws/rooms/{}", interview.id), SocketAuth::Token(&token)).await;
    let mut notes = open_socket(&app, &format!("/ws/yjs/{}/notes", interview.id), SocketAuth::Cookie(&member.cookie)).await;

    let members: Value = app.get(&owner.client, &format!("/api/workspaces/{workspace}/members")).await.json().await.unwrap();
    let member_id = members["members"].as_array().unwrap().iter().find(|m| m["email"] == "member@example.com").unwrap()
        ["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = app.delete(&owner.client, &format!("/api/workspaces/{workspace}/members/{member_id}")).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    app.post_json(&owner.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(close_code(&mut events, Duration::from_secs(1)).await, 4403, "room events");
    assert_eq!(close_code(&mut notes, Duration::from_secs(1)).await, 4403, "private notes");
    assert_error(app.get(&member.client, &format!("/api/interviews/{}", interview.id)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
}

async fn a_candidate_who_registers_learns_nothing(app: TestApp) {
    let owner = register(&app, "owner@example.com", "Ann").await;
    let question = create_question(&app, &owner.client, "Secret sauce").await;
    let interview = create_interview(&app, &owner.client, json!({"title": "Pairing", "question_ids": [question]})).await;
    app.post_json(&owner.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let candidate = join_as_candidate(&app, &interview, "Cara").await;
    let seen = app.get(&candidate.client, &format!("/api/interviews/{}", interview.id)).await.text().await.unwrap();
    assert!(seen.contains(&question) && !seen.contains("workspace_id"), "the candidate's view: {seen}");

    // The candidate registers an account of their own, with the ids they saw.
    let account = register(&app, "cara@example.com", "Cara").await;
    assert_error(app.get(&account.client, &format!("/api/questions/{question}")).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let copy = app.post_json(&account.client, &format!("/api/questions/{question}/duplicate"), &json!({})).await;
    assert_error(copy, StatusCode::NOT_FOUND, "not_found").await;
    let attach = app.post_json(&account.client, "/api/interviews", &json!({"title": "Mine", "question_ids": [question]})).await;
    assert_error(attach, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let bank = app.get(&account.client, "/api/questions").await.text().await.unwrap();
    assert!(!bank.contains("Secret sauce") && !bank.contains(HIDDEN_INPUT), "the bank of a new account: {bank}");
    let workspaces: Value = app.get(&account.client, "/api/workspaces").await.json().await.unwrap();
    assert_eq!(workspaces["workspaces"].as_array().unwrap().len(), 1, "their own workspace only");
}
