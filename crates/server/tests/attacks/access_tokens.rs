//! Abusing API tokens and sessions: a token past its expiry, a token minting a successor for
//! itself, a token or session that cannot be found and ended, and ending someone else's.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::create_interview;
use crate::helpers::{TestApp, assert_error};
use crate::support::{SocketAuth, login, open_socket, register};

crate::on_both_backends!(
    expired_tokens_are_refused,
    a_token_cannot_mint_tokens,
    tokens_are_listed_without_secrets_and_revoked_by_their_owner_only,
    sessions_are_listed_and_ended_by_their_owner_only,
);

async fn create_token(app: &TestApp, client: &reqwest::Client, body: Value) -> Value {
    let response = app.post_json(client, "/api/auth/tokens", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    response.json().await.unwrap()
}

fn bearer(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

async fn expired_tokens_are_refused(app: TestApp) {
    let owner = register(&app, "host@example.com", "Hana Host").await;
    let created = create_token(&app, &owner.client, json!({"name": "ci"})).await;
    let expires: chrono::DateTime<Utc> = created["expires_at"].as_str().unwrap().parse().unwrap();
    let ninety_days = Utc::now() + Duration::days(90);
    assert!((expires - ninety_days).num_minutes().abs() < 5, "default lifetime 90 days: {expires}");
    let token = created["token"].as_str().unwrap();
    let client = bearer(token);
    assert_eq!(app.get(&client, "/api/auth/me").await.status(), StatusCode::OK);
    let interview = create_interview(&app, &owner.client, json!({"title": "Token room"})).await;
    let room = format!("/ws/rooms/{}", interview.id);
    drop(open_socket(&app, &room, SocketAuth::Token(token)).await);

    // Expired as of creation: every token of the app.
    app.execute("UPDATE api_tokens SET expires_at = created_at").await;
    assert_error(app.get(&client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let socket = format!("{}{room}?token={token}", app.base.replace("http://", "ws://"));
    match tokio_tungstenite::connect_async(socket).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 401, "an expired token opens no socket");
        }
        other => panic!("an expired token's socket: {:?}", other.map(|(_, response)| response.status())),
    }

    for days in [0, 366, -1] {
        let response =
            app.post_json(&owner.client, "/api/auth/tokens", &json!({"name": "x", "expires_in_days": days})).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let year = create_token(&app, &owner.client, json!({"name": "long", "expires_in_days": 365})).await;
    let expires: chrono::DateTime<Utc> = year["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires <= Utc::now() + Duration::days(365));
}

async fn a_token_cannot_mint_tokens(app: TestApp) {
    let owner = register(&app, "host@example.com", "Hana Host").await;
    let created = create_token(&app, &owner.client, json!({"name": "ci"})).await;
    let stolen = bearer(created["token"].as_str().unwrap());
    let minted = app.post_json(&stolen, "/api/auth/tokens", &json!({"name": "successor"})).await;
    assert_error(minted, StatusCode::FORBIDDEN, "session_required").await;
    assert_eq!(app.row_count("api_tokens").await, 1);
}

async fn tokens_are_listed_without_secrets_and_revoked_by_their_owner_only(app: TestApp) {
    let owner = register(&app, "host@example.com", "Hana Host").await;
    let other = register(&app, "other@example.com", "Otto").await;
    let created = create_token(&app, &owner.client, json!({"name": "ci"})).await;
    let (token, id) = (created["token"].as_str().unwrap(), created["id"].as_str().unwrap());
    let client = bearer(token);
    assert_eq!(app.get(&client, "/api/auth/me").await.status(), StatusCode::OK);

    let listed = app.get(&owner.client, "/api/auth/tokens").await;
    assert_eq!(listed.status(), StatusCode::OK);
    let listed = listed.text().await.unwrap();
    let secret_part = token.trim_start_matches("cvt_");
    assert!(!listed.contains(secret_part), "the secret is never listed: {listed}");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let entry = &listed["tokens"][0];
    assert_eq!((entry["id"].as_str(), entry["name"].as_str()), (Some(id), Some("ci")));
    assert!(entry["expires_at"].is_string() && entry["last_used_at"].is_string(), "{entry}");
    assert_eq!(entry.as_object().unwrap().len(), 5, "only id, name, created_at, expires_at, last_used_at: {entry}");

    let others: Value = app.get(&other.client, "/api/auth/tokens").await.json().await.unwrap();
    assert_eq!(others["tokens"], json!([]), "another account sees none of them");
    let theirs = app.delete(&other.client, &format!("/api/auth/tokens/{id}")).await;
    assert_error(theirs, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.get(&client, "/api/auth/me").await.status(), StatusCode::OK, "still alive");

    assert_eq!(app.delete(&owner.client, &format!("/api/auth/tokens/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn sessions_are_listed_and_ended_by_their_owner_only(app: TestApp) {
    let laptop = register(&app, "host@example.com", "Hana Host").await;
    let phone = login(&app, "host@example.com").await;
    let other = register(&app, "other@example.com", "Otto").await;

    let listed: Value = app.get(&laptop.client, "/api/auth/sessions").await.json().await.unwrap();
    let sessions = listed["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{listed}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let text = listed.to_string();
    for cookie in [&laptop.cookie, &phone.cookie] {
        assert!(!text.contains(cookie.split('=').nth(1).unwrap()), "no cookie secret listed");
    }
    let phone_id = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap();

    let theirs = app.delete(&other.client, &format!("/api/auth/sessions/{phone_id}")).await;
    assert_error(theirs, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.get(&phone.client, "/api/auth/me").await.status(), StatusCode::OK, "still signed in");

    let ended = app.delete(&laptop.client, &format!("/api/auth/sessions/{phone_id}")).await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&phone.client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.get(&laptop.client, "/api/auth/me").await.status(), StatusCode::OK);
}
