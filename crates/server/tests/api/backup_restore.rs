//! Backup and restore as `docs/operations.md` tells them, for real, on both backends: a
//! server with a live interview, a typed document (with its history) and a finished run is
//! backed up while it runs (PostgreSQL: `pg_dump -Fc`; SQLite: the `sqlite3` shell's
//! `.backup`), the backup is restored into a NEW database (`pg_restore` into a fresh one; the
//! backup file itself for SQLite), and a server started on it serves the old interview, its
//! document's text and the run, and replays the document's history (`history/code?at=`).
//! What was typed after the backup is not in it.

use std::path::Path;
use std::process::Command;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::doc_peer::DocPeer;
use crate::fixtures::Cast;
use crate::helpers::{Backend, TestApp, create_postgres_db, sqlite_url, wait_run};
use crate::history::{history_at, instant, rfc3339};
use crate::runs::{body_for, queue_run};

crate::on_both_backends!(a_backup_taken_while_serving_restores_into_a_new_database_that_serves_and_replays);

/// What the original server held when it was backed up.
struct Before {
    interview: String,
    title: String,
    /// The host's API token.
    token: String,
    run: String,
    /// The text at an instant early in the session, and that instant.
    early: (String, String),
    /// The text when the backup was taken.
    at_backup: String,
}

async fn a_backup_taken_while_serving_restores_into_a_new_database_that_serves_and_replays(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = cast.interview(true).await;
    let token = app.token(&cast.host).await;
    let host = bearer_client(&token);
    let mut peer = DocPeer::open(app, &interview.id, &token).await;
    peer.append("code", "def first():\n    return 1\n").await;
    let early_at = instant().await;
    let early = peer.text("code");
    peer.append("code", "def second():\n    return 2\n").await;
    let run = queue_run(app, &host, &interview.id, body_for("print('kept in the backup')")).await;
    let finished = wait_run(app, &host, &run).await;
    assert_eq!(finished["status"], "finished", "{finished}");
    let detail: Value = app.get(&host, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    let before = Before {
        interview: interview.id.clone(),
        title: detail["interview"]["title"].as_str().expect("a title").to_owned(),
        token: token.clone(),
        run,
        early: (early, rfc3339(&early_at)),
        at_backup: peer.text("code"),
    };

    let dir = tempfile::tempdir().unwrap();
    // The restored database: a new PostgreSQL database (dropped with `_restored`), or the
    // SQLite backup file itself.
    let (restored_url, _restored) = match app.backend {
        Backend::Postgres => {
            let dump = dir.path().join("codeview.dump");
            run_tool(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", path(&dump), "--dbname", &app.database_url],
            );
            peer.append("code", "# typed after the backup\n").await;
            let restored = create_postgres_db().await.expect("PostgreSQL answered a moment ago");
            run_tool("pg_restore", &["--no-owner", "--exit-on-error", "--dbname", &restored.url(), path(&dump)]);
            (restored.url(), Some(restored))
        }
        Backend::Sqlite => {
            let live = app.database_url.strip_prefix("sqlite://").expect("an sqlite:// URL");
            let backup = dir.path().join("restored.db");
            run_tool("sqlite3", &[live, &format!(".backup '{}'", path(&backup))]);
            peer.append("code", "# typed after the backup\n").await;
            (sqlite_url(&backup), None)
        }
    };
    check_restored(&restored_url, &before).await;
}

/// A server on the restored database serves and replays what was backed up, and nothing after.
async fn check_restored(restored_url: &str, before: &Before) {
    // A server of its own on the restored database (the backend only decides where the
    // throwaway database it does not use would go).
    let restored = TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.database.database_url = restored_url.to_owned();
        config.run_workers = 0;
    })
    .await
    .expect("a server on the restored database");
    // The host's API token was minted before the backup: it is in the restored database.
    let token = &before.token;
    let host = bearer_client(token);

    let detail = restored.get(&host, &format!("/api/interviews/{}", before.interview)).await;
    assert_eq!(detail.status(), StatusCode::OK, "the old interview is served");
    let detail: Value = detail.json().await.unwrap();
    assert_eq!(detail["interview"]["title"], json!(before.title));

    let peer = DocPeer::open(&restored, &before.interview, token).await;
    assert_eq!(peer.text("code"), before.at_backup, "the document as it was at the backup");

    let (early, early_at) = &before.early;
    let replayed = history_at(&restored, &host, &before.interview, "code", early_at).await;
    assert_eq!(replayed["text"], json!(early), "the history replays the early text");

    let run = wait_run(&restored, &host, &before.run).await;
    assert_eq!((run["status"].as_str(), run["stdout"].as_str()), (Some("finished"), Some("kept in the backup\n")));
}

/// A client that authenticates with the API token `token`.
fn bearer_client(token: &str) -> Client {
    let bearer = format!("Bearer {token}").parse().expect("a header value");
    Client::builder().default_headers([(reqwest::header::AUTHORIZATION, bearer)].into_iter().collect()).build().unwrap()
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Runs a backup tool; its absence or failure fails the test (no silent skip).
fn run_tool(tool: &str, args: &[&str]) {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|err| panic!("{tool} could not start: {err}"));
    assert!(output.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}
