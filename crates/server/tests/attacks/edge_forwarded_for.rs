//! Behind a reverse proxy every client shares the proxy's address, so per-address budgets
//! would make one abuser lock out everyone. `--trusted-proxy` lets the server count the client
//! named in `X-Forwarded-For` — but only when the connection comes from a listed proxy: a
//! client that writes the header itself cannot pick a fresh address for every attempt.

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::edge_clients::{client_from, loopback};
use crate::helpers::{Backend, TestApp};

const BUDGET: u32 = 3;

async fn attempt(app: &TestApp, client: &Client, forwarded_for: &str) -> StatusCode {
    let body = json!({"email": "nobody@example.com", "password": "not the password"});
    let request = client.post(app.url("/api/auth/login")).header("x-forwarded-for", forwarded_for).json(&body);
    request.send().await.expect("login attempt").status()
}

async fn app_behind_proxy() -> TestApp {
    TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.rate_limits.auth_per_minute = BUDGET;
        config.trusted_proxies = vec!["127.0.7.1/32".parse().expect("a CIDR block")];
    })
    .await
    .expect("sqlite")
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let app = app_behind_proxy().await;
    let proxy = client_from(loopback(7, 1));
    for _ in 0..BUDGET {
        assert_eq!(attempt(&app, &proxy, "198.51.100.1").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt(&app, &proxy, "198.51.100.1").await, StatusCode::TOO_MANY_REQUESTS, "the abuser is stopped");
    assert_eq!(
        attempt(&app, &proxy, "198.51.100.2").await,
        StatusCode::UNAUTHORIZED,
        "another client through the same proxy is not"
    );
    // A client's own fake hop to the left of the proxy's changes nothing.
    assert_eq!(attempt(&app, &proxy, "203.0.113.50, 198.51.100.1").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_client_that_writes_the_header_itself_keeps_its_own_address() {
    let app = app_behind_proxy().await;
    let direct = client_from(loopback(7, 2));
    for attempt_number in 0..BUDGET {
        let claimed = format!("198.51.100.{}", 10 + attempt_number);
        assert_eq!(attempt(&app, &direct, &claimed).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt(&app, &direct, "198.51.100.99").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a fresh address in the header must not buy a fresh budget"
    );
}
