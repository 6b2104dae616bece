//! Replay fidelity (issue 19's acceptance test): a seeded randomized session on the real
//! `codeview` binary — three authors (host, co-interviewer, candidate) typing and deleting in
//! the active question's text, one of them now and then offline with edits that merge when it
//! comes back, language switches (`meta.language`), question switches (the interviewers'
//! control), and the server killed (SIGKILL) halfway and started again on the same database —
//! with the text sampled from a live client at 100 instants. At each instant all clients have
//! converged (everything they sent is stored and every online client has it), and
//! `history?at=` must give exactly the sampled text and language, on both backends.
//!
//! The seed is printed; `CODEVIEW_FIDELITY_SEED=N` replays a session.

use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use chrono::{DateTime, Utc};
use codeview_collab::yrs::{Text, WriteTxn};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{create_postgres_db, sqlite_url, test_slot_uid_base};
use crate::history::{instant, rfc3339};
use crate::history_peer::{Credential, HistoryPeer, set_language};

const SAMPLES: usize = 100;
/// The sample after which the server is killed.
const KILL_AFTER: usize = 50;
const LANGUAGES: [&str; 4] = ["python", "go", "javascript", "rust"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_is_exact_at_every_sampled_instant_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    fidelity(&sqlite_url(&dir.path().join("fidelity.db"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_is_exact_at_every_sampled_instant_on_postgres() {
    let Some(db) = create_postgres_db().await else { return };
    fidelity(&db.url()).await;
}

/// The real binary serving `database_url`, killed when dropped.
struct Server {
    child: tokio::process::Child,
    base: String,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        // The port is free when probed; the binary binds it a moment later.
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).unwrap();
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", &addr.to_string(), "--database-url", database_url])
            .args(["--web-dir", "/nonexistent-web-dir", "--run-workers", "0"])
            .env("CODEVIEW_SLOT_UID_BASE", (test_slot_uid_base() + 4000).to_string())
            .env("CODEVIEW_AUTH_PER_MINUTE", "10000")
            .env("CODEVIEW_JOIN_PER_MINUTE", "10000")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview");
        let server = Server { child, base: format!("http://{addr}") };
        for _ in 0..400 {
            if let Ok(response) = Client::new().get(format!("{}/api/health", server.base)).send().await
                && response.status() == StatusCode::OK
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("codeview did not become healthy on {addr}");
    }

    /// SIGKILL: no shutdown, no last snapshot.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, client: &Client, method: reqwest::Method, path: &str, body: Value) -> Value {
        let response = client.request(method.clone(), self.url(path)).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "{method} {path}: {}", response.status());
        response.json().await.unwrap_or(Value::Null)
    }
}

/// A deterministic stream of numbers (xorshift).
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The interview, its two questions and the three authors' credentials.
struct Session {
    interview: String,
    questions: [String; 2],
    host: Client,
    peers: Vec<HistoryPeer>,
}

/// Registers the host and the co-interviewer, writes two questions, creates the interview with
/// them, lets the candidate join, and starts it (the starter code is seeded).
async fn set_up(server: &Server) -> Session {
    let browser = || Client::builder().cookie_store(true).build().unwrap();
    let (host, co) = (browser(), browser());
    for (client, email) in [(&host, "host@example.com"), (&co, "co@example.com")] {
        let body = json!({"email": email, "name": email, "password": "correct horse battery"});
        server.send(client, reqwest::Method::POST, "/api/auth/register", body).await;
    }
    let workspaces = server.send(&host, reqwest::Method::GET, "/api/workspaces", Value::Null).await;
    let workspace = workspaces["workspaces"][0]["id"].as_str().unwrap().to_owned();
    let invite = json!({"email": "co@example.com", "role": "member"});
    let invited =
        server.send(&host, reqwest::Method::POST, &format!("/api/workspaces/{workspace}/invites"), invite).await;
    let token = invited["invite_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    server.send(&co, reqwest::Method::POST, &format!("/api/workspace-invites/{token}/accept"), json!({})).await;
    let mut questions = Vec::new();
    for title in ["First", "Second"] {
        let body = json!({"title": title, "prompt": "Write it.", "difficulty": "easy", "category": "basics",
            "tags": [], "starter_code": {"python": format!("# {title}\n")},
            "test_cases": [{"input": "", "expected_output": "1\n", "hidden": false}]});
        let created = server.send(&host, reqwest::Method::POST, "/api/questions", body).await;
        questions.push(created["question"]["id"].as_str().unwrap().to_owned());
    }
    let body = json!({"title": "Fidelity", "language": "python", "question_ids": questions});
    let created = server.send(&host, reqwest::Method::POST, "/api/interviews", body).await;
    let interview = created["interview"]["id"].as_str().unwrap().to_owned();
    let invite_url = created["candidate_invite_url"].as_str().unwrap();
    let (code, secret) = crate::fixtures::parse_invite_url(invite_url);
    let add = json!({"email": "co@example.com", "role": "interviewer"});
    server.send(&host, reqwest::Method::POST, &format!("/api/interviews/{interview}/participants"), add).await;
    let joined = Client::new()
        .post(server.url(&format!("/api/interviews/room/{code}/join")))
        .json(&json!({"name": "Cara Candidate", "invite": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), StatusCode::OK);
    let cookie = joined.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut tokens = Vec::new();
    for client in [&host, &co] {
        let created = server.send(client, reqwest::Method::POST, "/api/auth/tokens", json!({"name": "peer"})).await;
        tokens.push(created["token"].as_str().unwrap().to_owned());
    }
    server.send(&host, reqwest::Method::POST, &format!("/api/interviews/{interview}/start"), json!({})).await;
    let peers = vec![
        HistoryPeer::new(&interview, Credential::Token(tokens[0].clone())),
        HistoryPeer::new(&interview, Credential::Token(tokens[1].clone())),
        HistoryPeer::new(&interview, Credential::Cookie(cookie)),
    ];
    Session { interview, questions: [questions[0].clone(), questions[1].clone()], host, peers }
}

/// The Y.Text of question `index`: `code` for the first, `code:{id}` for the other.
fn text_name(session: &Session, index: usize) -> String {
    if index == 0 { "code".to_owned() } else { format!("code:{}", session.questions[index]) }
}

/// A random edit of the Y.Text `name`: an insertion of 1–4 characters, or a deletion of 1–3.
async fn random_edit(peer: &mut HistoryPeer, name: &str, dice: &mut Dice) {
    let (roll, position, chars) = (dice.below(10), dice.below(1 << 16), dice.below(1 << 16));
    peer.edit(|_, txn| {
        let text = txn.get_or_insert_text(name);
        let len = text.len(txn) as usize;
        if len > 0 && roll < 3 {
            let start = position % len;
            let count = (1 + chars % 3).min(len - start);
            text.remove_range(txn, start as u32, count as u32);
        } else {
            const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz (){};=\n";
            let inserted: String =
                (0..1 + chars % 4).map(|i| char::from(ALPHABET[(chars / 4 + i * 7) % ALPHABET.len()])).collect();
            text.insert(txn, (position % (len + 1)) as u32, &inserted);
        }
    })
    .await;
}

/// What a live client showed at an instant.
struct Sample {
    at: DateTime<Utc>,
    question: usize,
    text: String,
    language: Option<String>,
}

/// Every online peer syncs twice (all they sent is then stored, and each has all of it); they
/// must agree. Returns the first online peer's view of question `question`.
async fn quiesce(session: &mut Session, question: usize) -> (String, Option<String>) {
    let name = text_name(session, question);
    for _ in 0..2 {
        for peer in session.peers.iter_mut().filter(|p| p.is_online()) {
            peer.sync().await;
        }
    }
    let online: Vec<&HistoryPeer> = session.peers.iter().filter(|p| p.is_online()).collect();
    let (text, language) = (online[0].text(&name), online[0].language());
    for (i, peer) in online.iter().enumerate() {
        assert_eq!((peer.text(&name), peer.language()), (text.clone(), language.clone()), "peer {i} diverged");
    }
    (text, language)
}

async fn fidelity(database_url: &str) {
    let seed: u64 = std::env::var("CODEVIEW_FIDELITY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    println!("replay fidelity: seed {seed} (CODEVIEW_FIDELITY_SEED={seed} replays it)");
    let mut dice = Dice(seed);
    let mut server = Server::start(database_url).await;
    let mut session = set_up(&server).await;
    for peer in &mut session.peers {
        peer.connect(&server.base).await;
    }
    let (mut question, mut offline): (usize, Option<(usize, usize)>) = (0, None);
    let mut samples = Vec::with_capacity(SAMPLES);
    for sample in 0..SAMPLES {
        if sample == KILL_AFTER {
            server.kill().await;
            for peer in &mut session.peers {
                peer.disconnect();
            }
            // Edits made while the server is down merge when it is back.
            let name = text_name(&session, question);
            for _ in 0..3 {
                let who = dice.below(3);
                random_edit(&mut session.peers[who], &name, &mut dice).await;
            }
            server = Server::start(database_url).await;
            offline = None;
            for peer in &mut session.peers {
                peer.connect(&server.base).await;
            }
        }
        match offline {
            Some((who, 0)) => {
                session.peers[who].connect(&server.base).await;
                offline = None;
            }
            Some((who, left)) => offline = Some((who, left - 1)),
            None if dice.chance(10) => {
                let who = dice.below(3);
                session.peers[who].disconnect();
                offline = Some((who, 1 + dice.below(4)));
            }
            None => {}
        }
        if dice.chance(6) {
            question = 1 - question;
            let path = format!("/api/interviews/{}/controls", session.interview);
            let active = json!({"active_question_id": session.questions[question]});
            server.send(&session.host, reqwest::Method::PATCH, &path, active).await;
        }
        if dice.chance(8) {
            let who = dice.below(3);
            let language = LANGUAGES[dice.below(LANGUAGES.len())];
            session.peers[who].edit(set_language(language)).await;
        }
        // Typing, every tenth sample a burst (enough entries for two of PostgreSQL's snapshots,
        // every 500), and a pause (SQLite's come 2 s after the first entry since the last).
        let name = text_name(&session, question);
        let edits = if sample % 10 == 5 { 100 } else { 1 + dice.below(16) };
        for _ in 0..edits {
            let who = dice.below(3);
            random_edit(&mut session.peers[who], &name, &mut dice).await;
        }
        tokio::time::sleep(Duration::from_millis(dice.below(100) as u64)).await;
        let (text, language) = quiesce(&mut session, question).await;
        samples.push(Sample { at: instant().await, question, text, language });
    }

    // Every sampled instant, as the history tells it (after the session: through every
    // compaction, the kill and the restart).
    let history = Client::new();
    let token = peer_token(&session.peers[0]);
    for (i, sample) in samples.iter().enumerate() {
        let at = if i % 2 == 0 { sample.at.timestamp_millis().to_string() } else { rfc3339(&sample.at) };
        // No `question`: the history follows the room's question changes by itself.
        let path = format!("/api/interviews/{}/history/code?at={at}", session.interview);
        let response = history.get(server.url(&path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["text"], json!(sample.text), "text at sample {i} (seed {seed})");
        assert_eq!(body["language"], json!(sample.language), "language at sample {i} (seed {seed})");
        assert_eq!(body["question_id"], json!(session.questions[sample.question]));
    }
    server.kill().await;

    // The session sealed history blocks (every 500 entries) and left entries in the log.
    let store = codeview::db::connect(database_url).await.unwrap();
    let id = session.interview.parse().unwrap();
    let stored = store.load_history(id, "code", 0).await.unwrap();
    let entries = codeview::history::load_history(&*store, id, "code", 0).await.unwrap();
    println!(
        "replay fidelity: {} entries, {} blocks, {} not in a block",
        entries.len(),
        stored.blocks.len(),
        stored.tail.len()
    );
    assert!(!stored.blocks.is_empty(), "the session sealed no history block");
}

fn peer_token(peer: &HistoryPeer) -> String {
    match peer.credential() {
        Credential::Token(token) => token.clone(),
        Credential::Cookie(_) => panic!("the host's peer has a token"),
    }
}
