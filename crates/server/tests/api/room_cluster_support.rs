//! What the room's cross-instance tests share: a second `codeview serve` process on the first
//! one's database and Redis (killed with the test; the Redis of the test's own is
//! `cluster_support::RedisServer`), room sockets on either instance, and
//! waiting for a participant's presence.

use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderValue};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::cluster_support::free_port;
use crate::helpers::{Socket, next_event_of_any_type, test_slot_uid_base};

/// How long a process may take to answer `/api/health`.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A second server instance (`codeview serve` as a child process); killed when dropped.
pub struct SecondInstance {
    child: tokio::process::Child,
    pub base: String,
}

impl SecondInstance {
    /// Starts it on `database_url` and `redis_url`, running no batch runs.
    pub async fn start(database_url: &str, redis_url: &str) -> SecondInstance {
        // The port is free when probed; the binary binds it a moment later.
        let addr = format!("127.0.0.1:{}", free_port());
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr, "--database-url", database_url, "--redis-url", redis_url])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 2000).to_string())
            .env("CODEVIEW_AUTH_PER_MINUTE", "10000")
            .env("CODEVIEW_JOIN_PER_MINUTE", "10000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview serve");
        let instance = SecondInstance { child, base: format!("http://{addr}") };
        wait_until_healthy(&instance.base).await;
        instance
    }

    /// `kill -9`: no shutdown, nothing cleaned up.
    pub async fn kill9(&mut self) {
        self.child.start_kill().expect("SIGKILL");
        let _ = self.child.wait().await;
    }
}

async fn wait_until_healthy(base: &str) {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + START_TIMEOUT;
    while tokio::time::Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/api/health")).send().await
            && response.status() == StatusCode::OK
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("codeview did not become healthy on {base}");
}

/// A room socket on the instance at `base`, by API token or session cookie, past `hello`.
pub async fn room_socket_at(base: &str, interview: &str, token: Option<&str>, cookie: Option<&str>) -> Socket {
    let mut url = format!("{}/ws/rooms/{interview}", base.replace("http://", "ws://"));
    if let Some(token) = token {
        url.push_str(&format!("?token={token}"));
    }
    let mut request = url.into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("room socket");
    assert_eq!(next_event_of_any_type(&mut socket).await["type"], "hello");
    socket
}

/// Whether `presence` lists `name` as online.
fn shows_online(presence: &Value, name: &str) -> Option<bool> {
    presence["participants"].as_array()?.iter().find(|p| p["name"] == name).map(|p| p["online"] == true)
}

/// Reads the socket until a `presence` event shows `name` online (or offline); returns how long
/// that took. Fails after `within`.
pub async fn presence_until(socket: &mut Socket, name: &str, online: bool, within: Duration) -> Duration {
    let started = tokio::time::Instant::now();
    let deadline = started + within;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .unwrap_or_else(|_| panic!("{name} not shown online={online} within {within:?}"))
            .expect("open socket")
            .expect("frame");
        let Message::Text(text) = message else { continue };
        let event: Value = serde_json::from_str(&text).expect("JSON event");
        if event["type"] == "presence" && shows_online(&event, name) == Some(online) {
            return started.elapsed();
        }
    }
}

/// The latest `presence` event the socket got within `quiet` (none: `None`).
pub async fn latest_presence(socket: &mut Socket, quiet: Duration) -> Option<Value> {
    let mut latest = None;
    while let Ok(Some(Ok(message))) = tokio::time::timeout(quiet, socket.next()).await {
        if let Message::Text(text) = message {
            let event: Value = serde_json::from_str(&text).expect("JSON event");
            if event["type"] == "presence" {
                latest = Some(event);
            }
        }
    }
    latest
}

/// Whether the latest presence shows `name` online.
pub fn online_in(presence: &Value, name: &str) -> bool {
    shows_online(presence, name) == Some(true)
}
