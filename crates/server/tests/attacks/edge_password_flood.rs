//! A flood of logins and registrations from many addresses must not monopolise password
//! hashing: hashes run a few at a time with a short queue, requests beyond it get 503
//! `server_busy` with `Retry-After`, health stays fast meanwhile, and a real login right after
//! the flood succeeds promptly.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::edge_clients::{client_from, loopback};
use crate::helpers::{Backend, TestApp, assert_error};

const FLOOD_ADDRESSES: u8 = 40;
const REQUESTS_PER_ADDRESS: usize = 4;
/// The gate's size in this test, so that it does not depend on the machine's cores.
const HASHES_AT_ONCE: u32 = 2;
const HASH_QUEUE: u32 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_password_hashing_survives_a_login_flood() {
    password_hashing_survives_a_login_flood(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_password_hashing_survives_a_login_flood() {
    password_hashing_survives_a_login_flood(Backend::Postgres).await;
}

async fn password_hashing_survives_a_login_flood(backend: Backend) {
    let Some(app) = TestApp::try_spawn_with(backend, |config| {
        config.password_hashing.password_hash_concurrency = Some(HASHES_AT_ONCE);
        config.password_hashing.password_hash_queue = HASH_QUEUE;
    })
    .await
    else {
        return;
    };
    app.signed_in("owner@example.com", "Owner").await;

    let mut flood = Vec::new();
    for address in 0..FLOOD_ADDRESSES {
        let client = client_from(loopback(1, address + 1));
        for n in 0..REQUESTS_PER_ADDRESS {
            let (client, url) = (client.clone(), app.base.clone());
            flood.push(tokio::spawn(async move {
                let email = format!("flood-{address}-{n}@example.com");
                let (path, body) = if n % 2 == 0 {
                    ("/api/auth/register", json!({"email": email, "name": "Flood", "password": "flood password 1"}))
                } else {
                    ("/api/auth/login", json!({"email": email, "password": "flood password 1"}))
                };
                client.post(format!("{url}{path}")).json(&body).send().await.expect("flood request")
            }));
        }
    }
    let health_latencies = sample_health_while(&app, &flood).await;

    let (mut hashed, mut busy) = (0, 0);
    for request in flood {
        let response = request.await.unwrap();
        match response.status() {
            StatusCode::CREATED | StatusCode::UNAUTHORIZED => hashed += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(response.headers().get("retry-after").is_some(), "Retry-After on 503");
                assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "server_busy").await;
                busy += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    let total = usize::from(FLOOD_ADDRESSES) * REQUESTS_PER_ADDRESS;
    eprintln!("flood: {hashed} hashed, {busy} refused; health latencies {health_latencies:?}");
    assert!(busy * 2 >= total, "most of the flood is refused at once: {hashed} hashed, {busy} busy");
    let slowest = health_latencies.iter().max().expect("health was sampled");
    assert!(*slowest < Duration::from_secs(1), "health during the flood: {health_latencies:?}");

    let started = Instant::now();
    let response = app.login(&app.browser(), "owner@example.com", "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(2), "login right after the flood: {:?}", started.elapsed());
}

/// Times `/api/health` (a new connection each time) until every flood request has finished.
async fn sample_health_while(app: &TestApp, flood: &[tokio::task::JoinHandle<reqwest::Response>]) -> Vec<Duration> {
    let client = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let mut latencies = Vec::new();
    loop {
        let started = Instant::now();
        let response = client.get(app.url("/api/health")).timeout(Duration::from_secs(5)).send().await;
        assert_eq!(response.expect("health answers during the flood").status(), StatusCode::OK);
        latencies.push(started.elapsed());
        if flood.iter().all(|request| request.is_finished()) {
            return latencies;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
