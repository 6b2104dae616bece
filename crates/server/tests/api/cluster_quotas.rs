//! Quotas across instances: an account's requests split over two `codeview serve` processes on
//! one database and one Redis cannot pass its quota together (the account's lock is shared
//! through Redis, `cluster::shared_lock`; tokens are the quota counted here, 20 by default),
//! nor can its interviews' live documents (`realtime::shared_usage`).

use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::cluster_support::{ClusterPeer, TestCluster, set_up_room};

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

/// With a quota of one live document per host, the code live on A keeps B from opening the
/// interview's notes, while the live code is still joined through B; once A dies its figures
/// expire and B admits the notes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_document_quota_counts_the_documents_of_every_instance() {
    let Some(mut cluster) = TestCluster::start_with(2, &[("CODEVIEW_QUOTA_LIVE_DOCUMENTS", "1")]).await else {
        return;
    };
    let room = set_up_room(cluster.base(0)).await;
    let (a, b) = (cluster.instances[0].ws_base(), cluster.instances[1].ws_base());
    let _host = ClusterPeer::open(&a, &room.interview, "code", room.host_credential.clone()).await;
    // A writes its figures every second.
    let mut redis = cluster.redis.connection().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let keys: Vec<String> = redis::cmd("KEYS").arg("codeview:live-usage:*").query_async(&mut redis).await.unwrap();
        if !keys.is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "A never wrote its live documents to Redis");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut notes = ClusterPeer::new(&room.interview, "notes", room.host_credential.clone());
    let refused = notes.connect(&b).await;
    assert!(refused.as_ref().is_err_and(|e| e.contains("429")), "B opened a second live document: {refused:?}");
    let _candidate = ClusterPeer::open(&b, &room.interview, "code", room.candidate_credential.clone()).await;

    cluster.kill(0).await;
    notes.reconnect(&b, Duration::from_secs(15)).await;
    assert!(notes.connected());
}
