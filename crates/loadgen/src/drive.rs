//! Runs one mode end to end: prepares the rooms, spawns one task per room, steps every room
//! through the phases (sync, edit, drain, stop), samples the servers' (every instance of a
//! cluster, and its Redis) and the generator's `/proc` counters around the measured window,
//! and returns the numbers as JSON.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc, watch};

use crate::latency::{Phase, RoomEnd, RoomEvent, RoomPlan, Totals, run_room};
use crate::proc_stats::{Sample, Target, cpu_percent, open_fds, sample};
use crate::{Args, Mode};

/// How long all rooms may take to connect and sync.
const SYNC_TIMEOUT: Duration = Duration::from_secs(300);
/// How long rooms may take to receive the last edits once typing stops.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(20);
/// Time given to the server to settle (allocator, lazy loads) before reading its memory.
const SETTLE: Duration = Duration::from_secs(3);

pub async fn run(args: &Args) -> Result<Value> {
    if args.mode == Mode::Signalling {
        return crate::signalling::run(args).await;
    }
    if args.mode == Mode::RunFirstByte {
        let base = args.setup.as_deref().context("run-first-byte needs --setup")?;
        let rooms = crate::rooms::prepare(Some(base), args.rooms_file.as_deref(), args.room_offset, 1).await?;
        return crate::run_first_byte::run(base, &rooms).await;
    }
    if args.mode == Mode::TerminalEcho {
        let base = args.setup.as_deref().context("terminal-echo needs --setup")?;
        let rooms = crate::rooms::prepare(Some(base), args.rooms_file.as_deref(), args.room_offset, 1).await?;
        return crate::terminal_echo::run(base, &rooms, args.keystrokes).await;
    }
    if args.mode == Mode::InitialSync {
        let rooms =
            crate::rooms::prepare(args.setup.as_deref(), args.rooms_file.as_deref(), args.room_offset, 1).await?;
        let url = rooms.url(args.first_url(), &rooms.names[0]);
        return crate::initial_sync::run(&url, args.initial_doc_bytes, args.joiners).await;
    }
    let rooms =
        crate::rooms::prepare(args.setup.as_deref(), args.rooms_file.as_deref(), args.room_offset, args.rooms).await?;
    let server = args.first_server();
    let server_before_connect = server.map(sample).transpose()?;

    let plan = Arc::new(RoomPlan { rate_per_client: args.rate_per_client, measure_from: Mutex::new(None) });
    let totals = Arc::new(Mutex::new(Totals::default()));
    let (phase_tx, phase_rx) = watch::channel(Phase::Sync);
    let (event_tx, mut events) = mpsc::unbounded_channel();
    let connecting = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(rooms.names.len());
    for (index, name) in rooms.names.iter().enumerate() {
        let room = args.room_offset + index;
        let urls = (0..args.clients_per_room).map(|client| rooms.url(args.url_for(room, client), name)).collect();
        tasks.push(tokio::spawn(run_room(
            urls,
            plan.clone(),
            totals.clone(),
            phase_rx.clone(),
            event_tx.clone(),
            connecting.clone(),
        )));
    }
    drop(event_tx);

    let total = rooms.names.len();
    let (mut synced, mut failed) = (0, 0);
    let mut first_error = None;
    let deadline = tokio::time::Instant::now() + SYNC_TIMEOUT;
    while synced + failed < total {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(RoomEvent::Synced)) => synced += 1,
            Ok(Some(RoomEvent::Failed(error))) => {
                failed += 1;
                first_error.get_or_insert(error);
            }
            Ok(Some(RoomEvent::Quiet)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let connect_seconds = connect_started.elapsed().as_secs_f64();
    eprintln!("{synced}/{total} rooms synced in {connect_seconds:.1} s ({failed} failed)");
    if let Some(error) = &first_error {
        eprintln!("first room error: {error}");
    }
    if synced == 0 {
        bail!("no room synced: {}", first_error.unwrap_or_default());
    }

    let mut report = json!({
        "mode": if args.mode == Mode::Idle { "idle" } else { "latency" },
        "rooms": total,
        "clients_per_room": args.clients_per_room,
        "instances": args.url.len(),
        "rooms_synced": synced,
        "rooms_failed_to_sync": failed,
        "connect_seconds": connect_seconds,
        "first_error": first_error,
    });

    if args.mode == Mode::Idle {
        tokio::time::sleep(SETTLE).await;
        if let (Some(target), Some(before)) = (server, server_before_connect) {
            let after = sample(target)?;
            let delta_kib = after.rss_kib.saturating_sub(before.rss_kib);
            let per_room_kb = delta_kib as f64 * 1.024 / synced as f64;
            eprintln!(
                "server RSS {} → {} KiB: {per_room_kb:.1} KB per synced room; {} open fds",
                before.rss_kib,
                after.rss_kib,
                open_fds(target).unwrap_or(0)
            );
            report["server_rss_before_kib"] = before.rss_kib.into();
            report["server_rss_after_kib"] = after.rss_kib.into();
            report["server_kb_per_room"] = per_room_kb.into();
            report["server_open_fds"] = open_fds(target).into();
        }
        report["generator_rss_kib"] = sample(Target::Myself)?.rss_kib.into();
        if args.hold > 0.0 {
            eprintln!("holding the rooms for {:.0} s", args.hold);
            tokio::time::sleep(Duration::from_secs_f64(args.hold)).await;
        }
    } else {
        let warmup = Duration::from_secs_f64(args.warmup);
        let measured = Duration::from_secs_f64(args.duration);
        *plan.measure_from.lock().unwrap() = Some(Instant::now() + warmup);
        phase_tx.send(Phase::Edit).ok();
        tokio::time::sleep(warmup).await;
        let watched = Watched::of(args);
        let (watched_start, generator_start) = (watched.sample()?, sample(Target::Myself)?);
        tokio::time::sleep(measured).await;
        let (watched_end, generator_end) = (watched.sample()?, sample(Target::Myself)?);
        phase_tx.send(Phase::Drain).ok();
        let (mut quiet, drain_deadline) = (0, tokio::time::Instant::now() + DRAIN_TIMEOUT);
        while quiet < synced {
            match tokio::time::timeout_at(drain_deadline, events.recv()).await {
                Ok(Some(RoomEvent::Quiet)) => quiet += 1,
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        latency_report(&mut report, &totals.lock().unwrap(), args, measured, quiet);
        cpu_report(&mut report, &watched_start, &watched_end, (generator_start, generator_end));
    }

    phase_tx.send(Phase::Stop).ok();
    let (mut converged, mut undrained, mut diverged, mut broken) = (0, 0, 0, 0);
    let mut last_error = None;
    for task in tasks {
        match task.await.context("a room task panicked")? {
            RoomEnd::Converged => converged += 1,
            RoomEnd::Undrained => undrained += 1,
            RoomEnd::Diverged => diverged += 1,
            RoomEnd::Failed(error) => {
                broken += 1;
                last_error = Some(error);
            }
        }
    }
    eprintln!("rooms: {converged} converged, {undrained} still receiving, {diverged} diverged, {broken} failed");
    if let Some(error) = &last_error {
        eprintln!("a failed room: {error}");
    }
    report["last_error"] = last_error.into();
    report["rooms_converged"] = converged.into();
    report["rooms_undrained"] = undrained.into();
    report["rooms_diverged"] = diverged.into();
    report["rooms_failed"] = broken.into();
    Ok(report)
}

fn latency_report(report: &mut Value, totals: &Totals, args: &Args, measured: Duration, quiet: usize) {
    let h = &totals.latency_us;
    let ms = |us: u64| us as f64 / 1000.0;
    let target_eps = args.rooms as f64 * args.clients_per_room as f64 * args.rate_per_client;
    let achieved_eps = totals.edits_measured as f64 / measured.as_secs_f64();
    let expected_deliveries = totals.edits_sent * (args.clients_per_room as u64 - 1);
    eprintln!(
        "edits/s {achieved_eps:.0} (target {target_eps:.0}); latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2} over {} deliveries; {} of {} edits delivered; {quiet} rooms drained",
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.9)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max()),
        h.len(),
        totals.deliveries,
        expected_deliveries,
    );
    report["rate_per_client"] = args.rate_per_client.into();
    report["target_edits_per_s"] = target_eps.into();
    report["edits_per_s"] = achieved_eps.into();
    report["p50_ms"] = ms(h.value_at_quantile(0.5)).into();
    report["p90_ms"] = ms(h.value_at_quantile(0.9)).into();
    report["p95_ms"] = ms(h.value_at_quantile(0.95)).into();
    report["p99_ms"] = ms(h.value_at_quantile(0.99)).into();
    report["max_ms"] = ms(h.max()).into();
    report["samples"] = h.len().into();
    report["edits_sent"] = totals.edits_sent.into();
    report["deliveries"] = totals.deliveries.into();
    report["expected_deliveries"] = expected_deliveries.into();
    report["rooms_drained"] = quiet.into();
}

/// The processes whose CPU the latency report shows: every server instance and, for a
/// cluster, its Redis.
struct Watched {
    servers: Vec<Target>,
    redis: Option<Target>,
}

/// One reading of every watched process.
struct WatchedSample {
    servers: Vec<Sample>,
    redis: Option<Sample>,
}

impl Watched {
    fn of(args: &Args) -> Watched {
        Watched {
            servers: args.server_pid.iter().map(|&pid| Target::Pid(pid)).collect(),
            redis: args.redis_pid.map(Target::Pid),
        }
    }

    fn sample(&self) -> Result<WatchedSample> {
        Ok(WatchedSample {
            servers: self.servers.iter().map(|&target| sample(target)).collect::<Result<_>>()?,
            redis: self.redis.map(sample).transpose()?,
        })
    }
}

/// CPU (percent of one core) and RSS over the measured window: the servers' sum (and each
/// instance's when there are several), Redis's, and the generator's own.
fn cpu_report(report: &mut Value, start: &WatchedSample, end: &WatchedSample, generator: (Sample, Sample)) {
    if !end.servers.is_empty() {
        let each: Vec<f64> = start.servers.iter().zip(&end.servers).map(|(a, b)| cpu_percent(a, b)).collect();
        let rss: Vec<u64> = end.servers.iter().map(|s| s.rss_kib).collect();
        report["server_cpu_pct"] = each.iter().sum::<f64>().into();
        report["server_rss_kib"] = rss.iter().sum::<u64>().into();
        if each.len() > 1 {
            report["instances_cpu_pct"] = each.clone().into();
            report["instances_rss_kib"] = rss.clone().into();
        }
        let shown: Vec<String> = each.iter().map(|pct| format!("{pct:.0}")).collect();
        eprintln!(
            "server CPU {} % (sum {:.0} %), RSS {} KiB",
            shown.join(" + "),
            each.iter().sum::<f64>(),
            rss.iter().sum::<u64>()
        );
    }
    if let (Some(a), Some(b)) = (start.redis, end.redis) {
        report["redis_cpu_pct"] = cpu_percent(&a, &b).into();
        report["redis_rss_kib"] = b.rss_kib.into();
        eprintln!("redis CPU {:.0} %, RSS {} KiB", cpu_percent(&a, &b), b.rss_kib);
    }
    let (start, end) = generator;
    report["generator_cpu_pct"] = cpu_percent(&start, &end).into();
    report["generator_rss_kib"] = end.rss_kib.into();
    eprintln!("generator CPU {:.0} %", cpu_percent(&start, &end));
}
