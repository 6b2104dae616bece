//! The interactive terminal's time to first echo (CodeView only, issue 20): in a live
//! interview, the candidate's room socket (A) runs a program in raw mode that writes back each
//! byte it reads, then sends keystrokes one at a time; each is timed from A's send until the
//! interviewer's socket (B) receives the `terminal_output` holding it — the room socket, the
//! session, the pseudo-terminal, the sandboxed program, the output coalescing and the room
//! fan-out, end to end.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::Socket;
use crate::replica::Replica;
use crate::rooms::Rooms;

/// The program: unbuffered byte-for-byte echo, after a first line saying it is ready.
const ECHO: &str = "import os\nos.write(1, b\"ready\\n\")\nwhile True:\n    b = os.read(0, 64)\n    if not b:\n        break\n    os.write(1, b)\n";
/// Pause between keystrokes: ~30 a second, under the server's 40 messages a second.
const PAUSE: Duration = Duration::from_millis(30);

pub async fn run(base: &str, rooms: &Rooms, keystrokes: usize) -> Result<Value> {
    let interview = rooms.names.first().context("no interview")?;
    let token = rooms.token.as_deref().context("the terminal echo needs --setup")?;
    let http = reqwest::Client::new();
    let ws_base = base.replacen("http", "ws", 1);

    // The candidate joins with the invite link, the host starts the interview and writes the code.
    let details: Value =
        http.get(format!("{base}/api/interviews/{interview}")).bearer_auth(token).send().await?.json().await?;
    let invite_url = details["candidate_invite_url"].as_str().context("no invite link")?;
    let rest = invite_url.split("/join/").nth(1).context("an invite link has /join/")?;
    let (code, invite) = rest.split_once("?invite=").context("an invite link has ?invite=")?;
    let joined = http
        .post(format!("{base}/api/interviews/room/{code}/join"))
        .json(&json!({"name": "Bench Candidate", "invite": invite}))
        .send()
        .await?;
    if !joined.status().is_success() {
        bail!("join: {} {}", joined.status(), joined.text().await.unwrap_or_default());
    }
    let cookie = joined.headers().get("set-cookie").context("no session cookie")?.to_str()?;
    let cookie = cookie.split(';').next().unwrap_or_default().to_owned();
    let started = http.post(format!("{base}/api/interviews/{interview}/start")).bearer_auth(token).send().await?;
    if !started.status().is_success() {
        bail!("start the interview: {}", started.status());
    }
    write_code(&format!("{ws_base}/ws/yjs/{interview}/code?token={token}"), ECHO).await?;

    let mut request = format!("{ws_base}/ws/rooms/{interview}").into_client_request()?;
    request.headers_mut().insert(COOKIE, cookie.parse()?);
    let (mut a, _) = tokio_tungstenite::connect_async(request).await.context("the candidate's room socket")?;
    let mut b = crate::rooms::connect(&format!("{ws_base}/ws/rooms/{interview}?token={token}")).await?;
    send(&mut a, json!({"type": "terminal_start", "v": 1, "mode": "raw"})).await?;
    let started = next_of(&mut a, "terminal_started").await?;
    let session = started["session_id"].as_str().context("no session id")?.to_owned();
    let mut shown = String::new();
    while !shown.contains("ready") {
        shown.push_str(next_of(&mut b, "terminal_output").await?["data"].as_str().unwrap_or_default());
    }

    let mut times_ms = Vec::with_capacity(keystrokes);
    for i in 0..keystrokes {
        let key = char::from(b'a' + (i % 26) as u8).to_string();
        let sent = Instant::now();
        send(&mut a, json!({"type": "terminal_input", "v": 1, "session_id": session, "data": key})).await?;
        loop {
            let output = next_of(&mut b, "terminal_output").await?;
            if output["data"].as_str().is_some_and(|d| d.contains(&key)) {
                break;
            }
        }
        times_ms.push(sent.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(PAUSE).await;
    }
    send(&mut a, json!({"type": "terminal_stop", "v": 1, "session_id": session})).await?;
    next_of(&mut b, "terminal_ended").await?;

    times_ms.sort_by(f64::total_cmp);
    let at = |q: f64| times_ms[((times_ms.len() - 1) as f64 * q).round() as usize];
    let (p50, p95, p99, max) = (at(0.5), at(0.95), at(0.99), at(1.0));
    eprintln!(
        "terminal echo (raw mode, socket A keystroke → socket B output): p50 {p50:.1} ms, p95 {p95:.1}, p99 {p99:.1}, max {max:.1}, {keystrokes} keystrokes"
    );
    Ok(json!({
        "mode": "terminal-echo",
        "keystrokes": keystrokes,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "max_ms": max,
    }))
}

/// Replaces the (empty) shared code with `code` through the y-websocket protocol.
async fn write_code(url: &str, code: &str) -> Result<()> {
    let mut socket = crate::rooms::connect(url).await?;
    let mut replica = Replica::default();
    socket.send(WsMessage::binary(replica.sync_step1())).await?;
    loop {
        let frame = match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(WsMessage::Binary(frame)))) => frame,
            Ok(Some(Ok(_))) => continue,
            other => bail!("the document socket: {other:?}"),
        };
        let handled = replica.handle(&frame)?;
        if let Some(reply) = handled.reply {
            socket.send(WsMessage::binary(reply)).await?;
        }
        if handled.got_step2 {
            break;
        }
    }
    if replica.text_len() > 0 {
        bail!("the interview's code is not empty");
    }
    socket.send(WsMessage::binary(replica.append(code))).await?;
    // A second handshake: the server answers it after applying the update.
    socket.send(WsMessage::binary(replica.sync_step1())).await?;
    loop {
        let frame = match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(WsMessage::Binary(frame)))) => frame,
            Ok(Some(Ok(_))) => continue,
            other => bail!("the document socket: {other:?}"),
        };
        if replica.handle(&frame)?.got_step2 {
            return Ok(());
        }
    }
}

async fn send(socket: &mut Socket, message: Value) -> Result<()> {
    socket.send(WsMessage::text(message.to_string())).await?;
    Ok(())
}

/// The next event of type `kind` (others skipped; a `terminal_error` fails).
async fn next_of(socket: &mut Socket, kind: &str) -> Result<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .with_context(|| format!("no {kind} within 30 s"))?
            .context("room socket closed")??;
        if let WsMessage::Text(text) = message {
            let event: Value = serde_json::from_str(&text)?;
            if event["type"] == "terminal_error" {
                bail!("refused: {event}");
            }
            if event["type"] == kind {
                return Ok(event);
            }
        }
    }
}
