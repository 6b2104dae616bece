//! The edit→peer latency scenario: every room is one task owning its clients' sockets and
//! replicas; after all rooms have synced, each client types one character at a fixed rate,
//! and a peer's latency is the time from the sender's edit to the moment the peer's replica
//! holds that edit (the sender's clock in the peer's state vector reaches the edit's clock).
//! At the end editing stops, the rooms drain, and every room's texts are compared.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::stream::{SelectAll, SplitSink};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::Socket;
use crate::replica::Replica;

/// What the driver tells every room to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Connect and sync; answer the server, do not edit.
    Sync,
    /// Type at the configured rate.
    Edit,
    /// Stop typing, keep applying what arrives.
    Drain,
    /// Compare texts and finish.
    Stop,
}

/// Fixed settings shared by every room.
#[derive(Debug)]
pub struct RoomPlan {
    pub rate_per_client: f64,
    /// Edits sent before this instant are not measured (the warm-up).
    pub measure_from: Mutex<Option<Instant>>,
}

/// Numbers every room adds to.
#[derive(Debug)]
pub struct Totals {
    /// Edit→peer latency in microseconds, for edits sent after the warm-up.
    pub latency_us: Histogram<u64>,
    pub edits_sent: u64,
    pub edits_measured: u64,
    pub deliveries: u64,
}

impl Default for Totals {
    fn default() -> Self {
        Self {
            latency_us: Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds"),
            edits_sent: 0,
            edits_measured: 0,
            deliveries: 0,
        }
    }
}

/// How a room ended.
#[derive(Debug)]
pub enum RoomEnd {
    Converged,
    /// Some edits were still in flight when the drain timed out (a backlog, not a divergence).
    Undrained,
    Diverged,
    Failed(String),
}

/// LiveDoc-level events the driver waits for.
#[derive(Debug)]
pub enum RoomEvent {
    Synced,
    Quiet,
    Failed(String),
}

/// Runs one room until the driver says `Stop` (or the room fails).
pub async fn run_room(
    urls: Vec<String>,
    plan: Arc<RoomPlan>,
    totals: Arc<Mutex<Totals>>,
    mut phase: watch::Receiver<Phase>,
    events: mpsc::UnboundedSender<RoomEvent>,
    connecting: Arc<Semaphore>,
) -> RoomEnd {
    match room_loop(urls, &plan, &totals, &mut phase, &events, &connecting).await {
        Ok(end) => end,
        Err(error) => {
            let error = format!("{error:#}");
            let _ = events.send(RoomEvent::Failed(error.clone()));
            RoomEnd::Failed(error)
        }
    }
}

async fn room_loop(
    urls: Vec<String>,
    plan: &RoomPlan,
    totals: &Mutex<Totals>,
    phase: &mut watch::Receiver<Phase>,
    events: &mpsc::UnboundedSender<RoomEvent>,
    connecting: &Semaphore,
) -> Result<RoomEnd> {
    let n = urls.len();
    let mut replicas: Vec<Replica> = (0..n).map(|_| Replica::default()).collect();
    let ids: Vec<yrs::ClientID> = replicas.iter().map(Replica::client_id).collect();
    let mut sinks: Vec<SplitSink<Socket, WsMessage>> = Vec::with_capacity(n);
    let mut inbound = SelectAll::new();
    // Thousands of rooms connecting at once would overflow the server's accept backlog.
    let permit = connecting.acquire().await?;
    for (i, url) in urls.iter().enumerate() {
        let (sink, stream) = crate::rooms::connect(url).await?.split();
        sinks.push(sink);
        inbound.push(stream.map(move |frame| (i, frame)));
    }
    for (sink, replica) in sinks.iter_mut().zip(&replicas) {
        sink.send(WsMessage::binary(replica.sync_step1())).await?;
    }
    drop(permit);
    let mut synced = vec![false; n];
    let mut announced_sync = false;
    // sent[s]: (clock after the edit, when it was typed, measured?) for each edit of client s.
    let mut sent: Vec<Vec<(u32, Instant, bool)>> = vec![Vec::new(); n];
    // seen[r][s]: how far receiver r has seen client s's edits.
    let mut seen = vec![vec![0u32; n]; n];
    let mut rng = StdRng::from_rng(&mut rand::rng());
    let period = Duration::from_secs_f64(1.0 / (plan.rate_per_client * n as f64));
    let mut ticker: Option<tokio::time::Interval> = None;
    let mut next_typist = 0usize;
    let mut announced_quiet = false;

    loop {
        let current = *phase.borrow();
        if current == Phase::Stop {
            if !all_seen(&sent, &seen) {
                return Ok(RoomEnd::Undrained);
            }
            let first = replicas[0].text();
            let same = replicas[1..].iter().all(|r| r.text() == first);
            return Ok(if same { RoomEnd::Converged } else { RoomEnd::Diverged });
        }
        if current == Phase::Edit && ticker.is_none() {
            // Rooms start typing at random offsets, as people do, rather than all on one tick.
            let first = tokio::time::Instant::now() + period.mul_f64(rng.random_range(0.0..1.0));
            let mut interval = tokio::time::interval_at(first, period);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker = Some(interval);
        }
        if current == Phase::Drain && !announced_quiet && all_seen(&sent, &seen) {
            announced_quiet = true;
            let _ = events.send(RoomEvent::Quiet);
        }
        tokio::select! {
            changed = phase.changed() => {
                if changed.is_err() { bail!("driver went away"); }
            }
            _ = async { ticker.as_mut().expect("set when editing").tick().await }, if current == Phase::Edit && ticker.is_some() => {
                let s = next_typist;
                next_typist = (next_typist + 1) % n;
                let (frame, clock) = replicas[s].type_one_char(&mut rng);
                let now = Instant::now();
                let measured = plan.measure_from.lock().unwrap().is_some_and(|from| now >= from);
                sent[s].push((clock, now, measured));
                {
                    let mut totals = totals.lock().unwrap();
                    totals.edits_sent += 1;
                    totals.edits_measured += u64::from(measured);
                }
                sinks[s].send(WsMessage::binary(frame)).await.context("sending an edit")?;
            }
            next = inbound.next() => {
                let Some((r, frame)) = next else { bail!("all sockets closed") };
                let frame = frame.context("reading from the server")?;
                let bytes = match frame {
                    WsMessage::Binary(bytes) => bytes,
                    WsMessage::Close(close) => bail!("server closed a socket: {close:?}"),
                    _ => continue,
                };
                let handled = replicas[r].handle(&bytes)?;
                if let Some(reply) = handled.reply {
                    sinks[r].send(WsMessage::binary(reply)).await?;
                }
                if handled.got_step2 && !synced[r] {
                    synced[r] = true;
                    if !announced_sync && synced.iter().all(|s| *s) {
                        announced_sync = true;
                        let _ = events.send(RoomEvent::Synced);
                    }
                }
                if handled.applied {
                    let now = Instant::now();
                    let mut totals = totals.lock().unwrap();
                    for s in (0..n).filter(|&s| s != r) {
                        let clock = replicas[r].clock_of(ids[s]);
                        if clock <= seen[r][s] { continue; }
                        let log = &sent[s];
                        let from = log.partition_point(|(c, _, _)| *c <= seen[r][s]);
                        let to = log.partition_point(|(c, _, _)| *c <= clock);
                        for (_, at, measured) in &log[from..to] {
                            totals.deliveries += 1;
                            if *measured {
                                let micros = now.duration_since(*at).as_micros().max(1) as u64;
                                totals.latency_us.saturating_record(micros);
                            }
                        }
                        seen[r][s] = clock;
                    }
                }
            }
        }
    }
}

/// Every receiver has every other client's last edit.
fn all_seen(sent: &[Vec<(u32, Instant, bool)>], seen: &[Vec<u32>]) -> bool {
    sent.iter().enumerate().all(|(s, log)| {
        let last = log.last().map_or(0, |(c, _, _)| *c);
        seen.iter().enumerate().all(|(r, row)| r == s || row[s] >= last)
    })
}
