//! Rate limits hold across server instances: an address that spreads its sign-in attempts over
//! two `codeview serve` processes (one PostgreSQL database, one Redis) gets exactly the budget
//! it gets from one, and a password guesser that switches instance still waits. With Redis
//! stopped each instance still limits in-process (never no limit, never an error), and once
//! Redis is back the budget is shared again.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::StatusCode;

use crate::edge_clients::loopback;
use crate::helpers::assert_error;
use crate::rights_cluster_support::{Instance, PASSWORD, database_and_redis};

/// Sign-in attempts per address per minute on every instance of these tests.
const BUDGET: u32 = 6;
const ATTEMPTS: usize = 9;

fn limits() -> [(&'static str, &'static str); 2] {
    [("CODEVIEW_AUTH_PER_MINUTE", "6"), ("CODEVIEW_LOGIN_FAILURES_BEFORE_DELAY", "2")]
}

/// `ATTEMPTS` sign-ins with unknown emails (so that only the address's budget counts) from
/// `from`, the i-th sent to `instances[i % len]`; the statuses, each 429 checked for its
/// `Retry-After`.
async fn spread_logins(instances: &[&Instance], from: IpAddr) -> Vec<u16> {
    let mut statuses = Vec::new();
    for attempt in 0..ATTEMPTS {
        let instance = instances[attempt % instances.len()];
        let response = instance.login_from(from, &format!("nobody{attempt}@example.com"), PASSWORD).await;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=10).contains(&wait), "one request every 10 s: Retry-After {wait}");
            assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        }
        statuses.push(status.as_u16());
    }
    statuses
}

fn expected() -> Vec<u16> {
    (0..ATTEMPTS).map(|i| if i < BUDGET as usize { 401 } else { 429 }).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_spread_over_two_instances_get_one_instances_budget_and_the_guessers_delay() {
    let Some((db, redis)) = database_and_redis().await else { return };
    let a = Instance::start(&db.url(), &redis.url(), &limits()).await;
    let b = Instance::start(&db.url(), &redis.url(), &limits()).await;

    let on_one = spread_logins(&[&a], loopback(1, 1)).await;
    let on_two = spread_logins(&[&a, &b], loopback(1, 2)).await;
    assert_eq!(on_one, expected(), "one instance");
    assert_eq!(on_two, on_one, "two instances give an address what one gives it");

    // The failed-login delay follows the (email, address) from instance to instance.
    a.register("victim@example.com", "Victim").await;
    let guesser = loopback(1, 3);
    for (guess, instance) in [&a, &b, &a].into_iter().enumerate() {
        let response = instance.login_from(guesser, "victim@example.com", &format!("guess {guess}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {guess} is checked");
    }
    let response = b.login_from(guesser, "victim@example.com", "guess 3").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the third failure on A delays the fourth on B");
    assert!(response.headers().contains_key("retry-after"));
    let owner = b.login_from(loopback(1, 4), "victim@example.com", PASSWORD).await;
    assert_eq!(owner.status(), StatusCode::OK, "the owner, from another address, signs in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_stopped_each_instance_still_limits_and_shares_again_when_it_returns() {
    let Some((db, mut redis)) = database_and_redis().await else { return };
    let a = Instance::start(&db.url(), &redis.url(), &limits()).await;
    let b = Instance::start(&db.url(), &redis.url(), &limits()).await;

    redis.stop();
    assert_eq!(spread_logins(&[&a], loopback(2, 1)).await, expected(), "in-process on A without Redis");
    let errors = a.counter("codeview_redis_errors_total{part=\"rate_limits\"}").await;
    assert!(errors >= 1.0, "the failures are counted: {errors}");
    let guesser = loopback(2, 2);
    for guess in 0..3 {
        let response = a.login_from(guesser, "victim@example.com", &format!("guess {guess}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {guess}");
    }
    let response = a.login_from(guesser, "victim@example.com", "guess 3").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the delay holds in-process");

    redis.start_again().await;
    // The links rest a second after a failure, then ask Redis again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    // One request to each instance wakes its link; from an address of its own.
    spread_logins(&[&a, &b], loopback(2, 3)).await;
    let on_two = spread_logins(&[&a, &b], loopback(2, 4)).await;
    assert_eq!(on_two, expected(), "shared again once Redis is back");
}
