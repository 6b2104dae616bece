//! One candidate tries to starve everyone's runs: 40 requests at once (once all accepted, past
//! a budget of 20, because the count and the insert were not atomic), and then long runs
//! queued as fast as the server takes them (once a global FIFO: another interview's hello
//! world waited behind all of them).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview};
use crate::helpers::TestApp;
use crate::support::{join_as_candidate, post_run, queue_run, wait_run};

crate::on_both_backends!(
    concurrent_requests_cannot_overrun_the_budget,
    a_flooding_candidate_does_not_delay_another_interviews_run
);

const CONCURRENT_REQUESTS: usize = 40;
/// Runs one participant may have waiting (`runs::budget::QUEUED_PER_PARTICIPANT`).
const QUEUED_PER_PARTICIPANT: usize = 2;

async fn concurrent_requests_cannot_overrun_the_budget(app: TestApp) {
    let app = app.restart_with(|config| config.run_workers = 0).await;
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = create_interview(app, &cast.host, json!({"title": "Flood"})).await;
    let candidate = join_as_candidate(app, &interview, "Mallory").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let body = json!({"language": "python", "code": "print(1)", "mode": "run"});
    let requests = (0..CONCURRENT_REQUESTS).map(|_| post_run(app, &candidate.client, &interview.id, &body));
    let statuses: Vec<StatusCode> =
        futures_util::future::join_all(requests).await.into_iter().map(|r| r.status()).collect();
    let accepted = statuses.iter().filter(|s| **s == StatusCode::ACCEPTED).count();
    assert_eq!(accepted, QUEUED_PER_PARTICIPANT, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::ACCEPTED || *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    assert_eq!(app.row_count("runs").await, QUEUED_PER_PARTICIPANT as i64);
}

/// How long each flooding run takes, and how much later than that another interview's run may
/// start: one run's time (a worker frees up) plus start-up slack. A FIFO makes it wait for
/// every queued run ahead of it (here at least two rounds of the two workers).
const LONG_RUN: &str = "import time\ntime.sleep(1.5)\n";
const LONG_RUN_SECS: f64 = 1.5;
const SLACK_SECS: f64 = 0.9;
const FLOOD_BEFORE_SECS: u64 = 3;

/// With the default two run workers.
async fn a_flooding_candidate_does_not_delay_another_interviews_run(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let flooded = create_interview(app, &cast.host, json!({"title": "Flooded"})).await;
    let candidate = join_as_candidate(app, &flooded, "Mallory").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", flooded.id), &json!({})).await;
    // Another team's interview, hosted by another account.
    let other = create_interview(app, &cast.stranger, json!({"title": "Elsewhere"})).await;

    // The candidate and the host of the flooded interview keep their queues full.
    let stop = Instant::now() + Duration::from_secs(FLOOD_BEFORE_SECS + 8);
    let flood = |client: reqwest::Client| {
        let (base, interview) = (app.base.clone(), flooded.id.clone());
        tokio::spawn(async move {
            let body = json!({"language": "python", "code": LONG_RUN, "mode": "run"});
            let mut accepted = 0;
            while Instant::now() < stop {
                let response =
                    client.post(format!("{base}/api/interviews/{interview}/runs")).json(&body).send().await.unwrap();
                if response.status() == StatusCode::ACCEPTED {
                    accepted += 1;
                } else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            accepted
        })
    };
    let floods = [flood(candidate.client.clone()), flood(cast.host.clone())];
    tokio::time::sleep(Duration::from_secs(FLOOD_BEFORE_SECS)).await;

    let hello = json!({"language": "python", "code": "print('hello')", "mode": "run"});
    let run = queue_run(app, &cast.stranger, &other.id, &hello).await;
    let done = wait_run(app, &cast.stranger, &run).await;
    assert_eq!(done["stdout"], "hello\n", "{done}");
    let waited = seconds_between(&done["created_at"], &done["started_at"]);
    let mut flooded_runs = 0;
    for flood in floods {
        flooded_runs += flood.await.unwrap();
    }
    assert!(flooded_runs >= 4, "the flood kept both workers busy ({flooded_runs} runs)");
    assert!(
        waited <= LONG_RUN_SECS + SLACK_SECS,
        "another interview's run waited {waited:.2} s behind the flood (one run takes {LONG_RUN_SECS} s)"
    );
}

fn seconds_between(from: &Value, to: &Value) -> f64 {
    let parse = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    (parse(to) - parse(from)).num_milliseconds() as f64 / 1000.0
}
