//! Metrics (routes, traffic, timings) are not for the public: the public port answers
//! `/metrics` with 404 unless a metrics token is configured, then only to its bearer; the
//! separate metrics listener serves them.

use reqwest::{Client, StatusCode};

use crate::helpers::{Backend, TestApp, assert_error};

const TOKEN: &str = "a-long-metrics-token-for-tests";

async fn public_metrics(app: &TestApp, authorization: Option<&str>) -> reqwest::Response {
    let request = Client::new().get(app.url("/metrics"));
    let request = match authorization {
        Some(value) => request.header("authorization", value),
        None => request,
    };
    request.send().await.expect("request")
}

#[tokio::test]
async fn public_metrics_are_not_served_by_default() {
    let app = TestApp::try_spawn(Backend::Sqlite).await.expect("sqlite");
    assert_error(public_metrics(&app, None).await, StatusCode::NOT_FOUND, "not_found").await;
    let with_a_guess = public_metrics(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(with_a_guess.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn public_metrics_need_the_metrics_token() {
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.metrics.metrics_token = Some(TOKEN.into()))
        .await
        .expect("sqlite");
    assert_error(public_metrics(&app, None).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let wrong = public_metrics(&app, Some("Bearer a-long-metrics-token-for-tesTS")).await;
    assert_error(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let right = public_metrics(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(right.status(), StatusCode::OK);
    assert!(right.text().await.unwrap().contains("codeview_http_requests_total"));
}

#[tokio::test]
async fn the_metrics_listener_serves_metrics() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let metrics_addr = probe.local_addr().unwrap();
    drop(probe);
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.metrics.metrics_addr = Some(metrics_addr))
        .await
        .expect("sqlite");
    let response = Client::new().get(format!("http://{metrics_addr}/metrics")).send().await.expect("metrics listener");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("codeview_http_requests_total"));
    assert_eq!(public_metrics(&app, None).await.status(), StatusCode::NOT_FOUND);
}
