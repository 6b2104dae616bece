//! Draining on SIGTERM, on the real binary: `/api/health/ready` turns 503 `"draining": true`
//! while `/api/health/live` stays 200 and the instance keeps serving its open document
//! socket; after `--drain-secs` that socket gets 1012 "server restarting" (its client
//! reconnects elsewhere) and the process exits cleanly.

use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, ReadTxn, Transact};
use futures_util::{SinkExt, StreamExt};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::{Socket, sqlite_url, test_slot_uid_base};

const DRAIN_SECS: u64 = 3;

/// `codeview serve` on a fresh SQLite database, killed when dropped.
struct Server {
    child: tokio::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        // The port is free when probed; the binary binds it a moment later.
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).unwrap();
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr.to_string(), "--database-url", &sqlite_url(&dir.path().join("cv.db"))])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .args(["--drain-secs", &DRAIN_SECS.to_string()])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 4100).to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview");
        let server = Server { child, base: format!("http://{addr}"), _dir: dir };
        for _ in 0..400 {
            if server.status("/api/health/ready").await == Some(StatusCode::OK) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("codeview did not become ready on {addr}");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn status(&self, path: &str) -> Option<StatusCode> {
        Client::new().get(self.url(path)).send().await.ok().map(|r| r.status())
    }

    async fn post(&self, client: &Client, path: &str, body: Value) -> Value {
        let response = client.post(self.url(path)).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "POST {path}: {}", response.status());
        response.json().await.unwrap()
    }

    fn terminate(&self) {
        crate::helpers::terminate(&self.child);
    }
}

/// A host's API token and a started interview of theirs.
async fn host_and_interview(server: &Server) -> (String, String) {
    let host = Client::builder().cookie_store(true).build().unwrap();
    let account = json!({"email": "host@example.com", "name": "Host", "password": "correct horse battery"});
    server.post(&host, "/api/auth/register", account).await;
    let token =
        server.post(&host, "/api/auth/tokens", json!({"name": "drain"})).await["token"].as_str().unwrap().to_owned();
    let created = server.post(&host, "/api/interviews", json!({"title": "Draining"})).await;
    let interview = created["interview"]["id"].as_str().unwrap().to_owned();
    server.post(&host, &format!("/api/interviews/{interview}/start"), json!({})).await;
    (token, interview)
}

/// Sends SyncStep1 and waits for the server's SyncStep2: the socket is served.
async fn synced(socket: &mut Socket) {
    let step1 = Message::Sync(SyncMessage::SyncStep1(Doc::new().transact().state_vector())).encode_v1();
    socket.send(WsMessage::binary(step1)).await.expect("sending SyncStep1");
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await.expect("an answer to SyncStep1") {
            Some(Ok(WsMessage::Binary(frame))) => {
                if let Ok(Message::Sync(SyncMessage::SyncStep2(_))) = Message::decode_v1(&frame) {
                    return;
                }
            }
            Some(Ok(WsMessage::Close(frame))) => panic!("closed instead of answering: {frame:?}"),
            Some(Ok(_)) => {}
            other => panic!("the document socket failed: {other:?}"),
        }
    }
}

/// The close frame the server ends `socket` with.
async fn close_frame(socket: &mut Socket) -> (CloseCode, String) {
    let wait = Duration::from_secs(DRAIN_SECS + 15);
    loop {
        match tokio::time::timeout(wait, socket.next()).await.expect("the socket closes after the drain") {
            Some(Ok(WsMessage::Close(Some(frame)))) => return (frame.code, frame.reason.to_string()),
            Some(Ok(WsMessage::Close(None))) => panic!("closed without a code"),
            Some(Ok(_)) => {}
            other => panic!("the document socket ended without a close frame: {other:?}"),
        }
    }
}

#[tokio::test]
async fn sigterm_turns_ready_to_draining_then_closes_sockets_with_1012_and_exits() {
    let mut server = Server::start().await;
    let (token, interview) = host_and_interview(&server).await;
    let url = format!("{}/ws/yjs/{interview}/code?token={token}", server.base.replace("http://", "ws://"));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("document socket");
    synced(&mut socket).await;

    let terminated = Instant::now();
    server.terminate();
    let ready = loop {
        let response = Client::new().get(server.url("/api/health/ready")).send().await.expect("still answering");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response.json::<Value>().await.unwrap();
        }
        assert_eq!(response.status(), StatusCode::OK);
        assert!(terminated.elapsed() < Duration::from_secs(DRAIN_SECS), "ready never turned 503");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!((ready["ready"].as_bool(), ready["draining"].as_bool()), (Some(false), Some(true)), "{ready}");
    assert_eq!(ready["db"], "ok", "{ready}");
    assert_eq!(server.status("/api/health/live").await, Some(StatusCode::OK), "live while draining");
    assert_eq!(server.status("/api/health").await, Some(StatusCode::OK), "/api/health unchanged while draining");
    // Still serving what reaches it: the open socket answers.
    synced(&mut socket).await;

    let (code, reason) = close_frame(&mut socket).await;
    let closed_after = terminated.elapsed();
    assert_eq!((code, reason.as_str()), (CloseCode::Restart, "server restarting"));
    assert!(
        closed_after >= Duration::from_secs(DRAIN_SECS) - Duration::from_millis(500),
        "closed after {closed_after:?}"
    );
    eprintln!("socket closed with 1012 {closed_after:?} after SIGTERM (--drain-secs {DRAIN_SECS})");

    let exit = tokio::time::timeout(Duration::from_secs(20), server.child.wait()).await.expect("exits").unwrap();
    assert!(exit.success(), "exit status after SIGTERM: {exit:?}");
    assert!(server.status("/api/health/live").await.is_none(), "still listening after exit");
}
