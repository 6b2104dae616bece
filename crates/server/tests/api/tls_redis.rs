//! TLS to Redis: against a `redis-server` of the test's own that speaks TLS only, with a
//! certificate from the test's own CA given by `--redis-ca-file`, a server and a separate
//! `codeview worker` share room events (a run queued on the server streams its output from
//! the worker, which counts it in its own metrics); a client trusting another CA, or speaking
//! in the clear, is refused.

use serde_json::json;

use crate::fixtures::create_interview;
use crate::helpers::{Backend, TestApp, test_slot_uid_base};
use crate::runs::{body_for, queue_run, room_socket, run_events, wait_run};
use crate::tls_support::{Certificates, CodeviewProcess, TlsRedis, free_port};
use codeview::cluster::redis_client;

/// Whether a PING through a client built from `url` and `ca_file` succeeds.
async fn pings(url: &str, ca_file: &std::path::Path) -> redis::RedisResult<String> {
    let client = redis_client::open(url, Some(ca_file)).expect("a valid URL and CA file");
    let mut connection = client.get_multiplexed_async_connection().await?;
    redis::cmd("PING").query_async::<String>(&mut connection).await
}

#[tokio::test]
async fn a_server_and_a_worker_share_room_events_over_tls_redis() {
    let certs = Certificates::make();
    let redis = TlsRedis::start(&certs).await;
    assert_eq!(pings(&redis.url(), &certs.ca()).await.expect("TLS with our CA"), "PONG");

    let app = TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.run_workers = 0;
        config.redis_url = Some(redis.url());
        config.redis_ca_file = Some(certs.ca());
    })
    .await
    .expect("the server starts with a TLS Redis");
    let ca = certs.ca().display().to_string();
    let (url, metrics_addr) = (redis.url(), format!("127.0.0.1:{}", free_port()));
    let args = ["worker", "--run-workers", "1", "--database-url", &app.database_url, "--redis-url", &url];
    let tls = ["--redis-ca-file", &ca, "--metrics-addr", &metrics_addr];
    let _worker = CodeviewProcess::start(&[&args[..], &tls[..]].concat(), test_slot_uid_base() + 1500);

    let host = app.signed_in("host@example.com", "Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Pairing"})).await;
    let mut events = room_socket(&app, &interview.id, &app.token(&host).await).await;
    let run = queue_run(&app, &host, &interview.id, body_for("print('over TLS')\n")).await;
    let seen = run_events(&mut events).await;
    let output: String =
        seen.iter().filter(|e| e["type"] == "run_output").map(|e| e["text"].as_str().unwrap_or_default()).collect();
    assert_eq!(output, "over TLS\n", "streamed from the worker through TLS Redis: {seen:?}");
    let done = wait_run(&app, &host, &run).await;
    assert_eq!(done["status"], "finished", "{done}");

    // The worker's own metrics count the run it executed.
    let metrics = reqwest::get(format!("http://{metrics_addr}/metrics")).await.unwrap().text().await.unwrap();
    let finished = r#"codeview_runs_total{language="python",status="finished"} 1"#;
    assert!(metrics.lines().any(|line| line == finished), "{metrics}");
}

#[tokio::test]
async fn tls_redis_refuses_another_ca_and_the_clear() {
    let certs = Certificates::make();
    let redis = TlsRedis::start(&certs).await;

    let err = pings(&redis.url(), &certs.other_ca()).await.expect_err("a CA that did not sign the server");
    assert!(format!("{err}").to_lowercase().contains("certificate"), "{err}");
    let clear = format!("redis://localhost:{}", redis.port);
    let client = redis_client::open(&clear, None).unwrap();
    let in_the_clear = async {
        let mut connection = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut connection).await
    };
    assert!(in_the_clear.await.is_err(), "a TLS-only Redis does not answer in the clear");

    // A worker that cannot verify Redis says so and stops, rather than running unheard.
    let other = certs.other_ca().display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::helpers::sqlite_url(&dir.path().join("worker.db"));
    let url = redis.url();
    let args = ["worker", "--database-url", &database_url, "--redis-url", &url, "--redis-ca-file", &other];
    let (succeeded, stderr) = CodeviewProcess::start(&args, test_slot_uid_base() + 1600).exit().await;
    assert!(!succeeded, "the worker must not start: {stderr}");
    assert!(stderr.contains("connecting to Redis"), "{stderr}");
}
