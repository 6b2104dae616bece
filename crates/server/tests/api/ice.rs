//! `GET /api/interviews/{id}/ice`: every participant gets the configured STUN servers and a
//! TURN credential minted for themselves (checked here with the HMAC rule against the secret,
//! and its expiry against the TTL); strangers and other interviews' candidates get 404; with
//! nothing configured the list is empty.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use hmac::{KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::Value;

use crate::fixtures::{Actor, Cast};
use crate::helpers::TestApp;

crate::on_both_backends!(
    every_participant_gets_a_turn_credential_of_their_own,
    with_nothing_configured_the_list_is_empty
);

const SECRET: &str = "shared-with-coturn";
const TTL: u64 = 600;
const STUN: &str = "stun:stun.example.com:3478";
const TURN_UDP: &str = "turn:turn.example.com:3478?transport=udp";
const TURN_TCP: &str = "turn:turn.example.com:3478?transport=tcp";

/// base64(HMAC-SHA1(secret, username)), computed here rather than by the server's code.
fn hmac_sha1_base64(secret: &str, username: &str) -> String {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

async fn ice_of(app: &TestApp, client: &reqwest::Client, interview: &str) -> (StatusCode, Option<String>, Value) {
    let response = app.get(client, &format!("/api/interviews/{interview}/ice")).await;
    let status = response.status();
    let cache = response.headers().get("cache-control").map(|value| value.to_str().unwrap().to_owned());
    (status, cache, response.json().await.unwrap_or(Value::Null))
}

async fn every_participant_gets_a_turn_credential_of_their_own(app: TestApp) {
    let app = app
        .restart_with(|config| {
            config.ice.stun_urls = vec![STUN.into()];
            config.ice.turn_urls = vec![TURN_UDP.into(), TURN_TCP.into()];
            config.ice.turn_secret = Some(SECRET.into());
            config.ice.turn_ttl_seconds = TTL as u32;
        })
        .await;
    let cast = Cast::new(app).await;
    let interview = cast.interview(true).await;
    let detail: Value =
        cast.app.get(&cast.host, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    let participant_of = |role: &str| {
        detail["participants"].as_array().unwrap().iter().find(|p| p["role"] == role).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let roles = [
        (Actor::Host, "host"),
        (Actor::CoInterviewer, "interviewer"),
        (Actor::Observer, "observer"),
        (Actor::Candidate, "candidate"),
    ];
    for (actor, role) in roles {
        let (status, cache, body) = ice_of(&cast.app, cast.client(actor), &interview.id).await;
        assert_eq!(status, StatusCode::OK, "{actor:?}: {body}");
        assert_eq!(cache.as_deref(), Some("no-store"), "{actor:?}");
        assert_eq!(body["ttl_seconds"], TTL);
        let servers = body["ice_servers"].as_array().unwrap();
        assert_eq!(servers.len(), 2, "{body}");
        assert_eq!(servers[0], serde_json::json!({"urls": [STUN]}), "STUN without credentials");
        let turn = &servers[1];
        assert_eq!(turn["urls"], serde_json::json!([TURN_UDP, TURN_TCP]));
        let username = turn["username"].as_str().unwrap();
        let (expiry, participant) = username.split_once(':').unwrap();
        assert_eq!(participant, participant_of(role), "{actor:?}'s own participant id");
        let expiry: u64 = expiry.parse().unwrap();
        assert!(expiry.abs_diff(unix_now() + TTL) <= 5, "{actor:?}: expires {expiry}, now + ttl {}", unix_now() + TTL);
        assert_eq!(turn["credential"].as_str().unwrap(), hmac_sha1_base64(SECRET, username), "{actor:?}");
    }
    for actor in [Actor::Stranger, Actor::OtherCandidate] {
        let (status, _, body) = ice_of(&cast.app, cast.client(actor), &interview.id).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{actor:?}: {body}");
        assert!(!body.to_string().contains("turn:"), "{actor:?} learns no server");
    }
    let (status, _, _) = ice_of(&cast.app, &cast.anonymous, &interview.id).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The other interview's candidate gets their own interview's servers, not this one's.
    let (status, _, body) = ice_of(&cast.app, &cast.other_candidate, &cast.other_interview.id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn with_nothing_configured_the_list_is_empty(app: TestApp) {
    let cast = Cast::new(app).await;
    let interview = cast.interview(false).await;
    for actor in [Actor::Host, Actor::Observer, Actor::Candidate] {
        let (status, _, body) = ice_of(&cast.app, cast.client(actor), &interview.id).await;
        assert_eq!(status, StatusCode::OK, "{actor:?}");
        assert_eq!(body, serde_json::json!({"ice_servers": [], "ttl_seconds": 14_400}));
    }
}
