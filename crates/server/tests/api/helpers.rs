//! `TestApp`: the real server on port 0 with a fresh database (an SQLite file in a temporary
//! directory, or a new PostgreSQL database that is dropped afterwards), plus request helpers
//! and role actors.
//!
//! PostgreSQL comes from `CODEVIEW_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`).
//! When it cannot be reached the PostgreSQL variant of a test prints a visible SKIPPED line
//! and returns — unless `CODEVIEW_REQUIRE_POSTGRES=1` (CI), where it fails.

use std::path::PathBuf;

use futures_util::StreamExt;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;

use codeview::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    config: Config,
    pub backend: Backend,
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _tempdir: tempfile::TempDir,
    /// Dropped with the app: removes the PostgreSQL database.
    _postgres: Option<PostgresDb>,
}

/// A throwaway PostgreSQL database, dropped when the test ends (also on panic).
pub struct PostgresDb {
    admin_url: String,
    name: String,
}

impl PostgresDb {
    /// The database's URL: the admin URL with its database name.
    pub fn url(&self) -> String {
        replace_db_name(&self.admin_url, &self.name)
    }
}

impl Drop for PostgresDb {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime; do the async cleanup on a fresh thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&pool)
                        .await;
                }
            });
        })
        .join();
    }
}

fn postgres_admin_url() -> String {
    std::env::var("CODEVIEW_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_required() -> bool {
    std::env::var("CODEVIEW_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

/// The Redis URL for tests (`CODEVIEW_TEST_REDIS`, default 127.0.0.1:6379), or `None` with a
/// visible message when it cannot be reached — unless `CODEVIEW_REQUIRE_REDIS=1` (CI).
pub async fn test_redis_url() -> Option<String> {
    let url = std::env::var("CODEVIEW_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let reachable = async {
        let mut connection = redis::Client::open(url.as_str())?.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut connection).await
    };
    match reachable.await {
        Ok(_) => Some(url),
        Err(err) if !std::env::var("CODEVIEW_REQUIRE_REDIS").is_ok_and(|v| v == "1" || v == "true") => {
            eprintln!("SKIPPED: Redis test — cannot reach {url} ({err}); set CODEVIEW_TEST_REDIS");
            None
        }
        Err(err) => panic!("Redis is required (CODEVIEW_REQUIRE_REDIS=1) but {url} failed: {err}"),
    }
}

/// Sandbox uids of this test process's runner (`CODEVIEW_TEST_SLOT_UID_BASE`, default 60000):
/// two processes running code with the same range break each other's runs, so test runs
/// started side by side on one machine each take their own.
/// Sends SIGTERM to a running child process (a server of the test's own): it drains and exits.
pub fn terminate(child: &tokio::process::Child) {
    signal(child, "TERM");
}

/// Sends the signal `name` (`TERM`, `STOP`, `CONT`, …) to `child`.
pub fn signal(child: &tokio::process::Child, name: &str) {
    let pid = child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill").args([&format!("-{name}"), &pid]).status().expect("kill");
    assert!(sent.success(), "kill -{name} {pid}");
}

pub fn test_slot_uid_base() -> u32 {
    std::env::var("CODEVIEW_TEST_SLOT_UID_BASE").ok().and_then(|v| v.parse().ok()).unwrap_or(60_000)
}

/// A new empty PostgreSQL database, or `None` (with a SKIPPED line) when PostgreSQL cannot be
/// reached and is not required.
pub async fn create_postgres_db() -> Option<PostgresDb> {
    let admin_url = postgres_admin_url();
    let pool = match sqlx::PgPool::connect(&admin_url).await {
        Ok(pool) => pool,
        Err(err) if !postgres_required() => {
            eprintln!("SKIPPED: PostgreSQL test — cannot reach {admin_url} ({err}); set CODEVIEW_TEST_POSTGRES");
            return None;
        }
        Err(err) => panic!("PostgreSQL is required (CODEVIEW_REQUIRE_POSTGRES=1) but {admin_url} failed: {err}"),
    };
    let name = format!("cvtest_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.expect("CREATE DATABASE");
    Some(PostgresDb { admin_url, name })
}

impl TestApp {
    /// Starts the app, or `None` when the PostgreSQL backend is unavailable and optional.
    pub async fn try_spawn(backend: Backend) -> Option<TestApp> {
        Self::try_spawn_with(backend, |_| {}).await
    }

    pub async fn try_spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let tempdir = tempfile::tempdir().expect("tempdir");
        let (database_url, postgres) = match backend {
            Backend::Sqlite => (sqlite_url(&tempdir.path().join("test.db")), None),
            Backend::Postgres => {
                let db = create_postgres_db().await?;
                (db.url(), Some(db))
            }
        };
        let mut config = Config::for_database(&database_url);
        config.web_dir = PathBuf::from("/nonexistent-web-dir");
        // Tests act from one address many times; the rate-limit tests lower these again.
        config.rate_limits.join_per_minute = 10_000;
        config.rate_limits.auth_per_minute = 10_000;
        config.sandbox.slot_uid_base = test_slot_uid_base();
        adjust(&mut config);
        let (base, shutdown, server) = start_server(&config).await;
        let app = TestApp {
            base,
            config,
            backend,
            database_url,
            shutdown: Some(shutdown),
            server: Some(server),
            _tempdir: tempdir,
            _postgres: postgres,
        };
        app.wait_until_ready().await;
        Some(app)
    }

    async fn wait_until_ready(&self) {
        let client = Client::new();
        for _ in 0..200 {
            if let Ok(response) = client.get(self.url("/api/health")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the server did not become healthy");
    }

    /// Stops the server and starts it again on the same database (a restart), with the
    /// configuration changed by `adjust`.
    pub async fn restart_with(mut self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let _ = self.shutdown.take().expect("running").send(());
        self.server.take().expect("running").await.expect("server task").expect("clean exit");
        adjust(&mut self.config);
        let (base, shutdown, server) = start_server(&self.config).await;
        self.base = base;
        self.shutdown = Some(shutdown);
        self.server = Some(server);
        self.wait_until_ready().await;
        self
    }

    /// Stops accepting, drains, and returns the server task's result.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        let _ = self.shutdown.take().expect("running").send(());
        self.server.take().expect("running").await.expect("server task")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Number of rows in `table`, read straight from the database.
    pub async fn row_count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database_url).await.expect("sqlite");
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(&pool).await.expect("count")
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url).await.expect("postgres");
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(&pool).await.expect("count")
            }
        }
    }

    /// Runs `sql` straight on the app's database, as another process would.
    #[allow(dead_code)] // used by the attack suite, which shares this file
    pub async fn execute(&self, sql: &'static str) {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database_url).await.expect("sqlite");
                sqlx::query(sql).execute(&pool).await.expect("execute");
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url).await.expect("postgres");
                sqlx::query(sql).execute(&pool).await.expect("execute");
            }
        }
    }

    /// A browser-like client with its own cookie jar.
    pub fn browser(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("client")
    }

    pub async fn post_json(&self, client: &Client, path: &str, body: &Value) -> Response {
        client.post(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn patch_json(&self, client: &Client, path: &str, body: &Value) -> Response {
        client.patch(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn put_json(&self, client: &Client, path: &str, body: &Value) -> Response {
        client.put(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn delete(&self, client: &Client, path: &str) -> Response {
        client.delete(self.url(path)).send().await.expect("request")
    }

    pub async fn register(&self, client: &Client, email: &str, name: &str, password: &str) -> Response {
        self.post_json(client, "/api/auth/register", &json!({"email": email, "name": name, "password": password})).await
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.post_json(client, "/api/auth/login", &json!({"email": email, "password": password})).await
    }

    /// Registers a new account and returns a signed-in browser for it.
    pub async fn signed_in(&self, email: &str, name: &str) -> Client {
        let client = self.browser();
        let response = self.register(&client, email, name, "correct horse battery").await;
        assert_eq!(response.status(), StatusCode::CREATED, "registering {email}");
        client
    }

    /// The id of the first workspace `client` belongs to (a new account's personal one).
    pub async fn workspace_of(&self, client: &Client) -> String {
        let response = self.get(client, "/api/workspaces").await;
        assert_eq!(response.status(), StatusCode::OK, "listing workspaces");
        let body: Value = response.json().await.expect("json");
        body["workspaces"][0]["id"].as_str().expect("a workspace").to_owned()
    }

    /// Invites the account behind `member` into `owner`'s first workspace with `role` and
    /// accepts the invite as them; returns the workspace id.
    pub async fn join_workspace(&self, owner: &Client, member: &Client, role: &str) -> String {
        let workspace = self.workspace_of(owner).await;
        let me: Value = self.get(member, "/api/auth/me").await.json().await.expect("json");
        let email = me["user"]["email"].as_str().expect("a signed-in member");
        let invited = self
            .post_json(owner, &format!("/api/workspaces/{workspace}/invites"), &json!({"email": email, "role": role}))
            .await;
        assert_eq!(invited.status(), StatusCode::CREATED, "inviting {email}");
        let invited: Value = invited.json().await.expect("json");
        let token = invited["invite_url"].as_str().expect("invite_url").rsplit('/').next().expect("token").to_owned();
        let accepted = self.post_json(member, &format!("/api/workspace-invites/{token}/accept"), &json!({})).await;
        assert_eq!(accepted.status(), StatusCode::OK, "{email} accepting");
        workspace
    }

    /// A new personal API token of the signed-in user.
    pub async fn token(&self, signed_in: &Client) -> String {
        let response = self.post_json(signed_in, "/api/auth/tokens", &json!({"name": "ci"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_owned()
    }

    /// A client that authenticates with a personal API token instead of a cookie.
    pub async fn token_client(&self, signed_in: &Client) -> Client {
        let token = self.token(signed_in).await;
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_str(&format!("Bearer {token}")).expect("header"));
        Client::builder().default_headers(headers).build().expect("client")
    }

    /// Sends a raw body with a content type, for malformed-input tests.
    pub async fn post_raw(
        &self,
        client: &Client,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        client.post(self.url(path)).header(CONTENT_TYPE, content_type).body(body).send().await.expect("request")
    }

    /// Sends only the head of a JSON `POST` announcing a body of `length` bytes (with `cookie`,
    /// a `name=value` pair, if given) and returns the raw answer. A body over the limit is
    /// refused from its headers, and a client still writing it may see the connection close
    /// instead of the answer: so the body never follows.
    pub async fn post_head_only(&self, path: &str, length: usize, cookie: Option<&str>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
        let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\n{cookie}Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("write the head");
        // The server closes the connection after its answer: read up to there.
        let mut answer = Vec::new();
        let mut limited = (&mut stream).take(64 * 1024);
        tokio::time::timeout(std::time::Duration::from_secs(10), limited.read_to_end(&mut answer))
            .await
            .expect("answered and closed before the body")
            .expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    }
}

type ServerTask = tokio::task::JoinHandle<anyhow::Result<()>>;

async fn start_server(config: &Config) -> (String, oneshot::Sender<()>, ServerTask) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(codeview::serve(listener, config.clone(), async {
        let _ = rx.await;
    }));
    (base, tx, server)
}

/// The database URL of the SQLite file at `path`, as the server is given it.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}", path.display())
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    format!("{prefix}/{name}{query}")
}

/// Asserts the contract's error body and status; returns the body.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    let body: Value = response.json().await.expect("JSON error body");
    assert_eq!(body["error"]["code"], code, "error code in {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "message in {body}");
    body
}

/// A WebSocket to the test server (room events or a document).
pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next JSON event on a room socket (pings, `presence` and `call_state` events skipped:
/// who comes and goes is `next_presence`'s, who is in the video call `next_call_event`'s);
/// 30 s at most.
pub async fn next_event(socket: &mut Socket) -> Value {
    loop {
        let event = next_event_of_any_type(socket).await;
        if event["type"] != "presence" && event["type"] != "call_state" {
            return event;
        }
    }
}

/// The next event of the video call (`call_…`) on a room socket, other events skipped; 30 s at most.
pub async fn next_call_event(socket: &mut Socket) -> Value {
    loop {
        let event = next_event_of_any_type(socket).await;
        if event["type"].as_str().is_some_and(|t| t.starts_with("call_")) {
            return event;
        }
    }
}

/// The next `presence` event on a room socket, other events skipped; 30 s at most.
pub async fn next_presence(socket: &mut Socket) -> Value {
    loop {
        let event = next_event_of_any_type(socket).await;
        if event["type"] == "presence" {
            return event;
        }
    }
}

/// The next JSON event on a room socket (pings skipped); 30 s at most (pings do not extend it).
pub async fn next_event_of_any_type(socket: &mut Socket) -> Value {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("an event in time")
            .expect("open socket")
            .expect("frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("JSON event");
        }
    }
}

/// The run once finished (long-polled), as `client` sees it.
pub async fn wait_run(app: &TestApp, client: &Client, run: &str) -> Value {
    let body: Value = app.get(client, &format!("/api/runs/{run}?wait=30")).await.json().await.unwrap();
    body["run"].clone()
}

/// Writes `text` into the interview's document `doc` (`code` or `notes`) as `token`'s owner,
/// and returns once the server has applied it (it answers a sync sent after the update).
pub async fn write_document(app: &TestApp, token: &str, interview: &str, doc: &str, text: &str) {
    let url = format!("{}/ws/yjs/{interview}/{doc}?token={token}", app.base.replace("http://", "ws://"));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("document socket");
    use codeview_collab::yrs::sync::{Message as YMessage, SyncMessage};
    use codeview_collab::yrs::updates::decoder::Decode;
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::yrs::{Doc, ReadTxn, Text, Transact};
    use futures_util::SinkExt;

    let ydoc = Doc::new();
    let update = {
        let shared = ydoc.get_or_insert_text(doc);
        let mut txn = ydoc.transact_mut();
        shared.insert(&mut txn, 0, text);
        txn.encode_update_v1()
    };
    socket.send(Message::binary(YMessage::Sync(SyncMessage::Update(update)).encode_v1())).await.expect("update");
    let state_vector = ydoc.transact().state_vector();
    let step1 = YMessage::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
    socket.send(Message::binary(step1)).await.expect("sync step 1");
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(Ok(frame)) = socket.next().await {
            if let Message::Binary(bytes) = frame
                && let Ok(YMessage::Sync(SyncMessage::SyncStep2(_))) = YMessage::decode_v1(&bytes)
            {
                return;
            }
        }
        panic!("the document socket closed before answering");
    })
    .await
    .expect("the server answers the sync");
    let _ = socket.close(None).await;
}

/// Runs each listed test against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::helpers::TestApp::try_spawn($crate::helpers::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::helpers::TestApp::try_spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}
