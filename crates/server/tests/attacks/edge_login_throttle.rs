//! Guessing one account's password from one address must not lock its owner out: failed
//! logins are delayed per (email, address), with a wait that grows with every attempt, while
//! the owner signs in from another address at once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::edge_clients::{client_from, loopback};
use crate::helpers::{TestApp, assert_error};

const VICTIM: &str = "victim@example.com";
const PASSWORD: &str = "correct horse battery";

crate::on_both_backends!(a_password_guesser_waits_longer_and_longer_while_the_owner_signs_in);

async fn a_password_guesser_waits_longer_and_longer_while_the_owner_signs_in(app: TestApp) {
    app.signed_in(VICTIM, "Victim").await;
    let attacker = client_from(loopback(0, 2));
    let (mut rejected, mut waits) = (0, Vec::new());
    for guess in 0..50 {
        let response = app.login(&attacker, VICTIM, &format!("guess number {guess}")).await;
        match response.status() {
            StatusCode::UNAUTHORIZED => rejected += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = response.headers().get("retry-after").expect("Retry-After on 429");
                waits.push(wait.to_str().unwrap().parse::<u64>().unwrap());
                assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
            }
            other => panic!("guess {guess}: unexpected {other}"),
        }
    }
    assert!(rejected <= 10, "{rejected} guesses were checked");
    assert!(waits.len() >= 40, "only {} of 50 guesses were delayed", waits.len());
    assert!(waits.windows(2).all(|pair| pair[0] <= pair[1]), "the wait never shrinks: {waits:?}");
    assert!(waits.last() > waits.first() && *waits.last().unwrap() >= 60, "the wait grows: {waits:?}");

    let owner = client_from(loopback(0, 3));
    let started = Instant::now();
    let response = app.login(&owner, VICTIM, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "the owner signs in from another address");
    assert!(started.elapsed() < Duration::from_secs(2), "at once, not after a delay: {:?}", started.elapsed());
}
