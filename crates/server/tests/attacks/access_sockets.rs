//! Sockets outliving their rights: a removed interviewer's room and document sockets, an
//! ended candidate's, and the sockets of a session that signed out, of a session ended from
//! another browser, of a revoked token, and of a session deleted by another process. Each must
//! close (4401 credential gone, 4403 right gone) within a second — the last within the
//! re-validation period — and receive nothing more.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::create_interview;
use crate::helpers::TestApp;
use crate::support::{
    SocketAuth, arrival_seen, close_code, join_as_candidate, login, open_socket, register, still_open,
};

crate::on_both_backends!(
    a_removed_interviewers_sockets_close_at_once,
    an_ended_candidates_sockets_close_at_once,
    signing_out_closes_that_sessions_sockets_only,
    ending_a_session_or_revoking_a_token_closes_its_sockets,
    a_session_deleted_elsewhere_closes_its_sockets_within_the_revalidation_period,
);

const AT_ONCE: Duration = Duration::from_secs(1);

fn room(id: &str) -> String {
    format!("/ws/rooms/{id}")
}

fn code_doc(id: &str) -> String {
    format!("/ws/yjs/{id}/code")
}

async fn a_removed_interviewers_sockets_close_at_once(app: TestApp) {
    let host = register(&app, "host@example.com", "Hana Host").await;
    let co = register(&app, "co@example.com", "Cole Co").await;
    app.join_workspace(&host.client, &co.client, "member").await;
    let interview = create_interview(&app, &host.client, json!({"title": "Pairing"})).await;
    let added = app
        .post_json(
            &host.client,
            &format!("/api/interviews/{}/participants", interview.id),
            &json!({"email": "co@example.com", "role": "interviewer"}),
        )
        .await;
    let co_participant = added.json::<Value>().await.unwrap()["participant"]["id"].as_str().unwrap().to_owned();
    let token = app.token(&co.client).await;
    let mut events = open_socket(&app, &room(&interview.id), SocketAuth::Token(&token)).await;
    let mut doc = open_socket(&app, &code_doc(&interview.id), SocketAuth::Cookie(&co.cookie)).await;

    let path = format!("/api/interviews/{}/participants/{co_participant}", interview.id);
    assert_eq!(app.delete(&host.client, &path).await.status(), StatusCode::NO_CONTENT);
    // Something happens in the room right after: the removed interviewer must not see it.
    let started = app.post_json(&host.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    assert_eq!(close_code(&mut events, AT_ONCE).await, 4403, "room events");
    assert_eq!(close_code(&mut doc, AT_ONCE).await, 4403, "code document");
}

async fn an_ended_candidates_sockets_close_at_once(app: TestApp) {
    let host = register(&app, "host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host.client, json!({"title": "Pairing"})).await;
    let candidate = join_as_candidate(&app, &interview, "Cara").await;
    let started = app.post_json(&host.client, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let mut events = open_socket(&app, &room(&interview.id), SocketAuth::Cookie(&candidate.cookie)).await;
    let mut doc = open_socket(&app, &code_doc(&interview.id), SocketAuth::Cookie(&candidate.cookie)).await;
    let host_token = app.token(&host.client).await;
    let mut host_events = open_socket(&app, &room(&interview.id), SocketAuth::Token(&host_token)).await;
    arrival_seen(&mut events).await;

    let ended = app.post_json(&host.client, &format!("/api/interviews/{}/end", interview.id), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(close_code(&mut events, AT_ONCE).await, 4403, "room events");
    assert_eq!(close_code(&mut doc, AT_ONCE).await, 4403, "code document");
    assert!(still_open(&mut host_events, Duration::from_millis(300)).await, "interviewers keep their sockets");
}

async fn signing_out_closes_that_sessions_sockets_only(app: TestApp) {
    let laptop = register(&app, "host@example.com", "Hana Host").await;
    let phone = login(&app, "host@example.com").await;
    let interview = create_interview(&app, &laptop.client, json!({"title": "Pairing"})).await;
    let mut laptop_events = open_socket(&app, &room(&interview.id), SocketAuth::Cookie(&laptop.cookie)).await;
    let mut laptop_doc = open_socket(&app, &code_doc(&interview.id), SocketAuth::Cookie(&laptop.cookie)).await;
    let mut phone_events = open_socket(&app, &room(&interview.id), SocketAuth::Cookie(&phone.cookie)).await;

    let out = app.post_json(&laptop.client, "/api/auth/logout", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(close_code(&mut laptop_events, AT_ONCE).await, 4401, "room events");
    assert_eq!(close_code(&mut laptop_doc, AT_ONCE).await, 4401, "code document");
    assert!(still_open(&mut phone_events, Duration::from_millis(300)).await, "another session's socket stays");
}

async fn ending_a_session_or_revoking_a_token_closes_its_sockets(app: TestApp) {
    let stolen = register(&app, "host@example.com", "Hana Host").await;
    let owner = login(&app, "host@example.com").await;
    let interview = create_interview(&app, &owner.client, json!({"title": "Pairing"})).await;
    let created = app.post_json(&owner.client, "/api/auth/tokens", &json!({"name": "script"})).await;
    let created: Value = created.json().await.unwrap();
    let token = created["token"].as_str().unwrap();
    let mut session_events = open_socket(&app, &room(&interview.id), SocketAuth::Cookie(&stolen.cookie)).await;
    let mut token_events = open_socket(&app, &room(&interview.id), SocketAuth::Token(token)).await;
    let mut token_doc = open_socket(&app, &code_doc(&interview.id), SocketAuth::Token(token)).await;

    let sessions: Value = app.get(&owner.client, "/api/auth/sessions").await.json().await.unwrap();
    let other = sessions["sessions"].as_array().unwrap().iter().find(|s| s["current"] == false).expect("the other");
    let ended = app.delete(&owner.client, &format!("/api/auth/sessions/{}", other["id"].as_str().unwrap())).await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_eq!(close_code(&mut session_events, AT_ONCE).await, 4401, "the ended session's socket");

    let revoked = app.delete(&owner.client, &format!("/api/auth/tokens/{}", created["id"].as_str().unwrap())).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(close_code(&mut token_events, AT_ONCE).await, 4401, "the revoked token's room socket");
    assert_eq!(close_code(&mut token_doc, AT_ONCE).await, 4401, "the revoked token's document socket");
}

/// Another server on the same database ends a session: this one is not told, and finds out
/// by re-validating its sockets.
async fn a_session_deleted_elsewhere_closes_its_sockets_within_the_revalidation_period(app: TestApp) {
    let host = register(&app, "host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host.client, json!({"title": "Pairing"})).await;
    let mut events = open_socket(&app, &room(&interview.id), SocketAuth::Cookie(&host.cookie)).await;
    app.execute("DELETE FROM sessions").await;
    let period = codeview::realtime::revocations::REVALIDATE_EVERY;
    assert_eq!(close_code(&mut events, period + Duration::from_secs(2)).await, 4401);
}
