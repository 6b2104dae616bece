//! The account page's API: change the name, change the password (other sessions signed out,
//! the current one kept, tokens kept unless asked), and sign out everywhere else.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_wrong_current_password_is_a_field_error_and_is_throttled,
    new_passwords_follow_the_registration_rules,
    changing_the_password_signs_out_the_other_sessions_only,
    tokens_are_revoked_with_the_password_only_when_asked,
    the_name_is_changed_and_validated,
    sign_out_everywhere_else_keeps_the_current_session,
    sessions_show_the_browser_they_signed_in_with,
);

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn change_password(app: &TestApp, client: &Client, body: Value) -> reqwest::Response {
    app.post_json(client, "/api/auth/password", &body).await
}

async fn second_browser(app: &TestApp, email: &str) -> Client {
    let browser = app.browser();
    assert_eq!(app.login(&browser, email, PASSWORD).await.status(), StatusCode::OK);
    browser
}

async fn a_wrong_current_password_is_a_field_error_and_is_throttled(app: TestApp) {
    let browser = app.signed_in("ada@example.com", "Ada").await;
    let wrong = json!({"current_password": "not my password", "new_password": NEW_PASSWORD});
    // Five free failures, a sixth that starts the delay; all of them say which field is wrong.
    for attempt in 1..=6 {
        let response = change_password(&app, &browser, wrong.clone()).await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["error"]["fields"]["current_password"], "is not your current password", "attempt {attempt}");
    }
    let throttled =
        change_password(&app, &browser, json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}));
    let throttled = throttled.await;
    assert!(throttled.headers().contains_key("retry-after"), "429 carries Retry-After");
    assert_error(throttled, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The count is the login's: guessing here buys no fresh tries at the login form.
    let login = app.login(&app.browser(), "ada@example.com", PASSWORD).await;
    let wait: u64 = login.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_error(login, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Nothing changed: once the wait is over, the old password still signs in.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    assert_eq!(app.login(&app.browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::OK);
}

async fn new_passwords_follow_the_registration_rules(app: TestApp) {
    let browser = app.signed_in("grace@example.com", "Grace").await;
    let short = change_password(&app, &browser, json!({"current_password": PASSWORD, "new_password": "short"})).await;
    let body = assert_error(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["new_password"], "must be at least 8 characters");
    let same = change_password(&app, &browser, json!({"current_password": PASSWORD, "new_password": PASSWORD})).await;
    let body = assert_error(same, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["new_password"], "must differ from the current password");
    let missing = change_password(&app, &browser, json!({"new_password": NEW_PASSWORD})).await;
    let body = assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["current_password"], "is required");
    let nobody = Client::new();
    let anonymous = change_password(&app, &nobody, json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}));
    assert_error(anonymous.await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A token cannot change the password: a stolen one must not lock the owner out.
    let api = app.token_client(&browser).await;
    let with_token = change_password(&app, &api, json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}));
    assert_error(with_token.await, StatusCode::FORBIDDEN, "session_required").await;
    assert_eq!(app.login(&app.browser(), "grace@example.com", PASSWORD).await.status(), StatusCode::OK);
}

async fn changing_the_password_signs_out_the_other_sessions_only(app: TestApp) {
    let laptop = app.signed_in("linus@example.com", "Linus").await;
    let phone = second_browser(&app, "linus@example.com").await;
    let api = app.token_client(&laptop).await;
    let someone_else = app.signed_in("other@example.com", "Otto").await;

    let changed =
        change_password(&app, &laptop, json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed, json!({"sessions_ended": 1, "tokens_revoked": 0}));

    assert_error(app.get(&phone, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.get(&laptop, "/api/auth/me").await.status(), StatusCode::OK, "the current session stays");
    assert_eq!(app.get(&api, "/api/auth/me").await.status(), StatusCode::OK, "tokens stay by default");
    assert_eq!(app.get(&someone_else, "/api/auth/me").await.status(), StatusCode::OK, "other accounts untouched");

    let old = app.login(&app.browser(), "linus@example.com", PASSWORD).await;
    assert_error(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(app.login(&app.browser(), "linus@example.com", NEW_PASSWORD).await.status(), StatusCode::OK);
}

async fn tokens_are_revoked_with_the_password_only_when_asked(app: TestApp) {
    let browser = app.signed_in("barbara@example.com", "Barbara").await;
    let api = app.token_client(&browser).await;
    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "sign_out_tokens": true});
    let changed = change_password(&app, &browser, body).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed, json!({"sessions_ended": 0, "tokens_revoked": 1}));
    assert_error(app.get(&api, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let tokens: Value = app.get(&browser, "/api/auth/tokens").await.json().await.unwrap();
    assert_eq!(tokens["tokens"], json!([]));
}

async fn the_name_is_changed_and_validated(app: TestApp) {
    let browser = app.signed_in("ken@example.com", "Ken").await;
    let renamed = app.patch_json(&browser, "/api/auth/me", &json!({"name": "  Ken Thompson "})).await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["user"]["name"], "Ken Thompson");
    assert_eq!(renamed["user"]["email"], "ken@example.com");
    let me: Value = app.get(&browser, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["name"], "Ken Thompson");

    let blank = app.patch_json(&browser, "/api/auth/me", &json!({"name": "  "})).await;
    let body = assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    let long = app.patch_json(&browser, "/api/auth/me", &json!({"name": "n".repeat(101)})).await;
    let body = assert_error(long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["name"], "must be at most 100 characters");
    let email = app.patch_json(&browser, "/api/auth/me", &json!({"name": "K", "email": "x@example.com"})).await;
    let body = assert_error(email, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["error"]["fields"]["email"], "is not a known field");
    let anonymous = app.patch_json(&Client::new(), "/api/auth/me", &json!({"name": "K"})).await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let me: Value = app.get(&browser, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["name"], "Ken Thompson", "failed attempts changed nothing");
}

async fn sign_out_everywhere_else_keeps_the_current_session(app: TestApp) {
    let laptop = app.signed_in("dennis@example.com", "Dennis").await;
    let phone = second_browser(&app, "dennis@example.com").await;
    let tablet = second_browser(&app, "dennis@example.com").await;
    let api = app.token_client(&laptop).await;
    let someone_else = app.signed_in("other@example.com", "Otto").await;

    let ended = app.delete(&laptop, "/api/auth/sessions").await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(ended.json::<Value>().await.unwrap(), json!({"sessions_ended": 2}));
    for other in [&phone, &tablet] {
        assert_error(app.get(other, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(app.get(&laptop, "/api/auth/me").await.status(), StatusCode::OK);
    assert_eq!(app.get(&api, "/api/auth/me").await.status(), StatusCode::OK, "tokens are not sessions");
    assert_eq!(app.get(&someone_else, "/api/auth/me").await.status(), StatusCode::OK);
    let listed: Value = app.get(&laptop, "/api/auth/sessions").await.json().await.unwrap();
    let sessions = listed["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{listed}");
    assert_eq!(sessions[0]["current"], true);

    // With a token, every browser session ends (the token has none of its own to keep).
    let ended = app.delete(&api, "/api/auth/sessions").await;
    assert_eq!(ended.json::<Value>().await.unwrap(), json!({"sessions_ended": 1}));
    assert_error(app.get(&laptop, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn sessions_show_the_browser_they_signed_in_with(app: TestApp) {
    let laptop = app.signed_in("ritchie@example.com", "Ritchie").await;
    let agent = format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 {}", "x".repeat(300));
    let phone = Client::builder().cookie_store(true).user_agent(agent.clone()).build().unwrap();
    assert_eq!(app.login(&phone, "ritchie@example.com", PASSWORD).await.status(), StatusCode::OK);
    let listed: Value = app.get(&laptop, "/api/auth/sessions").await.json().await.unwrap();
    let sessions = listed["sessions"].as_array().unwrap();
    let current = sessions.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(current["user_agent"], Value::Null, "no User-Agent sent: null");
    let other = sessions.iter().find(|s| s["current"] == false).unwrap();
    let kept = other["user_agent"].as_str().unwrap();
    assert_eq!(kept.chars().count(), 256, "cut at 256 characters");
    assert!(agent.starts_with(kept));
    assert_eq!(other["last_used_at"], Value::Null, "the phone has not been used since it signed in");
    let used: chrono::DateTime<chrono::Utc> = current["last_used_at"].as_str().unwrap().parse().unwrap();
    assert!((chrono::Utc::now() - used).num_seconds().abs() < 60, "the laptop's listing used it just now: {used}");

    assert_eq!(app.get(&phone, "/api/auth/me").await.status(), StatusCode::OK);
    let listed: Value = app.get(&laptop, "/api/auth/sessions").await.json().await.unwrap();
    let other = listed["sessions"].as_array().unwrap().iter().find(|s| s["current"] == false).unwrap().clone();
    assert!(other["last_used_at"].is_string(), "used now: {other}");
}
