//! Several `codeview serve` processes on one fresh PostgreSQL database and one Redis of the
//! test's own (the API suite's `cluster_support::RedisServer`, on a free port, so it can stop
//! and restart it and no key of another test is shared), each started with the flags its
//! attack needs, with the few requests and sockets the rights and rate-limit tests make. Every process is killed when its handle drops, also on a panic.
//!
//! Needs PostgreSQL (see `helpers`) and `/usr/bin/redis-server`: when either is missing the
//! test prints SKIPPED and returns, unless `CODEVIEW_REQUIRE_POSTGRES=1` /
//! `CODEVIEW_REQUIRE_REDIS=1` make it fail.

use std::net::IpAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{COOKIE, HeaderValue, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::cluster_support::{RedisServer, free_port, redis_server_installed};
use crate::fixtures::parse_invite_url;
pub use crate::helpers::Socket;
use crate::helpers::{PostgresDb, create_postgres_db, test_slot_uid_base};

pub const PASSWORD: &str = "correct horse battery";
/// Lets a test read an instance's `/metrics`.
const METRICS_TOKEN: &str = "rights-cluster-metrics-token";

async fn wait_for(what: &str, mut ready: impl AsyncFnMut() -> bool) {
    for _ in 0..400 {
        if ready().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not become ready");
}

/// One `codeview serve` process; killed (SIGKILL) when dropped.
pub struct Instance {
    pub base: String,
    _child: tokio::process::Child,
}

impl Instance {
    /// Starts `codeview serve` on `database_url` and `redis_url` with the extra environment
    /// `env` (flags as `CODEVIEW_…` variables), and waits until it is healthy.
    pub async fn start(database_url: &str, redis_url: &str, env: &[(&str, &str)]) -> Instance {
        let addr = format!("127.0.0.1:{}", free_port());
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr, "--database-url", database_url, "--redis-url", redis_url])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 5000).to_string())
            .env("CODEVIEW_AUTH_PER_MINUTE", "10000")
            .env("CODEVIEW_JOIN_PER_MINUTE", "10000")
            .env("CODEVIEW_METRICS_TOKEN", METRICS_TOKEN)
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview serve");
        let instance = Instance { base: format!("http://{addr}"), _child: child };
        let health = instance.url("/api/health");
        wait_for("codeview serve", async || {
            Client::new().get(&health).send().await.is_ok_and(|r| r.status() == StatusCode::OK)
        })
        .await;
        instance
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, client: &Client, path: &str, body: Value) -> Response {
        client.post(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Value {
        let response = client.get(self.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn delete(&self, client: &Client, path: &str) -> StatusCode {
        client.delete(self.url(path)).send().await.expect("request").status()
    }

    /// The value of the counter `series` (name and labels exactly as rendered), 0 when absent.
    pub async fn counter(&self, series: &str) -> f64 {
        let text = Client::new()
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .filter_map(|line| line.strip_prefix(series))
            .filter_map(|rest| rest.trim().parse::<f64>().ok())
            .sum()
    }

    /// Registers an account here; returns its session.
    pub async fn register(&self, email: &str, name: &str) -> Session {
        let body = json!({"email": email, "name": name, "password": PASSWORD});
        let response = self.post(&Client::new(), "/api/auth/register", body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "registering {email}");
        Session::from_response(&response)
    }

    /// Signs in here from `from` with `password`; returns the answer.
    pub async fn login_from(&self, from: IpAddr, email: &str, password: &str) -> Response {
        let client = Client::builder().local_address(from).build().expect("client");
        self.post(&client, "/api/auth/login", json!({"email": email, "password": password})).await
    }

    /// Another session of an existing account.
    pub async fn login(&self, email: &str) -> Session {
        let response = self.login_from("127.0.0.1".parse().expect("ip"), email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "signing in {email}");
        Session::from_response(&response)
    }

    /// A new interview of `host`; returns its id, room code and invite secret.
    pub async fn create_interview(&self, host: &Session) -> (String, String, String) {
        let response = self.post(&host.client, "/api/interviews", json!({"title": "Pairing"})).await;
        assert_eq!(response.status(), StatusCode::CREATED, "creating an interview");
        let body: Value = response.json().await.expect("json");
        let (code, invite) = parse_invite_url(body["candidate_invite_url"].as_str().expect("invite url"));
        (body["interview"]["id"].as_str().expect("id").to_owned(), code, invite)
    }

    /// Joins as the candidate here; returns the candidate's session.
    pub async fn join(&self, code: &str, invite: &str, name: &str) -> Session {
        let path = format!("/api/interviews/room/{code}/join");
        let response = self.post(&Client::new(), &path, json!({"name": name, "invite": invite})).await;
        assert_eq!(response.status(), StatusCode::OK, "{name} joining");
        Session::from_response(&response)
    }

    /// A new API token of `session`'s account: (id, secret).
    pub async fn token(&self, session: &Session) -> (String, String) {
        let response = self.post(&session.client, "/api/auth/tokens", json!({"name": "ci"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        (body["id"].as_str().expect("id").to_owned(), body["token"].as_str().expect("token").to_owned())
    }

    /// Writes `text` into the interview's code document here, as `token`'s owner, and returns
    /// once this instance has applied it (it answers a sync sent after the update).
    pub async fn write_code(&self, token: &str, interview: &str, text: &str) {
        use codeview_collab::yrs::sync::{Message as YMessage, SyncMessage};
        use codeview_collab::yrs::updates::decoder::Decode;
        use codeview_collab::yrs::updates::encoder::Encode;
        use codeview_collab::yrs::{Doc, ReadTxn, Text, Transact};
        use futures_util::SinkExt;

        let mut socket = self.open_socket(&format!("/ws/yjs/{interview}/code"), SocketAuth::Token(token)).await;
        let ydoc = Doc::new();
        let update = {
            let code = ydoc.get_or_insert_text("code");
            let mut txn = ydoc.transact_mut();
            code.insert(&mut txn, 0, text);
            txn.encode_update_v1()
        };
        socket.send(Message::binary(YMessage::Sync(SyncMessage::Update(update)).encode_v1())).await.expect("update");
        let step1 = YMessage::Sync(SyncMessage::SyncStep1(ydoc.transact().state_vector())).encode_v1();
        socket.send(Message::binary(step1)).await.expect("sync step 1");
        let answered = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(Ok(frame)) = socket.next().await {
                if let Message::Binary(bytes) = frame
                    && let Ok(YMessage::Sync(SyncMessage::SyncStep2(_))) = YMessage::decode_v1(&bytes)
                {
                    return true;
                }
            }
            false
        });
        assert!(answered.await.expect("the server answers the sync"), "the document socket closed first");
    }

    /// Opens `path` here (a room or document socket) and reads what the server sends first.
    pub async fn open_socket(&self, path: &str, auth: SocketAuth<'_>) -> Socket {
        let mut url = format!("{}{path}", self.base.replace("http://", "ws://"));
        if let SocketAuth::Token(token) = auth {
            url.push_str(&format!("?token={token}"));
        }
        let mut request = url.into_client_request().expect("request");
        if let SocketAuth::Cookie(cookie) = auth {
            request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).expect("cookie"));
        }
        let (mut socket, _) =
            tokio_tungstenite::connect_async(request).await.unwrap_or_else(|err| panic!("{path} opens: {err}"));
        while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_millis(300), socket.next()).await {
            assert!(!matches!(message, Message::Close(_)), "{path} closed at once: {message:?}");
        }
        socket
    }
}

/// A session the test holds the cookie of.
pub struct Session {
    pub client: Client,
    pub cookie: String,
}

impl Session {
    fn from_response(response: &Response) -> Session {
        let set = response.headers().get(SET_COOKIE).expect("a session cookie").to_str().expect("text");
        let cookie = set.split(';').next().expect("name=value").to_owned();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(&cookie).expect("cookie"));
        Session { client: Client::builder().default_headers(headers).build().expect("client"), cookie }
    }
}

#[derive(Clone, Copy)]
pub enum SocketAuth<'a> {
    Cookie(&'a str),
    Token(&'a str),
}

/// The close code `socket` receives within `within` of `since`, and how long after `since`;
/// anything else sent to it first (a document frame, an event of a type not `tolerated`)
/// fails the test.
pub async fn closed_within(
    socket: &mut Socket,
    within: Duration,
    since: Instant,
    tolerated: &[&str],
) -> (u16, Duration) {
    let deadline = tokio::time::Instant::from_std(since + within);
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .unwrap_or_else(|_| panic!("the socket was still open after {within:?}"));
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return (frame.code.into(), since.elapsed()),
            Some(Ok(Message::Text(text))) => {
                let event: Value = serde_json::from_str(&text).expect("a JSON event");
                let kind = event["type"].as_str().unwrap_or_default();
                assert!(tolerated.contains(&kind), "an event reached a socket whose right is gone: {text}");
            }
            Some(Ok(Message::Binary(_))) => panic!("a document frame reached a socket whose right is gone"),
            Some(Ok(_)) => {}
            other => panic!("the socket ended without a close code: {other:?}"),
        }
    }
}

/// A fresh PostgreSQL database and a Redis of the test's own, or `None` (SKIPPED).
pub async fn database_and_redis() -> Option<(PostgresDb, RedisServer)> {
    if !redis_server_installed() {
        return None;
    }
    let db = create_postgres_db().await?;
    Some((db, RedisServer::start().await))
}
