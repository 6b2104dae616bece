//! The initial-sync scenario: one writer uploads a large document built from many small
//! edits; once a joiner receives all of it (the server has stored it), joiners connect one
//! after another and each measures two times from sending its SyncStep1: until the server's SyncStep2 has arrived whole (on the wire: the server's
//! part), and until it is decoded and applied (the wait a new participant has before seeing
//! the code, which adds the client's own decode).

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

    let uploaded = Instant::now();

    // Untimed: wait until the server has stored the upload (a joiner then gets all of it). The
    // first join after an upload also waits for the room to verify the new state.
    let deadline = uploaded + Duration::from_secs(30);
    loop {
        let (joiner, ..) = join(url).await?;
        if joiner.text_len() == expected {
            break;
        }
        if Instant::now() > deadline {
            bail!("joiners never received the uploaded document");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settle_ms = uploaded.elapsed().as_secs_f64() * 1000.0;

    let mut times_ms = Vec::new();
    let mut wire_ms = Vec::new();
    let mut step2_bytes = 0;
    for _ in 0..joiners {
        let (joiner, received, wire, applied) = join(url).await?;
        if joiner.text() != writer.text() {
            bail!("a joiner's text differs from the writer's");
        }
        step2_bytes = received;
        times_ms.push(applied.as_secs_f64() * 1000.0);
        wire_ms.push(wire.as_secs_f64() * 1000.0);
    }
    let (first, median, max) = summary(&times_ms);
    let (wire_first, wire_median, wire_max) = summary(&wire_ms);
    eprintln!(
        "upload stored and verified after {settle_ms:.0} ms; initial sync of {expected} chars ({step2_bytes} bytes): on the wire first {wire_first:.2} ms, median \
         {wire_median:.2} ms, max {wire_max:.2} ms; applied first {first:.2} ms, median {median:.2} ms, max {max:.2} ms"
    );
    Ok(json!({
        "mode": "initial-sync",
        "doc_chars": expected,
        "step2_bytes": step2_bytes,
        "joiners": joiners,
        "upload_settle_ms": settle_ms,
        "first_ms": first,
        "median_ms": median,
        "max_ms": max,
        "wire_first_ms": wire_first,
        "wire_median_ms": wire_median,
        "wire_max_ms": wire_max,
    }))
}

/// First, median and largest of `times` (in the order measured).
fn summary(times: &[f64]) -> (f64, f64, f64) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    (times[0], sorted[sorted.len() / 2], sorted[sorted.len() - 1])
}

/// One joiner: connects, sends SyncStep1, and returns its replica, the size of the SyncStep2
/// frame, and the times from SyncStep1 until that frame arrived and until it was applied.
async fn join(url: &str) -> Result<(Replica, usize, Duration, Duration)> {
    let joiner = Replica::default();
    let mut socket = crate::rooms::connect(url).await?;
    let started = Instant::now();
    socket.send(WsMessage::binary(joiner.sync_step1())).await?;
    let (received, arrived) = wait_for_step2(&mut socket, &joiner).await?;
    let applied = started.elapsed();
    let _ = socket.close(None).await;
    Ok((joiner, received, arrived - started, applied))
}

/// Reads frames until the server's SyncStep2 has been applied, answering its SyncStep1 on
/// the way; returns the size of the frame that carried the SyncStep2 and when it arrived.
async fn wait_for_step2(socket: &mut Socket, replica: &Replica) -> Result<(usize, Instant)> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no SyncStep2 within 30 s")?
            .context("socket closed before SyncStep2")??;
        let arrived = Instant::now();
        let WsMessage::Binary(bytes) = frame else { continue };
        let handled = replica.handle(&bytes)?;
        if let Some(reply) = handled.reply {
            socket.send(WsMessage::binary(reply)).await?;
        }
        if handled.got_step2 {
            return Ok((bytes.len(), arrived));
        }
    }
}
