//! `codeview-loadgen`: drives a y-websocket server (CodeView's or the reference
//! `@y/websocket-server`) with real yrs clients and prints what it measured — a human summary
//! on stderr and one JSON object on stdout for `bench/run-collab-bench.sh` to tabulate.
//!
//! Modes: `latency` (rooms × clients typing at a rate: edit→peer percentiles, throughput,
//! convergence, server and generator CPU), `idle` (hold synced rooms: server memory per room
//! and open sockets), `initial-sync` (a joiner's SyncStep1→SyncStep2 time on a large doc),
//! and, for CodeView's code runner rather than its documents, `run-first-byte` (Run pressed →
//! first output on the room socket) and, for its video calls, `signalling` (`call_signal`s
//! relayed between room sockets at a rate: the server's CPU and memory per 100 messages/s)
//! and, for its interactive terminal, `terminal-echo` (a keystroke on one room socket → the
//! program's echo on another).

#![forbid(unsafe_code)]

mod drive;
mod initial_sync;
mod latency;
mod proc_stats;
mod replica;
mod rooms;
mod run_first_byte;
mod signalling;
mod terminal_echo;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, ValueEnum};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A client WebSocket as the generator uses it.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Latency,
    Idle,
    InitialSync,
    RunFirstByte,
    Signalling,
    TerminalEcho,
}

#[derive(Debug, Parser)]
#[command(about = "Load generator for y-websocket servers: real yrs clients over WebSockets")]
pub struct Args {
    #[arg(long, value_enum, default_value = "latency")]
    pub mode: Mode,
    /// WebSocket URL template; `{room}` becomes the room name (CodeView:
    /// `ws://HOST:PORT/ws/yjs/{room}/code`, reference: `ws://HOST:PORT/{room}`). Repeat it, one
    /// per server instance, to spread the rooms over a cluster: client `i` of room `r` (counted
    /// from the start of the rooms file) connects to instance `(r + i) mod N`, so each 2-client
    /// room has its clients on two different instances. Modes other than `latency` and `idle`
    /// use the first.
    #[arg(long, required = true)]
    pub url: Vec<String>,
    /// CodeView HTTP base URL: create a host account and one interview per room, and
    /// authenticate sockets with its token. Without it, rooms get fresh names and no auth.
    #[arg(long)]
    pub setup: Option<String>,
    /// Cache of the account and interviews made by `--setup`, reused when it has enough rooms.
    #[arg(long)]
    pub rooms_file: Option<PathBuf>,
    #[arg(long, default_value_t = 100)]
    pub rooms: usize,
    /// Skip this many rooms of the rooms file (to split one run over two generator processes).
    #[arg(long, default_value_t = 0)]
    pub room_offset: usize,
    #[arg(long, default_value_t = 2)]
    pub clients_per_room: usize,
    /// Edits per second typed by each client.
    #[arg(long, default_value_t = 1.0)]
    pub rate_per_client: f64,
    /// Measured seconds of typing (after the warm-up).
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    /// Seconds of typing before measuring starts.
    #[arg(long, default_value_t = 3.0)]
    pub warmup: f64,
    /// Idle mode: seconds to keep the rooms open after measuring.
    #[arg(long, default_value_t = 0.0)]
    pub hold: f64,
    /// Initial-sync mode: size of the document in characters.
    #[arg(long, default_value_t = 1_000_000)]
    pub initial_doc_bytes: usize,
    /// Initial-sync mode: how many joiners to time, one after another.
    #[arg(long, default_value_t = 10)]
    pub joiners: usize,
    /// Signalling mode: `call_signal` messages per second, in total (each of `--rooms` calls
    /// has two sockets; each socket must stay under the server's 40/s).
    #[arg(long, default_value_t = 1000.0)]
    pub signal_rate: f64,
    /// Terminal-echo mode: keystrokes timed, one after another.
    #[arg(long, default_value_t = 300)]
    pub keystrokes: usize,
    /// Server process to read CPU and RSS of; repeat it for every instance of a cluster (the
    /// report then has each instance's CPU and their sum). Modes other than `latency` read the first.
    #[arg(long)]
    pub server_pid: Vec<u32>,
    /// Latency mode: a `redis-server` process to read CPU and RSS of (a cluster's relay).
    #[arg(long)]
    pub redis_pid: Option<u32>,
    /// Generator runtime threads (1 = tokio current_thread).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Rooms connecting at the same time.
    #[arg(long, default_value_t = 64)]
    pub connect_concurrency: usize,
    /// Name for this run in the JSON output (e.g. `codeview`, `reference`).
    #[arg(long, default_value = "server")]
    pub label: String,
}

impl Args {
    /// The URL template of the first (or only) server.
    pub fn first_url(&self) -> &str {
        self.url.first().map_or("", String::as_str)
    }

    /// The WebSocket URL template for client `client` of room `room` (rooms counted from the
    /// start of the rooms file): instance `(room + client) mod N`.
    pub fn url_for(&self, room: usize, client: usize) -> &str {
        self.url.get((room + client) % self.url.len().max(1)).map_or("", String::as_str)
    }

    /// The first server's process, for the modes that watch one server.
    pub fn first_server(&self) -> Option<proc_stats::Target> {
        self.server_pid.first().copied().map(proc_stats::Target::Pid)
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()?
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads).enable_all().build()?
    };
    let mut report = runtime.block_on(drive::run(&args))?;
    report["label"] = args.label.clone().into();
    report["load_average"] = proc_stats::load_average().into();
    println!("{report}");
    Ok(())
}
