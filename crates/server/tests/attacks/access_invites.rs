//! Invite links and room codes: a removed candidate coming back through the old link, an old
//! link after the host renewed it, and telling which room codes exist by how a guess is
//! refused.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview, create_interview, parse_invite_url};
use crate::helpers::{TestApp, assert_error};
use crate::support::join_as_candidate;

crate::on_both_backends!(
    a_removed_candidate_cannot_come_back_through_the_old_link,
    a_renewed_invite_retires_the_old_link,
    room_codes_do_not_tell_whether_they_exist,
);

async fn join_with(app: &TestApp, code: &str, invite: &str) -> reqwest::Response {
    app.post_json(
        &Client::new(),
        &format!("/api/interviews/room/{code}/join"),
        &json!({"name": "Cara", "invite": invite}),
    )
    .await
}

async fn a_removed_candidate_cannot_come_back_through_the_old_link(app: TestApp) {
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let candidate = join_as_candidate(&app, &interview, "Cara").await;
    let detail: Value = app.get(&host, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    let candidate_id =
        detail["participants"].as_array().unwrap().iter().find(|p| p["role"] == "candidate").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();

    let path = format!("/api/interviews/{}/participants/{candidate_id}", interview.id);
    assert_eq!(app.delete(&host, &path).await.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&candidate.client, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(join_with(&app, &interview.code, &interview.invite).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.row_count("participants").await, 1, "only the host");

    // The host's new link works.
    let detail: Value = app.get(&host, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    let (code, invite) = parse_invite_url(detail["candidate_invite_url"].as_str().unwrap());
    assert_ne!(invite, interview.invite);
    assert_eq!(join_with(&app, &code, &invite).await.status(), StatusCode::OK);
}

async fn a_renewed_invite_retires_the_old_link(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(false).await;
    let renew = format!("/api/interviews/{}/invite", interview.id);
    assert_error(app.post_json(&cast.observer, &renew, &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.post_json(&cast.candidate, &renew, &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(app.post_json(&cast.stranger, &renew, &json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    let me = format!("/api/interviews/{}", interview.id);
    assert_eq!(app.get(&cast.candidate, &me).await.status(), StatusCode::OK, "joined");

    let renewed = app.post_json(&cast.co, &renew, &json!({})).await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let renewed: Value = renewed.json().await.unwrap();
    let (code, invite) = parse_invite_url(renewed["candidate_invite_url"].as_str().unwrap());
    assert_ne!(invite, interview.invite);
    assert_error(app.get(&cast.candidate, &me).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(join_with(app, &interview.code, &interview.invite).await, StatusCode::NOT_FOUND, "not_found").await;
    let renewed = Interview { code, invite, ..interview.clone() };
    let back = join_as_candidate(app, &renewed, "Cara").await;
    assert_eq!(app.get(&back.client, &me).await.status(), StatusCode::OK, "the new link joins");
}

async fn room_codes_do_not_tell_whether_they_exist(app: TestApp) {
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let guest = Client::new();
    let unknown_code = if interview.code == "abc-defg-hjk" { "abd-defg-hjk" } else { "abc-defg-hjk" };
    let mut answers = Vec::new();
    for code in [interview.code.as_str(), unknown_code] {
        for path in [format!("/api/interviews/room/{code}"), format!("/api/interviews/room/{code}?invite=guess")] {
            let response = app.get(&guest, &path).await;
            answers.push((response.status(), response.json::<Value>().await.unwrap()));
        }
        let joined = join_with(&app, code, "guess").await;
        answers.push((joined.status(), joined.json::<Value>().await.unwrap()));
    }
    let (existing, unknown) = answers.split_at(3);
    assert_eq!(existing, unknown, "an existing code is refused exactly like an unknown one");
    assert!(existing.iter().all(|(status, _)| *status == StatusCode::NOT_FOUND), "{existing:?}");
}
