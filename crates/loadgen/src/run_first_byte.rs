//! The run-latency scenario (CodeView only, issue 5): a host asks for Python "hello world"
//! runs one after another over HTTP and times, on the room socket, the first `run_output`
//! event and the `run_finished` event of each — what a participant waits for after pressing
//! Run: HTTP, the durable queue, a worker's claim, the sandbox, and the room fan-out.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::Socket;
use crate::rooms::Rooms;

/// Runs per measurement: below the server's limit of 20 runs per participant per minute.
pub const RUNS: usize = 15;

pub async fn run(base: &str, rooms: &Rooms) -> Result<Value> {
    let interview = rooms.names.first().context("no interview")?;
    let token = rooms.token.as_deref().context("run latency needs --setup")?;
    let ws_base = base.replacen("http", "ws", 1);
    let mut socket = crate::rooms::connect(&format!("{ws_base}/ws/rooms/{interview}?token={token}")).await?;
    let hello = next_event(&mut socket).await?;
    if hello["type"] != "hello" {
        bail!("expected hello, got {hello}");
    }
    let http = reqwest::Client::new();
    let mut first_byte_ms = Vec::new();
    let mut finished_ms = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let response = http
            .post(format!("{base}/api/interviews/{interview}/runs"))
            .bearer_auth(token)
            .json(&json!({"language": "python", "code": "print('hello world')", "mode": "run"}))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("queue run: {} {}", response.status(), response.text().await.unwrap_or_default());
        }
        let body: Value = response.json().await?;
        let run_id = body["run"]["id"].as_str().context("no run id")?.to_owned();
        let mut first_output = None;
        loop {
            let event = next_event(&mut socket).await?;
            if event["run_id"] != run_id.as_str() {
                continue;
            }
            match event["type"].as_str() {
                Some("run_output") if first_output.is_none() => first_output = Some(started.elapsed()),
                Some("run_finished") => {
                    if event["status"] != "finished" {
                        bail!("run ended {event}");
                    }
                    break;
                }
                _ => {}
            }
        }
        first_byte_ms.push(first_output.context("a run finished without output")?.as_secs_f64() * 1000.0);
        finished_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p90) = percentiles(&mut first_byte_ms);
    let (done_p50, done_p90) = percentiles(&mut finished_ms);
    eprintln!(
        "python hello world over HTTP and the room socket: first output p50 {p50:.1} ms (p90 {p90:.1}), finished p50 {done_p50:.1} ms (p90 {done_p90:.1}), {RUNS} runs"
    );
    Ok(json!({
        "mode": "run-first-byte",
        "runs": RUNS,
        "first_byte_p50_ms": p50,
        "first_byte_p90_ms": p90,
        "finished_p50_ms": done_p50,
        "finished_p90_ms": done_p90,
    }))
}

/// p50 and p90 of `times` (sorted in place).
fn percentiles(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

async fn next_event(socket: &mut Socket) -> Result<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no room event within 30 s")?
            .context("room socket closed")??;
        if let WsMessage::Text(text) = message {
            return Ok(serde_json::from_str(&text)?);
        }
    }
}
