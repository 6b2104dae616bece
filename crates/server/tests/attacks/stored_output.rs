//! A candidate fills the database: 20 test runs whose every case prints 1 MiB of
//! incompressible text on stdout and on stderr (once stored whole: ~6 MiB a run here, 360 MB
//! for 20 runs of a bigger question), then fetches the history (once every run in full).
//! Stored output stays about 1 MiB a run, and the history is a page of small summaries.

use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview};
use crate::helpers::{Backend, TestApp};
use crate::support::{join_as_candidate, queue_run, wait_run};

crate::on_both_backends!(printing_a_lot_does_not_fill_the_database_or_the_history);

/// Prints about 1 MiB of base64 of random bytes on each stream: compression cannot hide it.
const FLOOD: &str = "import base64, os, sys\n\
    sys.stdout.write(base64.b64encode(os.urandom(786000)).decode())\n\
    sys.stderr.write(base64.b64encode(os.urandom(786000)).decode())\n";
const RUNS: usize = 20;
const MAX_GROWTH_BYTES: i64 = 25_000_000;
const MAX_HISTORY_BYTES: usize = 200_000;
const MAX_RUN_BYTES: usize = 1_200_000;

async fn printing_a_lot_does_not_fill_the_database_or_the_history(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let created = app
        .post_json(
            &cast.host,
            "/api/questions",
            &json!({
                "title": "Flood", "prompt": "Print.", "difficulty": "easy", "category": "io",
                "test_cases": [
                    {"input": "1\n", "expected_output": "1\n", "hidden": false},
                    {"input": "2\n", "expected_output": "2\n", "hidden": false},
                    {"input": "3\n", "expected_output": "3\n", "hidden": true}
                ]
            }),
        )
        .await;
    let question: Value = created.json().await.unwrap();
    let question = question["question"]["id"].as_str().unwrap();
    let interview = create_interview(app, &cast.host, json!({"title": "Flood", "question_ids": [question]})).await;
    let candidate = join_as_candidate(app, &interview, "Mallory").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;

    let before = database_bytes(app).await;
    let body = json!({"language": "python", "code": FLOOD, "mode": "test"});
    let mut last = String::new();
    // Two at a time: a participant may have two runs waiting.
    for _ in 0..RUNS / 2 {
        let pair = [
            queue_run(app, &candidate.client, &interview.id, &body).await,
            queue_run(app, &candidate.client, &interview.id, &body).await,
        ];
        for run in pair {
            let done = wait_run(app, &candidate.client, &run).await;
            assert!(!matches!(done["status"].as_str(), Some("queued" | "running")), "{done}");
            last = run;
        }
    }
    let growth = database_bytes(app).await - before;
    assert!(growth <= MAX_GROWTH_BYTES, "{RUNS} runs grew the database by {growth} bytes");

    let history = app.get(&candidate.client, &format!("/api/interviews/{}/runs", interview.id)).await;
    let history = history.text().await.unwrap();
    assert!(history.len() < MAX_HISTORY_BYTES, "a history fetch is {} bytes", history.len());
    let page: Value = serde_json::from_str(&history).unwrap();
    assert_eq!(page["runs"].as_array().unwrap().len(), 20, "the default page");
    assert_eq!(page["runs"][0]["output_truncated"], true, "{}", page["runs"][0]);

    let run = app.get(&cast.host, &format!("/api/runs/{last}")).await.text().await.unwrap();
    assert!(run.len() < MAX_RUN_BYTES, "one run is {} bytes", run.len());
    assert!(run.contains("[output truncated"), "the cut is marked");
}

/// The database's size as its backend counts it (SQLite: pages in use; PostgreSQL: the runs
/// table with its TOAST and indexes).
async fn database_bytes(app: &TestApp) -> i64 {
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
            let pages: i64 = sqlx::query_scalar(
                "SELECT page_count - freelist_count FROM pragma_page_count(), pragma_freelist_count()",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&pool).await.unwrap();
            pages * page_size
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
            sqlx::query_scalar("SELECT pg_total_relation_size('runs')").fetch_one(&pool).await.unwrap()
        }
    }
}
