//! The real `codeview` binary as a child process on a fresh SQLite database, so that the
//! memory an attack costs is the server's own resident set (`VmRSS` in `/proc/<pid>/status`),
//! plus the accounts, tokens and interview the document attacks act through.

use std::net::{SocketAddr, TcpListener};
use std::process::Stdio;
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::test_slot_uid_base;

const PASSWORD: &str = "correct horse battery staple";
/// How long the binary may take to answer `/api/health`.
const START_TIMEOUT: Duration = Duration::from_secs(20);

pub struct ServerProcess {
    child: tokio::process::Child,
    pub addr: SocketAddr,
    pub http: Client,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the binary with the environment `env` on top of the test defaults.
    pub async fn start(env: &[(&str, &str)]) -> ServerProcess {
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = format!("sqlite://{}", dir.path().join("doc-memory.db").display());
        // The port is free when probed; the binary binds it a moment later.
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr.to_string(), "--database-url", &database_url])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 3000).to_string())
            .env("CODEVIEW_AUTH_PER_MINUTE", "10000")
            .env("CODEVIEW_JOIN_PER_MINUTE", "10000")
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview");
        let server = ServerProcess { child, addr, http: Client::new(), _dir: dir };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&self) {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(response) = self.http.get(self.url("/api/health")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("codeview did not become healthy on {}", self.addr);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("the server is running")
    }

    /// An account with a personal API token (sockets take it as `?token=`).
    pub async fn user_token(&self, email: &str, name: &str) -> String {
        let client = Client::builder().cookie_store(true).build().expect("client");
        let body = json!({"email": email, "name": name, "password": PASSWORD});
        let registered = client.post(self.url("/api/auth/register")).json(&body).send().await.expect("register");
        assert_eq!(registered.status(), StatusCode::CREATED, "registering {email}");
        let created = client.post(self.url("/api/auth/tokens")).json(&json!({"name": "attack"})).send().await;
        let created: Value = created.expect("token").json().await.expect("token body");
        created["token"].as_str().expect("a token").to_owned()
    }

    /// Makes the account of `member_token` (registered with `email`) a member of the first
    /// workspace of `owner_token`'s account, through an invite.
    pub async fn join_workspace(&self, owner_token: &str, member_token: &str, email: &str) {
        let listed = self.http.get(self.url("/api/workspaces")).bearer_auth(owner_token).send().await.expect("list");
        let listed: Value = listed.json().await.expect("workspaces");
        let workspace = listed["workspaces"][0]["id"].as_str().expect("a workspace").to_owned();
        let invited = self
            .http
            .post(self.url(&format!("/api/workspaces/{workspace}/invites")))
            .bearer_auth(owner_token)
            .json(&json!({"email": email, "role": "member"}))
            .send()
            .await
            .expect("invite");
        assert_eq!(invited.status(), StatusCode::CREATED, "inviting {email}");
        let invited: Value = invited.json().await.expect("invite body");
        let token = invited["invite_url"].as_str().expect("a link").rsplit('/').next().expect("a token").to_owned();
        let accepted = self
            .http
            .post(self.url(&format!("/api/workspace-invites/{token}/accept")))
            .bearer_auth(member_token)
            .json(&json!({}))
            .send()
            .await
            .expect("accept");
        assert_eq!(accepted.status(), StatusCode::OK, "{email} accepting");
    }

    /// An interview hosted by the owner of `host_token`, with `others` (email, role) added.
    pub async fn interview(&self, host_token: &str, others: &[(&str, &str)]) -> String {
        let created = self
            .http
            .post(self.url("/api/interviews"))
            .bearer_auth(host_token)
            .json(&json!({"title": "Large document"}))
            .send()
            .await
            .expect("create interview");
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.expect("interview body");
        let id = created["interview"]["id"].as_str().expect("an id").to_owned();
        for (email, role) in others {
            let added = self
                .http
                .post(self.url(&format!("/api/interviews/{id}/participants")))
                .bearer_auth(host_token)
                .json(&json!({"email": email, "role": role}))
                .send()
                .await
                .expect("add participant");
            assert_eq!(added.status(), StatusCode::CREATED, "adding {email}");
        }
        id
    }
}

/// The resident set of process `pid`, in bytes; `None` once it has exited.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())?;
    Some(kib * 1024)
}
