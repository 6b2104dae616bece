//! Abusing the account page's routes: changing another account's password or name, ending
//! another account's sessions, doing any of it from a candidate session, and keeping a socket
//! open with a session that a password change signed out.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::create_interview;
use crate::helpers::{TestApp, assert_error};
use crate::support::{SocketAuth, close_code, join_as_candidate, login, open_socket, register, still_open};

crate::on_both_backends!(
    nobody_changes_another_accounts_password_name_or_sessions,
    a_candidate_session_changes_no_account,
    a_password_change_closes_the_other_sessions_sockets,
);

const PASSWORD: &str = "correct horse battery";

async fn nobody_changes_another_accounts_password_name_or_sessions(app: TestApp) {
    let victim = register(&app, "victim@example.com", "Vera Victim").await;
    let attacker = register(&app, "attacker@example.com", "Mallory").await;
    let victim_id = app.get(&victim.client, "/api/auth/me").await.json::<Value>().await.unwrap()["user"]["id"].clone();

    // No field names the account: the caller's own is the only one there is.
    for smuggled in [json!({"user_id": victim_id}), json!({"email": "victim@example.com"}), json!({"id": victim_id})] {
        let mut body = json!({"current_password": PASSWORD, "new_password": "taken over at last"});
        body.as_object_mut().unwrap().extend(smuggled.as_object().unwrap().clone());
        let response = app.post_json(&attacker.client, "/api/auth/password", &body).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let mut rename = json!({"name": "Owned"});
        rename.as_object_mut().unwrap().extend(smuggled.as_object().unwrap().clone());
        let response = app.patch_json(&attacker.client, "/api/auth/me", &rename).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    // The attacker's own changes touch only the attacker.
    let own = json!({"current_password": PASSWORD, "new_password": "the attacker's new one", "sign_out_tokens": true});
    assert_eq!(app.post_json(&attacker.client, "/api/auth/password", &own).await.status(), StatusCode::OK);
    assert_eq!(
        app.patch_json(&attacker.client, "/api/auth/me", &json!({"name": "Owned"})).await.status(),
        StatusCode::OK
    );
    let ended = app.delete(&attacker.client, "/api/auth/sessions").await;
    assert_eq!(ended.json::<Value>().await.unwrap(), json!({"sessions_ended": 0}));

    let me: Value = app.get(&victim.client, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["name"], "Vera Victim", "the victim's session lives and the name is theirs");
    assert_eq!(app.login(&app.browser(), "victim@example.com", PASSWORD).await.status(), StatusCode::OK);
    let sessions: Value = app.get(&victim.client, "/api/auth/sessions").await.json().await.unwrap();
    assert_eq!(sessions["sessions"].as_array().unwrap().len(), 2, "both victim sessions are alive: {sessions}");
}

async fn a_candidate_session_changes_no_account(app: TestApp) {
    let host = register(&app, "host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host.client, json!({"title": "Pairing"})).await;
    let candidate = join_as_candidate(&app, &interview, "Cara Candidate").await;
    let password = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    let response = app.post_json(&candidate.client, "/api/auth/password", &password).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app.patch_json(&candidate.client, "/api/auth/me", &json!({"name": "Host now"})).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app.delete(&candidate.client, "/api/auth/sessions").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&host.client, "/api/auth/me").await.status(), StatusCode::OK);
    let me: Value = app.get(&candidate.client, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["candidate"]["name"], "Cara Candidate", "the candidate session itself goes on");
}

async fn a_password_change_closes_the_other_sessions_sockets(app: TestApp) {
    let stolen = register(&app, "host@example.com", "Hana Host").await;
    let owner = login(&app, "host@example.com").await;
    let interview = create_interview(&app, &owner.client, json!({"title": "Pairing"})).await;
    let room = format!("/ws/rooms/{}", interview.id);
    let mut stolen_events = open_socket(&app, &room, SocketAuth::Cookie(&stolen.cookie)).await;
    let mut owner_events = open_socket(&app, &room, SocketAuth::Cookie(&owner.cookie)).await;

    let body = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    assert_eq!(app.post_json(&owner.client, "/api/auth/password", &body).await.status(), StatusCode::OK);
    assert_eq!(close_code(&mut stolen_events, Duration::from_secs(1)).await, 4401, "the stolen session's socket");
    assert!(still_open(&mut owner_events, Duration::from_millis(300)).await, "the owner's own socket stays");
    assert_error(app.get(&stolen.client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
