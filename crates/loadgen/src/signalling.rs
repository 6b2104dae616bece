//! The video-call signalling scenario (CodeView only, issue 18): `--rooms` interviews, each
//! with two room sockets of the host joined to its call, send each other candidate-sized
//! `call_signal`s at `--signal-rate` messages a second in total (spread evenly over the
//! sockets). Reports what arrived, what was refused, and the server's CPU and memory — per 100
//! messages a second, the cost the issue asks for.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::Args;
use crate::Socket;
use crate::proc_stats::{Target, cpu_percent, sample};

/// The server's limit per socket (`realtime/message_rate.rs`): stay below it.
const SERVER_LIMIT_PER_SOCKET: f64 = 40.0;
/// A server-reflexive candidate as Chrome sends it (the JSON message is ~300 bytes).
const CANDIDATE: &str = "candidate:842163049 1 udp 1677729535 203.0.113.7 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Qx7n network-id 1 network-cost 10";

#[derive(Default)]
struct Counts {
    sent: AtomicU64,
    received: AtomicU64,
    refused: AtomicU64,
}

impl Counts {
    fn snapshot(&self) -> (u64, u64, u64) {
        (self.sent.load(Ordering::Relaxed), self.received.load(Ordering::Relaxed), self.refused.load(Ordering::Relaxed))
    }
}

pub async fn run(args: &Args) -> Result<Value> {
    let base = args.setup.as_deref().context("signalling needs --setup")?;
    let rooms = crate::rooms::prepare(Some(base), args.rooms_file.as_deref(), args.room_offset, args.rooms).await?;
    let token = rooms.token.as_deref().context("signalling needs a token")?;
    let sockets = 2 * rooms.names.len();
    let per_socket = args.signal_rate / sockets as f64;
    if per_socket > SERVER_LIMIT_PER_SOCKET {
        bail!(
            "{per_socket:.1} messages/s per socket is over the server's {SERVER_LIMIT_PER_SOCKET}/s: use more --rooms"
        );
    }
    let server = args.first_server();
    let server_before = server.map(sample).transpose()?;

    let ws_base = base.replacen("http", "ws", 1);
    let counts = Arc::new(Counts::default());
    let (running_tx, running) = watch::channel(true);
    let mut tasks = Vec::with_capacity(sockets);
    let period = Duration::from_secs_f64(1.0 / per_socket);
    for (index, name) in rooms.names.iter().enumerate() {
        let url = format!("{ws_base}/ws/rooms/{name}?token={token}");
        let (mut first, mut second) = (crate::rooms::connect(&url).await?, crate::rooms::connect(&url).await?);
        let first_peer = join(&mut first).await?;
        let second_peer = join(&mut second).await?;
        // Spread the sockets' sends over one period.
        let offset = period.mul_f64(index as f64 / rooms.names.len() as f64);
        for (socket, to) in [(first, second_peer), (second, first_peer)] {
            tasks.push(tokio::spawn(drive(socket, to, period, offset, counts.clone(), running.clone())));
        }
    }
    let server_connected = server.map(sample).transpose()?;
    eprintln!("{sockets} sockets in {} calls, {per_socket:.1} signals/s each", rooms.names.len());

    tokio::time::sleep(Duration::from_secs_f64(args.warmup)).await;
    let (sent0, received0, refused0) = counts.snapshot();
    let server_start = server.map(sample).transpose()?;
    let me_start = sample(Target::Myself)?;
    tokio::time::sleep(Duration::from_secs_f64(args.duration)).await;
    let (sent1, received1, refused1) = counts.snapshot();
    let server_end = server.map(sample).transpose()?;
    let me_end = sample(Target::Myself)?;
    running_tx.send_replace(false);
    for task in tasks {
        let _ = task.await;
    }

    let seconds = args.duration;
    let sent_rate = (sent1 - sent0) as f64 / seconds;
    let received_rate = (received1 - received0) as f64 / seconds;
    let refused = refused1 - refused0;
    let mut report = json!({
        "mode": "signalling",
        "calls": rooms.names.len(),
        "sockets": sockets,
        "target_rate": args.signal_rate,
        "sent_per_second": sent_rate,
        "received_per_second": received_rate,
        "refused": refused,
        "generator_cpu_percent": cpu_percent(&me_start, &me_end),
    });
    if let (Some(before), Some(connected), Some(start), Some(end)) =
        (server_before, server_connected, server_start, server_end)
    {
        let cpu = cpu_percent(&start, &end);
        let per_hundred = if sent_rate > 0.0 { cpu / (sent_rate / 100.0) } else { 0.0 };
        report["server_cpu_percent"] = cpu.into();
        report["server_cpu_percent_per_100_per_second"] = per_hundred.into();
        report["server_rss_kib_before"] = before.rss_kib.into();
        report["server_rss_kib_connected"] = connected.rss_kib.into();
        report["server_rss_kib_end"] = end.rss_kib.into();
        eprintln!(
            "sent {sent_rate:.0}/s, received {received_rate:.0}/s, refused {refused}; server CPU {cpu:.1} % ({per_hundred:.2} % per 100/s), RSS {} → {} → {} KiB (before, connected, end)",
            before.rss_kib, connected.rss_kib, end.rss_kib
        );
    } else {
        eprintln!("sent {sent_rate:.0}/s, received {received_rate:.0}/s, refused {refused} (no --server-pid)");
    }
    Ok(report)
}

/// Joins the call; returns this socket's peer id.
async fn join(socket: &mut Socket) -> Result<String> {
    let join = json!({"type": "call_join", "v": 1, "media": {"audio": true, "video": true, "screen_stream": null}});
    socket.send(Message::text(join.to_string())).await?;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no call_welcome within 30 s")?
            .context("room socket closed")??;
        let Message::Text(text) = message else { continue };
        let event: Value = serde_json::from_str(&text)?;
        match event["type"].as_str() {
            Some("call_welcome") => return Ok(event["peer_id"].as_str().context("no peer id")?.to_owned()),
            Some("call_error") => bail!("joining refused: {event}"),
            _ => {}
        }
    }
}

/// Sends a candidate to `to` every `period` (after `offset`) while running; counts what arrives.
async fn drive(
    socket: Socket,
    to: String,
    period: Duration,
    offset: Duration,
    counts: Arc<Counts>,
    mut running: watch::Receiver<bool>,
) -> Result<()> {
    let (mut sink, mut stream) = socket.split();
    let signal = json!({"type": "call_signal", "v": 1, "to": to,
        "candidate": {"candidate": CANDIDATE, "sdp_mid": "0", "sdp_m_line_index": 0, "username_fragment": "Qx7n"}})
    .to_string();
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let started = Instant::now();
    loop {
        tokio::select! {
            _ = running.changed() => break,
            _ = tick.tick() => {
                sink.send(Message::text(signal.clone())).await?;
                counts.sent.fetch_add(1, Ordering::Relaxed);
            }
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if text.contains("\"type\":\"call_signal\"") {
                        counts.received.fetch_add(1, Ordering::Relaxed);
                    } else if text.contains("\"type\":\"call_error\"") {
                        counts.refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Some(Ok(Message::Close(frame))) => bail!("closed after {:?}: {frame:?}", started.elapsed()),
                Some(Ok(_)) => {}
                Some(Err(err)) => return Err(err.into()),
                None => bail!("closed after {:?}", started.elapsed()),
            },
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    Ok(())
}
