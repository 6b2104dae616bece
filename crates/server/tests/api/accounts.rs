//! Accounts: register, login, me, logout, tokens, sessions, and the error bodies of bad input.

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    register_me_logout_kills_the_session,
    login_failures_do_not_say_which_part_was_wrong,
    duplicate_emails_conflict_regardless_of_case,
    login_rotates_the_session_id,
    bad_bodies_get_the_error_body_and_write_nothing,
    password_rules_are_explained,
    api_tokens_authenticate_as_bearer,
    cookies_are_http_only_and_same_site,
);

fn session_cookie(response: &reqwest::Response) -> String {
    let header = response.headers().get(SET_COOKIE).expect("Set-Cookie").to_str().expect("ascii");
    header.split(';').next().expect("name=value").to_owned()
}

async fn register_me_logout_kills_the_session(app: TestApp) {
    let browser = app.browser();
    let response = app.register(&browser, "Ada@Example.com", "Ada Lovelace", "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = session_cookie(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ada@example.com", "email normalised");
    assert_eq!(body["user"]["name"], "Ada Lovelace");
    assert!(body["user"].get("password_hash").is_none());

    let me: Value = app.get(&browser, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["email"], "ada@example.com");

    let response = app.post_json(&browser, "/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&browser, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The old cookie, replayed by hand, is dead on the server too.
    let replay = Client::new().get(app.url("/api/auth/me")).header(COOKIE, cookie).send().await.unwrap();
    assert_error(replay, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // And the same person can sign in again.
    let response = app.login(&browser, "ada@example.com", "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.get(&browser, "/api/auth/me").await.status(), StatusCode::OK);
}

async fn login_failures_do_not_say_which_part_was_wrong(app: TestApp) {
    app.signed_in("grace@example.com", "Grace").await;
    let wrong_password = app.login(&app.browser(), "grace@example.com", "not the password").await;
    let wrong_password = assert_error(wrong_password, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown_email = app.login(&app.browser(), "nobody@example.com", "correct horse battery").await;
    let unknown_email = assert_error(unknown_email, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong_password, unknown_email, "identical answers");
    assert!(wrong_password["error"].get("fields").is_none());
}

async fn duplicate_emails_conflict_regardless_of_case(app: TestApp) {
    app.signed_in("linus@example.com", "Linus").await;
    let again = app.register(&app.browser(), "  LINUS@example.com ", "Other", "another password").await;
    assert_error(again, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(app.row_count("users").await, 1);
}

async fn login_rotates_the_session_id(app: TestApp) {
    let first = app.browser();
    let response = app.register(&first, "barbara@example.com", "Barbara", "correct horse battery").await;
    let before = session_cookie(&response);
    let response = Client::new()
        .post(app.url("/api/auth/login"))
        .header(COOKIE, &before)
        .json(&json!({"email": "barbara@example.com", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let after = session_cookie(&response);
    assert_ne!(before, after, "a new session id on login");
    let with_old = Client::new().get(app.url("/api/auth/me")).header(COOKIE, before).send().await.unwrap();
    assert_eq!(with_old.status(), StatusCode::UNAUTHORIZED, "the presented session was ended");
    let with_new = Client::new().get(app.url("/api/auth/me")).header(COOKIE, after).send().await.unwrap();
    assert_eq!(with_new.status(), StatusCode::OK);
}

async fn bad_bodies_get_the_error_body_and_write_nothing(app: TestApp) {
    let client = app.browser();
    let path = "/api/auth/register";
    let users_before = app.row_count("users").await;
    let sessions_before = app.row_count("sessions").await;

    let malformed = app.post_raw(&client, path, "application/json", "{\"email\": ").await;
    assert_error(malformed, StatusCode::BAD_REQUEST, "malformed_request").await;

    let not_json = app.post_raw(&client, path, "text/plain", "email=a").await;
    assert_error(not_json, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    let missing = app.post_json(&client, path, &json!({"email": "a@example.com", "name": "A"})).await;
    let body = assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["password"], "is required");

    let unknown = app
        .post_json(
            &client,
            path,
            &json!({"email": "a@example.com", "name": "A", "password": "long enough", "admin": true}),
        )
        .await;
    let body = assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["admin"], "is not a known field");

    let wrong_type = app.post_json(&client, path, &json!({"email": 5, "name": "A", "password": "long enough"})).await;
    let body = assert_error(wrong_type, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["email"].is_string());

    let overlong_name = "n".repeat(101);
    let overlong = app
        .post_json(&client, path, &json!({"email": "a@example.com", "name": overlong_name, "password": "long enough"}))
        .await;
    let body = assert_error(overlong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["name"], "must be at most 100 characters");

    let several = app.post_json(&client, path, &json!({"email": "nope", "name": " ", "password": "short"})).await;
    let body = assert_error(several, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields = body["error"]["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 3, "every bad field is named: {body}");

    // A body announced over the limit is refused from its headers, before any of it is read
    // (a client still writing it may see the connection close instead of the answer, so the
    // request is sent by hand and the body never follows).
    let answer = app.post_head_only(path, 2 * 1024 * 1024, None).await;
    assert!(answer.starts_with("HTTP/1.1 413") && answer.contains("payload_too_large"), "{answer}");

    let long_login = app.login(&client, &format!("{}@example.com", "a".repeat(300)), "whatever").await;
    assert_error(long_login, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    assert_eq!(app.row_count("users").await, users_before, "no account written");
    assert_eq!(app.row_count("sessions").await, sessions_before, "no session written");
    assert_error(app.get(&client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn password_rules_are_explained(app: TestApp) {
    let client = app.browser();
    let short = app.register(&client, "pat@example.com", "Pat", "1234567").await;
    let body = assert_error(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["password"], "must be at least 8 characters");

    let passphrase = "a long passphrase ".repeat(7); // 126 characters
    let ok = app.register(&client, "pat@example.com", "Pat", passphrase.trim_end()).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let response = app.login(&app.browser(), "pat@example.com", passphrase.trim_end()).await;
    assert_eq!(response.status(), StatusCode::OK, "128-ish character passwords work");
}

async fn api_tokens_authenticate_as_bearer(app: TestApp) {
    let browser = app.signed_in("ken@example.com", "Ken").await;
    let api = app.token_client(&browser).await;
    let me: Value = app.get(&api, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["email"], "ken@example.com");

    let forged = Client::new().get(app.url("/api/auth/me")).bearer_auth("cvt_forged").send().await.unwrap();
    assert_error(forged, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let anonymous = app.post_json(&Client::new(), "/api/auth/tokens", &json!({"name": "x"})).await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let blank = app.post_json(&browser, "/api/auth/tokens", &json!({"name": "  "})).await;
    assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

async fn cookies_are_http_only_and_same_site(app: TestApp) {
    let response = app.register(&app.browser(), "dennis@example.com", "Dennis", "correct horse battery").await;
    let cookie = response.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("codeview_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain-http deployments cannot use Secure cookies: {cookie}");
}

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let app = crate::helpers::TestApp::try_spawn_with(crate::helpers::Backend::Sqlite, |config| {
        config.public_url = Some("https://interviews.example.com".into());
    })
    .await
    .expect("sqlite always available");
    let response = app.register(&app.browser(), "ada@example.com", "Ada", "correct horse battery").await;
    let cookie = response.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}
