//! Half-sent request bodies must not make the server unreachable. The attack: thousands of
//! connections from a few addresses, each sending the headers of a `POST` with a large
//! `Content-Length` and then a trickle or nothing. It once used up the server's files, and
//! `/api/health` timed out for as long as the connections were held. Now each address holds
//! at most its cap (the rest are closed unread), health answers at once meanwhile, and the
//! held bodies are cut off by the body-read deadline.
//!
//! The real binary runs in a process of its own with a small open-file limit (via `prlimit`),
//! so the attack exhausts the server's files and not the test's.

use std::net::{IpAddr, SocketAddr};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use reqwest::{Client, StatusCode};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::process::{Child, Command};

use crate::edge_clients::{loopback, raise_own_open_file_limit};
use crate::helpers::test_slot_uid_base;

/// The server's open-file limit: the attack below opens more connections than that.
const SERVER_OPEN_FILES: u32 = 4096;
const ATTACKER_ADDRESSES: u8 = 6;
const CONNECTIONS_PER_ADDRESS: usize = 1000;
/// The server's default cap per client address.
const PER_ADDRESS_CAP: usize = 256;
/// The body-read timeout given to the server. The minimum-rate rule is switched off here (it
/// would cut these bodies after 5 s, before a loaded machine has opened them all); the unit
/// tests of `http::body_deadline` cover it.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Connects in flight per attacker address.
const CONNECTS_AT_ONCE: usize = 32;
/// A connect can wait for a SYN retransmission (1 s, then 2 s more) when the accept queue is
/// momentarily full.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);
/// Failed connects after which an address gives up: the server takes no more connections.
const CONNECT_FAILURES_TO_GIVE_UP: usize = 64;
const SLOW_BODY_HEAD: &[u8] = b"POST /api/auth/login HTTP/1.1\r\nHost: codeview\r\n\
Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"email\": \"";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_slow_bodies_neither_starve_health_nor_outlive_the_deadline() {
    assert!(raise_own_open_file_limit() > 10_000, "the test needs more than 10,000 files for its sockets");
    let server = RealServer::start().await;

    let opened = Instant::now();
    let attacks: Vec<_> =
        (0..ATTACKER_ADDRESSES).map(|n| tokio::spawn(open_slow_bodies(loopback(0, 2 + n), server.addr))).collect();
    let mut held_by_address = Vec::new();
    for attack in attacks {
        held_by_address.push(attack.await.unwrap());
    }
    let opening = opened.elapsed();
    let all_opened = Instant::now();

    // While the admitted bodies are held, health answers from another address.
    let health = Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(2)).build().unwrap();
    let mut latencies = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let response = health.get(format!("http://{}/api/health", server.addr)).send().await;
        assert_eq!(
            response.map(|r| r.status()).ok(),
            Some(StatusCode::OK),
            "health during the attack\n{}",
            server.log()
        );
        latencies.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies.sort();
    assert!(latencies[2] < Duration::from_millis(100), "health latencies while held: {latencies:?}");
    assert!(latencies[4] < Duration::from_secs(1), "health latencies while held: {latencies:?}");

    // Each address keeps at most its cap; the connections beyond it were closed unread. (On a
    // loaded machine an address's later connects may time out in the accept queue instead, so
    // the cap must have been passed by at least one address, not necessarily by each.)
    let mut still_open = Vec::new();
    let mut addresses_over_the_cap = 0;
    for (address, streams) in held_by_address.into_iter().enumerate() {
        let attempted = streams.len();
        let open = keep_open(streams).await;
        assert!(
            (1..=PER_ADDRESS_CAP).contains(&open.len()),
            "address {address}: {} of {attempted} connections held after {opening:?}",
            open.len()
        );
        addresses_over_the_cap += usize::from(attempted > PER_ADDRESS_CAP);
        still_open.extend(open);
    }
    assert!(addresses_over_the_cap > 0, "no address got past its cap: the attack did not happen");
    assert!(opened.elapsed() < BODY_READ_TIMEOUT, "the bodies were held while health was checked");

    // The held bodies are cut off by the deadline: 408 (or closed), all within the timeout.
    let cut_off_by = all_opened + BODY_READ_TIMEOUT + Duration::from_secs(3);
    let trickle = tokio::spawn(trickle(still_open.split_off(still_open.len() / 2), cut_off_by));
    let mut answered_408 = 0;
    for stream in &mut still_open {
        answered_408 += usize::from(read_until_closed(stream, cut_off_by).await);
    }
    let tricklers = trickle.await.unwrap();
    eprintln!(
        "opened in {opening:?}; health {latencies:?}; held {} + {} trickling; {answered_408} answered 408",
        still_open.len(),
        tricklers.len()
    );
    assert!(
        answered_408 * 10 >= still_open.len() * 9,
        "{answered_408} of {} stalled bodies were answered 408",
        still_open.len()
    );
    assert!(tricklers.iter().all(|closed| *closed), "every trickling body was cut off");
    let refusal_warnings =
        server.log().lines().filter(|line| line.contains("refusing connections over the caps")).count();
    assert!((1..=2).contains(&refusal_warnings), "refusals are logged once per interval, not per connection");
}

/// Opens up to [`CONNECTIONS_PER_ADDRESS`] connections from `address`, each sending the head
/// of a large body; gives up when the server no longer takes connections.
async fn open_slow_bodies(address: IpAddr, server: SocketAddr) -> Vec<TcpStream> {
    let failures = AtomicUsize::new(0);
    let connect = |_| async {
        if failures.load(Ordering::Relaxed) >= CONNECT_FAILURES_TO_GIVE_UP {
            return None;
        }
        let socket = TcpSocket::new_v4().expect("socket");
        socket.bind(SocketAddr::new(address, 0)).expect("bind to the attacker's address");
        match tokio::time::timeout(CONNECT_TIMEOUT, socket.connect(server)).await {
            Ok(Ok(mut stream)) => {
                let _ = stream.write_all(SLOW_BODY_HEAD).await;
                Some(stream)
            }
            _ => {
                failures.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    };
    let opened: Vec<Option<TcpStream>> =
        stream::iter(0..CONNECTIONS_PER_ADDRESS).map(connect).buffer_unordered(CONNECTS_AT_ONCE).collect().await;
    opened.into_iter().flatten().collect()
}

/// The streams the server has not closed.
async fn keep_open(streams: Vec<TcpStream>) -> Vec<TcpStream> {
    let mut open = Vec::new();
    for stream in streams {
        let mut probe = [0u8; 1];
        match stream.try_read(&mut probe) {
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => open.push(stream),
            _ => {}
        }
    }
    open
}

/// Sends one byte per stream every half second until the server closes each; returns, per
/// stream, whether it was closed within the deadline.
async fn trickle(mut streams: Vec<TcpStream>, give_up: Instant) -> Vec<bool> {
    let mut closed = vec![false; streams.len()];
    while Instant::now() < give_up && closed.iter().any(|c| !c) {
        for (stream, closed) in streams.iter_mut().zip(closed.iter_mut()).filter(|(_, c)| !**c) {
            let mut probe = [0u8; 64];
            *closed = match stream.try_read(&mut probe) {
                Ok(_) => true,
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => stream.write_all(b"a").await.is_err(),
                Err(_) => true,
            };
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    closed
}

/// Reads what the server sends until it closes the stream; whether it answered 408. Panics
/// if the stream is still open at `deadline`.
async fn read_until_closed(stream: &mut TcpStream, deadline: Instant) -> bool {
    let mut answer = Vec::new();
    let read = tokio::time::timeout_at(deadline.into(), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "a held body outlived the deadline");
    answer.starts_with(b"HTTP/1.1 408")
}

/// The `codeview` binary serving SQLite on a free port, with [`SERVER_OPEN_FILES`] files.
struct RealServer {
    addr: SocketAddr,
    _child: Child,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl RealServer {
    async fn start() -> RealServer {
        let dir = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("codeview.db").display());
        let mut child = Command::new("prlimit")
            .arg(format!("--nofile={SERVER_OPEN_FILES}:{SERVER_OPEN_FILES}"))
            .arg(env!("CARGO_BIN_EXE_codeview"))
            .args(["serve", "--addr", "127.0.0.1:0", "--run-workers", "0", "--web-dir", "/nonexistent-web-dir"])
            .args(["--database-url", &database_url, "--slot-uid-base", &test_slot_uid_base().to_string()])
            .env("CODEVIEW_BODY_READ_TIMEOUT_SECS", BODY_READ_TIMEOUT.as_secs().to_string())
            .env("CODEVIEW_BODY_MIN_BYTES_PER_SEC", "0")
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawning prlimit codeview");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (url_sender, url_receiver) = tokio::sync::oneshot::channel();
        tokio::spawn(keep_lines(child.stdout.take().unwrap(), log.clone(), Some(url_sender)));
        tokio::spawn(keep_lines(child.stderr.take().unwrap(), log.clone(), None));
        let url = tokio::time::timeout(Duration::from_secs(30), url_receiver)
            .await
            .unwrap_or_else(|_| panic!("codeview did not start:\n{}", log.lock().unwrap().join("\n")))
            .expect("codeview exited during start-up");
        let addr = url.trim_start_matches("http://").parse().expect("the printed address");
        let server = RealServer { addr, _child: child, log, _dir: dir };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&self) {
        let client = Client::new();
        for _ in 0..400 {
            let health = client.get(format!("http://{}/api/health", self.addr)).send().await;
            if health.is_ok_and(|r| r.status() == StatusCode::OK) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("codeview did not become healthy:\n{}", self.log());
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

/// Keeps the server's output lines (a full pipe would stall it) and reports its URL.
async fn keep_lines(
    output: impl tokio::io::AsyncRead + Unpin,
    log: Arc<Mutex<Vec<String>>>,
    mut url: Option<tokio::sync::oneshot::Sender<String>>,
) {
    let mut lines = BufReader::new(output).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(address) = line.strip_prefix("CodeView is running at ")
            && let Some(sender) = url.take()
        {
            let _ = sender.send(address.trim().to_owned());
        }
        log.lock().unwrap().push(line);
    }
}
