//! Quotas across instances: an account's requests split over two `codeview serve` processes on
//! one database and one Redis cannot pass its quota together (the account's lock is shared
//! through Redis, `cluster::shared_lock`). Tokens are the quota counted here (20 by default).

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::cluster_support::TestCluster;

#[tokio::test]
async fn concurrent_creates_split_over_two_instances_stop_exactly_at_the_quota() {
    let Some(cluster) = TestCluster::start(2).await else { return };
    let browser = Client::builder().cookie_store(true).build().expect("client");
    let body = json!({"email": "quota@example.com", "name": "Quota", "password": "correct horse battery"});
    let registered = browser.post(cluster.instances[0].url("/api/auth/register")).json(&body).send().await.unwrap();
    assert!(registered.status().is_success(), "{}", registered.text().await.unwrap_or_default());
    // 40 token requests at once, every other one through the second instance.
    let requests = (0..40).map(|i| {
        let (browser, url) = (browser.clone(), cluster.instances[i % 2].url("/api/auth/tokens"));
        async move { browser.post(url).json(&json!({"name": format!("token {i}")})).send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(requests).await;
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED || **s == StatusCode::OK).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((created, refused), (20, 20), "statuses: {statuses:?}");
    let listed: serde_json::Value =
        browser.get(cluster.instances[1].url("/api/auth/tokens")).send().await.unwrap().json().await.unwrap();
    let held = listed["tokens"].as_array().map_or(0, Vec::len);
    assert_eq!(held, 20, "the account holds exactly its quota: {listed}");
}
