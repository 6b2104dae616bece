//! The initial-sync scenario: one writer uploads a large document built from many small
//! edits, then joiners connect one after another and each measures the time from sending its
//! SyncStep1 to holding the server's SyncStep2 (decoded and applied) — the wait a new
//! participant has before seeing the code.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::Socket;
use crate::replica::Replica;

/// Upload a document of `bytes` characters to `url`, then time `joiners` sequential joins.
pub async fn run(url: &str, bytes: usize, joiners: usize) -> Result<Value> {
    let writer = Replica::default();
    // Built before connecting: it takes a while, and a server may drop a socket that long silent.
    let upload = writer.build_large_doc(bytes, &mut rand::rng());
    let upload_bytes = upload.len();
    let mut writer_socket = crate::rooms::connect(url).await?;
    writer_socket.send(WsMessage::binary(writer.sync_step1())).await?;
    wait_for_step2(&mut writer_socket, &writer).await?;
    writer_socket.send(WsMessage::binary(upload)).await?;
    let expected = writer.text_len();
    eprintln!("uploaded {expected} chars in a {upload_bytes}-byte update");

    let mut times_ms = Vec::new();
    let mut step2_bytes = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while times_ms.len() < joiners {
        let joiner = Replica::default();
        let mut socket = crate::rooms::connect(url).await?;
        let started = Instant::now();
        socket.send(WsMessage::binary(joiner.sync_step1())).await?;
        let received = wait_for_step2(&mut socket, &joiner).await?;
        let elapsed = started.elapsed();
        let _ = socket.close(None).await;
        if joiner.text_len() != expected {
            // The server has not applied the upload yet; the writer keeps its socket open.
            if Instant::now() > deadline {
                bail!("joiners never received the uploaded document");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        if joiner.text() != writer.text() {
            bail!("a joiner's text differs from the writer's");
        }
        step2_bytes = received;
        times_ms.push(elapsed.as_secs_f64() * 1000.0);
    }
    let first = times_ms[0];
    let mut sorted = times_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let max = sorted[sorted.len() - 1];
    eprintln!(
        "initial sync of {expected} chars ({step2_bytes} bytes): first {first:.2} ms, median {median:.2} ms, max {max:.2} ms"
    );
    Ok(json!({
        "mode": "initial-sync",
        "doc_chars": expected,
        "step2_bytes": step2_bytes,
        "joiners": joiners,
        "first_ms": first,
        "median_ms": median,
        "max_ms": max,
    }))
}

/// Reads frames until the server's SyncStep2 has been applied, answering its SyncStep1 on
/// the way; returns the size of the frame that carried the SyncStep2.
async fn wait_for_step2(socket: &mut Socket, replica: &Replica) -> Result<usize> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no SyncStep2 within 30 s")?
            .context("socket closed before SyncStep2")??;
        let WsMessage::Binary(bytes) = frame else { continue };
        let handled = replica.handle(&bytes)?;
        if let Some(reply) = handled.reply {
            socket.send(WsMessage::binary(reply)).await?;
        }
        if handled.got_step2 {
            return Ok(bytes.len());
        }
    }
}
