//! Several `codeview serve` processes on one fresh PostgreSQL database and one Redis of the
//! test's own (a `redis-server` on a free loopback port, so that it can be stopped and
//! restarted without touching the machine's shared one), for the multi-instance tests of
//! issue 21: start N instances, SIGKILL one, start it again, restart Redis; an interview with a
//! host, an observer and a candidate; and `ClusterPeer`, a y-websocket client that can hop
//! between instances (it keeps its document and re-syncs both ways on reconnect) and shares
//! awareness.
//!
//! Every child process is killed when its handle drops, so a failing test leaves none behind.
//! Each instance's log (stderr, `RUST_LOG`=`CODEVIEW_TEST_CLUSTER_LOG` or `warn`) is kept in
//! the cluster's temporary directory: `TestCluster::log(i)` reads it.

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use codeview_collab::yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update, WriteTxn};
use futures_util::{SinkExt, StreamExt};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{PostgresDb, Socket, create_postgres_db, test_slot_uid_base};

/// A port nobody listens on now (the process binds it a moment later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

const REDIS_SERVER: &str = "/usr/bin/redis-server";

/// Whether `redis-server` is installed; when it is not, the test prints SKIPPED — or fails,
/// when `CODEVIEW_REQUIRE_REDIS=1` says Redis must be there.
pub fn redis_server_installed() -> bool {
    if std::path::Path::new(REDIS_SERVER).exists() {
        return true;
    }
    let required = std::env::var("CODEVIEW_REQUIRE_REDIS").is_ok_and(|v| v == "1" || v == "true");
    assert!(!required, "Redis is required (CODEVIEW_REQUIRE_REDIS=1) but {REDIS_SERVER} is missing");
    eprintln!("SKIPPED: multi-instance test — {REDIS_SERVER} is missing");
    false
}

/// A `redis-server` of the test's own, on a free loopback port, nothing saved to disk.
pub struct RedisServer {
    pub port: u16,
    child: Option<std::process::Child>,
}

impl RedisServer {
    pub async fn start() -> RedisServer {
        let mut redis = RedisServer { port: free_port(), child: None };
        redis.start_again().await;
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills it (SIGKILL: every key and subscription is gone).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it on the same port (empty) and waits until it answers.
    pub async fn start_again(&mut self) {
        self.stop();
        let child = std::process::Command::new(REDIS_SERVER)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting redis-server");
        self.child = Some(child);
        for _ in 0..200 {
            if self.ping().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    /// Stops it for `down`, then starts it again.
    pub async fn restart_after(&mut self, down: Duration) {
        self.stop();
        tokio::time::sleep(down).await;
        self.start_again().await;
    }

    pub async fn ping(&self) -> bool {
        let reached = async {
            let client = redis::Client::open(self.url())?;
            let mut connection = client.get_multiplexed_async_connection().await?;
            redis::cmd("PING").query_async::<String>(&mut connection).await
        };
        matches!(tokio::time::timeout(Duration::from_secs(1), reached).await, Ok(Ok(_)))
    }

    /// A connection to look at keys in tests.
    pub async fn connection(&self) -> redis::aio::MultiplexedConnection {
        let client = redis::Client::open(self.url()).expect("redis url");
        client.get_multiplexed_async_connection().await.expect("connecting to the test's redis")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One `codeview serve` process, killed when dropped.
pub struct Instance {
    pub base: String,
    port: u16,
    child: Option<tokio::process::Child>,
    log: std::path::PathBuf,
}

impl Instance {
    pub fn running(&self) -> bool {
        self.child.is_some()
    }

    pub fn ws_base(&self) -> String {
        self.base.replace("http://", "ws://")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.start_kill();
        }
    }
}

/// N instances on one fresh PostgreSQL database and one Redis of their own.
pub struct TestCluster {
    pub instances: Vec<Instance>,
    pub redis: RedisServer,
    pub database_url: String,
    /// Environment every instance starts with, beyond the usual.
    env: Vec<(String, String)>,
    logs: tempfile::TempDir,
    _database: PostgresDb,
}

impl TestCluster {
    /// Starts `n` instances one after the other (the first migrates the database), or `None`
    /// when PostgreSQL cannot be reached and is not required (`CODEVIEW_REQUIRE_POSTGRES`).
    pub async fn start(n: usize) -> Option<TestCluster> {
        TestCluster::start_with(n, &[]).await
    }

    /// As `start`, each instance with the environment `env` too (a quota, say).
    pub async fn start_with(n: usize, env: &[(&str, &str)]) -> Option<TestCluster> {
        if !redis_server_installed() {
            return None;
        }
        let database = create_postgres_db().await?;
        let redis = RedisServer::start().await;
        let mut cluster = TestCluster {
            instances: Vec::new(),
            redis,
            database_url: database.url(),
            env: env.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
            logs: tempfile::tempdir().expect("tempdir"),
            _database: database,
        };
        for index in 0..n {
            let log = cluster.logs.path().join(format!("instance-{index}.log"));
            let mut instance = Instance { base: String::new(), port: free_port(), child: None, log };
            cluster.launch(&mut instance, index).await;
            cluster.instances.push(instance);
        }
        Some(cluster)
    }

    pub fn base(&self, index: usize) -> &str {
        &self.instances[index].base
    }

    /// SIGKILL: no drain, no last snapshot, no lease released.
    pub async fn kill(&mut self, index: usize) {
        if let Some(mut child) = self.instances[index].child.take() {
            let _ = child.start_kill();
            let _ = child.wait().await;
        }
    }

    /// SIGTERM: the instance drains (`--drain-secs`, 5 s) and hands its documents over.
    pub fn terminate(&self, index: usize) {
        crate::helpers::terminate(self.instances[index].child.as_ref().expect("running"));
    }

    /// SIGSTOP (`paused`) or SIGCONT: a stopped instance answers nothing, but its keys in
    /// Redis live on until they expire, as those of a hung one do.
    pub fn pause(&self, index: usize, paused: bool) {
        let child = self.instances[index].child.as_ref().expect("running");
        crate::helpers::signal(child, if paused { "STOP" } else { "CONT" });
    }

    /// Starts instance `index` again on its port (after `kill`, or to replace a running one).
    pub async fn restart(&mut self, index: usize) {
        self.kill(index).await;
        let mut instance = std::mem::replace(
            &mut self.instances[index],
            Instance { base: String::new(), port: 0, child: None, log: Default::default() },
        );
        self.launch(&mut instance, index).await;
        self.instances[index] = instance;
    }

    /// Stops Redis for `down`, then starts it again, empty (the servers keep running).
    pub async fn restart_redis(&mut self, down: Duration) {
        self.redis.restart_after(down).await;
    }

    /// What instance `index` has logged so far.
    pub fn log(&self, index: usize) -> String {
        std::fs::read_to_string(&self.instances[index].log).unwrap_or_default()
    }

    async fn launch(&self, instance: &mut Instance, index: usize) {
        let addr = format!("127.0.0.1:{}", instance.port);
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&instance.log).expect("instance log");
        let level = std::env::var("CODEVIEW_TEST_CLUSTER_LOG").unwrap_or_else(|_| "warn".into());
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr, "--database-url", &self.database_url, "--redis-url", &self.redis.url()])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 5000 + 100 * index as u32).to_string())
            .env("CODEVIEW_AUTH_PER_MINUTE", "10000")
            .env("CODEVIEW_JOIN_PER_MINUTE", "10000")
            .env("RUST_LOG", level)
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview serve");
        instance.base = format!("http://{addr}");
        instance.child = Some(child);
        let client = Client::new();
        for _ in 0..600 {
            if let Ok(response) = client.get(instance.url("/api/health")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("instance {index} did not become healthy on {addr}:\n{}", self.log(index));
    }
}

/// How a peer proves who it is on a document socket.
#[derive(Clone, Debug)]
pub enum Credential {
    /// A personal API token (`?token=`).
    Token(String),
    /// A session cookie (`name=value`), as the candidate's browser holds.
    Cookie(String),
}

/// A live interview with a host, an observer and a candidate, created through instance `base`.
pub struct Room {
    pub interview: String,
    pub host: Client,
    pub host_credential: Credential,
    pub observer_credential: Credential,
    pub candidate_credential: Credential,
}

fn browser() -> Client {
    Client::builder().cookie_store(true).build().expect("client")
}

async fn call(client: &Client, method: reqwest::Method, url: String, body: Value) -> Value {
    let response = client.request(method.clone(), &url).json(&body).send().await.expect("request");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "{method} {url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Registers a host and an observer (a member of the host's workspace), creates an interview,
/// adds the observer, lets the candidate join, and starts it — all through `base`.
pub async fn set_up_room(base: &str) -> Room {
    let room = set_up_scheduled_room(base, None).await;
    call(&room.host, reqwest::Method::POST, format!("{base}/api/interviews/{}/start", room.interview), json!({})).await;
    room
}

/// As `set_up_room`, without the start; with `starter_code` (by language), the interview has
/// one question with that starter code.
pub async fn set_up_scheduled_room(base: &str, starter_code: Option<Value>) -> Room {
    use reqwest::Method;
    let (host, observer) = (browser(), browser());
    for (client, email) in [(&host, "host@example.com"), (&observer, "observer@example.com")] {
        let body = json!({"email": email, "name": email, "password": "correct horse battery"});
        call(client, Method::POST, format!("{base}/api/auth/register"), body).await;
    }
    let workspaces = call(&host, Method::GET, format!("{base}/api/workspaces"), Value::Null).await;
    let workspace = workspaces["workspaces"][0]["id"].as_str().expect("a workspace").to_owned();
    let invite = json!({"email": "observer@example.com", "role": "member"});
    let invited = call(&host, Method::POST, format!("{base}/api/workspaces/{workspace}/invites"), invite).await;
    let token = invited["invite_url"].as_str().expect("invite url").rsplit('/').next().unwrap_or_default().to_owned();
    call(&observer, Method::POST, format!("{base}/api/workspace-invites/{token}/accept"), json!({})).await;
    let mut body = json!({"title": "Across instances", "language": "python"});
    if let Some(starter_code) = starter_code {
        let question = crate::fixtures::question_with_starter_body("Echo", starter_code);
        let created = call(&host, Method::POST, format!("{base}/api/questions"), question).await;
        body["question_ids"] = json!([created["question"]["id"]]);
    }
    let created = call(&host, Method::POST, format!("{base}/api/interviews"), body).await;
    let interview = created["interview"]["id"].as_str().expect("interview id").to_owned();
    let (code, secret) = crate::fixtures::parse_invite_url(created["candidate_invite_url"].as_str().expect("invite"));
    let add = json!({"email": "observer@example.com", "role": "observer"});
    call(&host, Method::POST, format!("{base}/api/interviews/{interview}/participants"), add).await;
    let joined = Client::new()
        .post(format!("{base}/api/interviews/room/{code}/join"))
        .json(&json!({"name": "Cara Candidate", "invite": secret}))
        .send()
        .await
        .expect("joining");
    assert_eq!(joined.status(), StatusCode::OK);
    let cookie = joined.headers()["set-cookie"].to_str().expect("cookie").split(';').next().unwrap_or_default();
    let mut tokens = Vec::new();
    for client in [&host, &observer] {
        let created = call(client, Method::POST, format!("{base}/api/auth/tokens"), json!({"name": "peer"})).await;
        tokens.push(Credential::Token(created["token"].as_str().expect("token").to_owned()));
    }
    let observer_credential = tokens.pop().expect("observer token");
    let host_credential = tokens.pop().expect("host token");
    Room {
        interview,
        host,
        host_credential,
        observer_credential,
        candidate_credential: Credential::Cookie(cookie.into()),
    }
}

/// A y-websocket client of one document that keeps its yrs document across reconnects (to
/// any instance) and answers the server's `SyncStep1`, so what it typed while cut off is
/// uploaded when it comes back — as the npm client does.
pub struct ClusterPeer {
    socket: Option<Socket>,
    pub doc: Doc,
    interview: String,
    doc_name: String,
    credential: Credential,
    /// The awareness states seen, by awareness client id (JSON).
    pub awareness: HashMap<u64, Arc<str>>,
    awareness_clock: u32,
    /// The close code of the last socket the server closed, if any, and its reason.
    pub last_close: Option<u16>,
    pub last_close_reason: Option<String>,
    /// The instance (`ws://host:port`) it last connected to.
    pub home: Option<String>,
}

impl ClusterPeer {
    /// A peer with an empty document, not connected yet.
    pub fn new(interview: &str, doc_name: &str, credential: Credential) -> ClusterPeer {
        ClusterPeer {
            socket: None,
            doc: Doc::new(),
            interview: interview.to_owned(),
            doc_name: doc_name.to_owned(),
            credential,
            awareness: HashMap::new(),
            awareness_clock: 0,
            last_close: None,
            last_close_reason: None,
            home: None,
        }
    }

    /// Opens the interview's document `doc_name` on `ws_base` (`ws://host:port`) and syncs.
    pub async fn open(ws_base: &str, interview: &str, doc_name: &str, credential: Credential) -> ClusterPeer {
        let mut peer = ClusterPeer::new(interview, doc_name, credential);
        peer.connect(ws_base).await.expect("opening the document socket");
        peer
    }

    /// As `open`, retrying until `within` passes (the document may be between owners).
    pub async fn open_retrying(
        ws_base: &str,
        interview: &str,
        doc_name: &str,
        credential: &Credential,
        within: Duration,
    ) -> ClusterPeer {
        let mut peer = ClusterPeer::new(interview, doc_name, credential.clone());
        peer.reconnect(ws_base, within).await;
        peer
    }

    /// (Re)connects to `ws_base` and syncs both ways; `Err` when the socket is refused or
    /// closed before the sync completes.
    pub async fn connect(&mut self, ws_base: &str) -> Result<(), String> {
        let mut url = format!("{ws_base}/ws/yjs/{}/{}", self.interview, self.doc_name);
        if let Credential::Token(token) = &self.credential {
            url.push_str(&format!("?token={token}"));
        }
        let mut request = url.into_client_request().map_err(|e| e.to_string())?;
        if let Credential::Cookie(cookie) = &self.credential {
            request.headers_mut().insert("cookie", cookie.parse().map_err(|_| "bad cookie".to_owned())?);
        }
        let origin = ws_base.replace("ws://", "http://");
        request.headers_mut().insert("origin", origin.parse().map_err(|_| "bad origin".to_owned())?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await.map_err(|e| e.to_string())?;
        self.socket = Some(socket);
        self.home = Some(ws_base.to_owned());
        self.sync().await
    }

    /// Reconnects to `ws_base`, retrying (as y-websocket does) until `within` passes.
    pub async fn reconnect(&mut self, ws_base: &str, within: Duration) {
        let deadline = tokio::time::Instant::now() + within;
        let mut last = String::new();
        while tokio::time::Instant::now() < deadline {
            match self.connect(ws_base).await {
                Ok(()) => return,
                Err(err) => last = err,
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("could not reconnect to {ws_base} within {within:?}: {last}");
    }

    /// Reconnects to the instance it last used if the server closed its socket (as
    /// y-websocket does), retrying until `within` passes.
    pub async fn stay_connected(&mut self, within: Duration) {
        if self.socket.is_none()
            && let Some(home) = self.home.clone()
        {
            self.reconnect(&home, within).await;
        }
    }

    pub fn connected(&self) -> bool {
        self.socket.is_some()
    }

    /// The content of the Y.Text `name`.
    pub fn text(&self, name: &str) -> String {
        let txn = self.doc.transact();
        txn.get_text(name).map(|text| text.get_string(&txn)).unwrap_or_default()
    }

    /// Appends `content` to the Y.Text `name` locally and sends the update (no wait).
    pub async fn type_text(&mut self, name: &str, content: &str) -> bool {
        let update = {
            let mut txn = self.doc.transact_mut();
            let text = txn.get_or_insert_text(name);
            let end = text.len(&txn);
            text.insert(&mut txn, end, content);
            txn.encode_update_v1()
        };
        self.send(Message::Sync(SyncMessage::Update(update)).encode_v1()).await
    }

    /// Publishes `state` (JSON) as this peer's awareness, under the doc's client id.
    pub async fn set_awareness(&mut self, state: Value) -> bool {
        self.awareness_clock += 1;
        let entry = AwarenessUpdateEntry { clock: self.awareness_clock, json: state.to_string().into() };
        let update = AwarenessUpdate { clients: HashMap::from([(self.doc.client_id(), entry)]) };
        self.send(Message::Awareness(update).encode_v1()).await
    }

    async fn send(&mut self, frame: Vec<u8>) -> bool {
        let Some(socket) = &mut self.socket else { return false };
        if socket.send(WsMessage::binary(frame)).await.is_err() {
            self.socket = None;
            return false;
        }
        true
    }

    /// Sends `SyncStep1` and handles frames until the server's `SyncStep2`.
    pub async fn sync(&mut self) -> Result<(), String> {
        let state_vector = self.doc.transact().state_vector();
        if !self.send(Message::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1()).await {
            return Err("the socket is closed".into());
        }
        let synced = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match self.next_frame().await {
                    Some(Message::Sync(SyncMessage::SyncStep2(_))) => return Ok(()),
                    Some(_) => {}
                    None => return Err(format!("closed before the sync ({:?})", self.last_close)),
                }
            }
        })
        .await;
        synced.unwrap_or_else(|_| Err("no SyncStep2 within 10 s".into()))
    }

    /// Handles what arrives for `period` (or until the socket closes).
    pub async fn pump(&mut self, period: Duration) {
        let _ = tokio::time::timeout(period, async { while self.next_frame().await.is_some() {} }).await;
    }

    /// Handles frames until `done(self)` holds; false when `within` passes first (or the
    /// socket closes).
    pub async fn wait_until(&mut self, within: Duration, done: impl Fn(&ClusterPeer) -> bool) -> bool {
        let reached = tokio::time::timeout(within, async {
            while !done(self) {
                if self.next_frame().await.is_none() {
                    return false;
                }
            }
            true
        })
        .await;
        reached.unwrap_or(false)
    }

    /// Reads, applies and answers one message; `None` once the socket is closed.
    async fn next_frame(&mut self) -> Option<Message> {
        loop {
            let socket = self.socket.as_mut()?;
            let frame = match socket.next().await {
                Some(Ok(WsMessage::Binary(frame))) => frame,
                Some(Ok(WsMessage::Close(close))) => {
                    self.last_close = close.as_ref().map(|c| u16::from(c.code));
                    self.last_close_reason = close.map(|c| c.reason.to_string());
                    self.socket = None;
                    return None;
                }
                Some(Ok(_)) => continue,
                _ => {
                    self.socket = None;
                    return None;
                }
            };
            let Ok(message) = Message::decode_v1(&frame) else { continue };
            match &message {
                Message::Sync(SyncMessage::SyncStep1(state_vector)) => {
                    let diff = self.diff(state_vector);
                    self.send(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1()).await;
                }
                Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update)) => self.apply(update),
                Message::Awareness(update) => {
                    for (client, entry) in &update.clients {
                        self.awareness.insert(client.get(), entry.json.clone());
                    }
                }
                _ => {}
            }
            return Some(message);
        }
    }

    fn diff(&self, state_vector: &StateVector) -> Vec<u8> {
        self.doc.transact().encode_state_as_update_v1(state_vector)
    }

    fn apply(&self, update: &[u8]) {
        if let Ok(update) = Update::decode_v1(update) {
            let _ = self.doc.transact_mut().apply_update(update);
        }
    }

    /// Whether some awareness state seen contains `needle`.
    pub fn sees_awareness(&self, needle: &str) -> bool {
        self.awareness.values().any(|state| state.contains(needle))
    }

    /// Closes the socket (the peer keeps its document).
    pub async fn close(&mut self) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
    }
}
