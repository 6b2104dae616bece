//! `Strict-Transport-Security` is sent when the public URL is https (so a network attacker
//! cannot strip TLS from a later visit) and never over plain http, where it would be wrong.

use reqwest::Client;

use crate::helpers::{Backend, TestApp};

const HSTS: &str = "max-age=31536000; includeSubDomains";

async fn hsts_of(app: &TestApp, path: &str) -> Option<String> {
    let response = app.get(&Client::new(), path).await;
    response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn https_deployments_send_hsts() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.public_url = Some("https://codeview.example".into());
    })
    .await
    .expect("sqlite");
    assert_eq!(hsts_of(&app, "/api/health").await.as_deref(), Some(HSTS));
    assert_eq!(hsts_of(&app, "/interviews/1/room").await.as_deref(), Some(HSTS));
}

#[tokio::test]
async fn plain_http_deployments_do_not() {
    let app = TestApp::try_spawn(Backend::Sqlite).await.expect("sqlite");
    assert_eq!(hsts_of(&app, "/api/health").await, None);
}
