//! Operations surface: health, metrics, OpenAPI, request ids, security headers, the web UI
//! fallback and graceful shutdown.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{Backend, TestApp, assert_error};

crate::on_both_backends!(health_checks_the_database);

async fn health_checks_the_database(app: TestApp) {
    let body: Value = app.get(&Client::new(), "/api/health").await.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["db"], "ok");
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(body["backend"], expected);
}

async fn sqlite_app() -> TestApp {
    TestApp::try_spawn(Backend::Sqlite).await.expect("sqlite always available")
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let token = "a-long-metrics-token-for-tests";
    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| config.metrics.metrics_token = Some(token.into()))
        .await
        .unwrap();
    app.get(&Client::new(), "/api/health").await;
    let metrics = Client::new().get(app.url("/metrics")).bearer_auth(token).send().await.unwrap();
    let text = metrics.text().await.unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("codeview_http_requests_total") && l.contains("route=\"/api/health\"")),
        "{text}"
    );
    assert!(text.contains("codeview_http_request_duration_seconds"));
}

#[tokio::test]
async fn openapi_lists_every_route_of_the_contract() {
    let app = sqlite_app().await;
    let doc: Value = app.get(&Client::new(), "/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut listed: Vec<String> = paths
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| format!("{} {path}", m.to_uppercase())))
        .collect();
    listed.sort();
    insta::assert_json_snapshot!("openapi_routes", listed);
    // The whole document (bodies, responses, the room-event union) is the contract the web's
    // types are generated from: any change to it shows here.
    assert!(doc["components"]["schemas"]["RoomEvent"]["oneOf"].is_array(), "the room events are in the document");
    insta::assert_json_snapshot!("openapi_document", doc);
}

#[tokio::test]
async fn responses_carry_request_ids_and_security_headers() {
    let app = sqlite_app().await;
    let response = app.get(&Client::new(), "/api/health").await;
    let headers = response.headers();
    assert!(headers.get("x-request-id").is_some_and(|v| v.len() >= 32));
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("referrer-policy").unwrap(), "no-referrer");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = sqlite_app().await;
    assert_error(app.get(&Client::new(), "/api/does-not-exist").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_web_ui_is_served_with_an_spa_fallback() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><div id=root></div>").unwrap();
    std::fs::create_dir(web.path().join("assets")).unwrap();
    std::fs::write(web.path().join("assets/app-1234.js"), "console.log(1)").unwrap();
    let dir = web.path().to_owned();
    let app = TestApp::try_spawn_with(Backend::Sqlite, move |config| config.web_dir = dir).await.unwrap();
    let client = Client::new();

    let page = app.get(&client, "/interviews/123/room").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers().get("cache-control").unwrap(), "no-cache");
    assert!(page.text().await.unwrap().contains("id=root"));

    let asset = app.get(&client, "/assets/app-1234.js").await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(asset.headers().get("cache-control").unwrap().to_str().unwrap().contains("immutable"));

    assert_error(app.get(&client, "/api/nope").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn shutdown_stops_the_server_cleanly() {
    let app = sqlite_app().await;
    let base = app.base.clone();
    app.shutdown().await.expect("clean exit");
    assert!(Client::new().get(format!("{base}/api/health")).send().await.is_err(), "no longer accepting");
}
