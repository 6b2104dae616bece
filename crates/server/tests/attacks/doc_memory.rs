//! Memory attacks on a large live document (issue 13), against the real binary so that the
//! server's resident memory can be read: hundreds of joiners send SyncStep1 for a 14 MB
//! document and never read, and slow readers reconnect over and over while the document
//! changes. Before the fix every stalled joiner held its own copy of the encoded state
//! (300 of them added 4 GiB within seconds). Now the server's added memory stays under
//! `ADDED_RSS_LIMIT`, joiners beyond the socket caps are refused with 429, and a normal client
//! still syncs and edits meanwhile.

mod server_process;
mod ws_peer;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::time::Instant;

use server_process::{ServerProcess, rss_bytes};
use ws_peer::{Peer, Refusal, Socket, empty_sync_step1, open, upload_large_document};

/// Characters in the attacked document (one Y.Text), uploaded in `DOC_PIECES` updates.
const DOC_CHARS: usize = 14 << 20;
const DOC_PIECES: usize = 4;
/// Joiners that send SyncStep1 and never read.
const STALLED_JOINERS: usize = 300;
/// Participants (observers: they cannot even write) and loopback addresses they come from.
const ATTACKERS: usize = 3;
const ATTACK_ADDRESSES: [Ipv4Addr; 3] =
    [Ipv4Addr::new(127, 0, 0, 2), Ipv4Addr::new(127, 0, 0, 3), Ipv4Addr::new(127, 0, 0, 4)];
/// Resident memory the attack may add to the server (it added 4.15 GiB before the fix).
const ADDED_RSS_LIMIT: u64 = 300 << 20;
/// How long the attack lasts (within the server's 15 s write-stall limit, so the stalled
/// joiners are all still there at the end).
const ATTACK_WINDOW: Duration = Duration::from_secs(8);
/// How long the normal client may take to sync the document and see its edit relayed.
const NORMAL_CLIENT_DEADLINE: Duration = Duration::from_secs(25);
/// The normal client's edit.
const MARKER: &str = "// still editable\n";

/// The tests here each load a large document and hundreds of sockets: one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where the attacks go: a server holding the large document, and the tokens of the
/// attackers and of a normal participant.
struct Target {
    server: ServerProcess,
    interview: String,
    attackers: Vec<String>,
    normal: String,
}

/// The target, its writer (the host, still connected) and the server's resident memory once
/// the document is loaded and was synced once (the room's own caches included).
struct Scene {
    target: Target,
    host: Peer,
    baseline_rss: u64,
}

impl Scene {
    async fn new(env: &[(&str, &str)]) -> Scene {
        let server = ServerProcess::start(env).await;
        let host_token = server.user_token("host@example.com", "Hana Host").await;
        let emails: Vec<String> = (0..ATTACKERS).map(|i| format!("observer{i}@example.com")).collect();
        let mut attackers = Vec::new();
        for email in &emails {
            let token = server.user_token(email, "Olga Observer").await;
            server.join_workspace(&host_token, &token, email).await;
            attackers.push(token);
        }
        let normal = server.user_token("normal@example.com", "Nora Normal").await;
        server.join_workspace(&host_token, &normal, "normal@example.com").await;
        let mut others: Vec<(&str, &str)> = emails.iter().map(|e| (e.as_str(), "observer")).collect();
        others.push(("normal@example.com", "interviewer"));
        let interview = server.interview(&host_token, &others).await;
        let target = Target { server, interview, attackers, normal };

        let socket = open(target.server.addr, Ipv4Addr::LOCALHOST, &target.interview, &host_token, false)
            .await
            .expect("host socket");
        let mut host = Peer::new(socket);
        upload_large_document(&mut host, DOC_CHARS, DOC_PIECES).await;
        assert_eq!(host.text().len(), DOC_CHARS);
        let mut warm = target.normal_peer().await.expect("warm-up socket");
        warm.sync().await.expect("warm-up sync");
        assert_eq!(warm.text().len(), DOC_CHARS);
        drop(warm);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let baseline_rss = rss_bytes(target.server.pid()).expect("the server is running");
        Scene { target, host, baseline_rss }
    }
}

impl Target {
    async fn normal_peer(&self) -> Result<Peer, Refusal> {
        let socket = open(self.server.addr, Ipv4Addr::LOCALHOST, &self.interview, &self.normal, false).await?;
        Ok(Peer::new(socket))
    }

    /// Opens a socket as joiner `i` of an attack (participant and address spread evenly),
    /// sends SyncStep1 and returns the socket unread.
    async fn stalled_joiner(&self, i: usize) -> Result<Socket, Refusal> {
        let token = &self.attackers[i % ATTACKERS];
        let from = ATTACK_ADDRESSES[i * ATTACK_ADDRESSES.len() / STALLED_JOINERS % ATTACK_ADDRESSES.len()];
        let mut socket = open(self.server.addr, from, &self.interview, token, true).await?;
        socket.send(empty_sync_step1()).await.map_err(|err| Refusal { status: 0, body: err.to_string() })?;
        Ok(socket)
    }

    /// `STALLED_JOINERS` stalled joiners, opened a few at a time: those let in, and the
    /// refusals.
    async fn stalled_joiners(&self) -> (Vec<Socket>, Vec<Refusal>) {
        let results: Vec<_> = futures_util::stream::iter(0..STALLED_JOINERS)
            .map(|i| self.stalled_joiner(i))
            .buffer_unordered(16)
            .collect()
            .await;
        let (joined, refused): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        (joined.into_iter().map(Result::unwrap).collect(), refused.into_iter().map(Result::unwrap_err).collect())
    }

    /// A normal participant opens the document (retrying when told to try again later, as
    /// the y-websocket provider does), receives all of it, edits it, and `host` sees the
    /// edit. `Err` says what went wrong.
    async fn normal_client_syncs_and_edits(&self, host: &mut Peer) -> Result<(), String> {
        let deadline = Instant::now() + NORMAL_CLIENT_DEADLINE;
        let mut peer = loop {
            let mut peer = self.normal_peer().await.map_err(|r| format!("normal client refused: {r:?}"))?;
            match tokio::time::timeout_at(deadline, peer.sync()).await {
                Ok(Ok(())) => break peer,
                Ok(Err(Some(1013))) => tokio::time::sleep(Duration::from_millis(300)).await,
                Ok(Err(close)) => return Err(format!("the normal client's socket closed ({close:?})")),
                Err(_) => return Err("the normal client's sync timed out".into()),
            }
        };
        if peer.text().len() < DOC_CHARS {
            return Err(format!("the normal client synced {} characters", peer.text().len()));
        }
        peer.insert(0, MARKER).await;
        match tokio::time::timeout_at(deadline, host.until(|host| host.text().starts_with(MARKER))).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(close)) => Err(format!("the host's socket closed ({close:?})")),
            Err(_) => Err("the host did not see the normal client's edit in time".into()),
        }
    }
}

/// Samples the server's resident memory; kills the server as soon as the attack has added
/// more than `ADDED_RSS_LIMIT`, so that a failing run does not take the machine's memory.
struct RssWatch {
    baseline: u64,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssWatch {
    fn start(pid: u32, baseline: u64) -> RssWatch {
        let peak = Arc::new(AtomicU64::new(baseline));
        let seen = peak.clone();
        let task = tokio::spawn(async move {
            while let Some(rss) = rss_bytes(pid) {
                seen.fetch_max(rss, Ordering::Relaxed);
                if rss.saturating_sub(baseline) > ADDED_RSS_LIMIT {
                    let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        RssWatch { baseline, peak, task }
    }

    /// Stops sampling; panics if the attack added more than `ADDED_RSS_LIMIT`.
    fn check(self, what: &str) {
        self.task.abort();
        let added = self.peak.load(Ordering::Relaxed).saturating_sub(self.baseline);
        eprintln!("{what}: server RSS {} MiB before the attack, +{} MiB at most", self.baseline >> 20, added >> 20);
        assert!(added < ADDED_RSS_LIMIT, "{what} added {} MiB to the server", added >> 20);
    }
}

/// 300 stalled joiners against a server configured by `env`, with a normal client syncing
/// and editing meanwhile; returns how many joiners got in, and the refusals.
async fn stalled_joiners_attack(env: &[(&str, &str)]) -> (usize, Vec<Refusal>) {
    let Scene { target, mut host, baseline_rss } = Scene::new(env).await;
    let started = Instant::now();
    let watch = RssWatch::start(target.server.pid(), baseline_rss);
    let (joined, refused) = target.stalled_joiners().await;
    let normal = target.normal_client_syncs_and_edits(&mut host).await;
    tokio::time::sleep_until(started + ATTACK_WINDOW).await;
    watch.check(&format!("{} stalled joiners ({} refused)", joined.len(), refused.len()));
    normal.expect("a normal client syncs and edits during the attack");
    (joined.len(), refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_joiners_of_a_large_document_are_capped_and_cost_little_memory() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (joined, refused) = stalled_joiners_attack(&[]).await;
    assert!(joined > 0, "some joiners get in");
    assert!(
        !refused.is_empty(),
        "the socket caps refuse most of {STALLED_JOINERS} joiners from {ATTACKERS} participants"
    );
    for refusal in &refused {
        assert_eq!(refusal.status, 429, "{refusal:?}");
        assert!(refusal.body.contains("\"too_many_sockets\""), "{refusal:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_caps_raised_300_stalled_joiners_share_one_state_within_the_budget() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let raised =
        [("CODEVIEW_MAX_DOC_SOCKETS_PER_PARTICIPANT", "1000"), ("CODEVIEW_MAX_DOC_SOCKETS_PER_ADDRESS", "1000")];
    let (joined, refused) = stalled_joiners_attack(&raised).await;
    assert!(refused.is_empty(), "raised caps let every joiner in: {:?}", refused.first());
    assert_eq!(joined, STALLED_JOINERS);
}

/// One slow reader per participant reconnects over and over (each connection sends
/// SyncStep1, reads nothing, and is dropped 0.7 s later) while the host keeps typing, so that
/// most reconnects meet a new version of the 14 MB state; a normal client syncs and edits
/// halfway through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_readers_reconnecting_to_a_changing_large_document_cost_little_memory() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let Scene { target, mut host, baseline_rss } = Scene::new(&[]).await;
    let started = Instant::now();
    let watch = RssWatch::start(target.server.pid(), baseline_rss);
    let connections = AtomicU64::new(0);
    let slow_readers = futures_util::future::join_all((0..ATTACKERS).map(|i| {
        let (target, connections) = (&target, &connections);
        async move {
            while started.elapsed() < ATTACK_WINDOW {
                match target.stalled_joiner(i).await {
                    Ok(socket) => {
                        connections.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(700)).await;
                        drop(socket);
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        }
    }));
    let typing_then_normal = async {
        while started.elapsed() < ATTACK_WINDOW / 2 {
            host.insert(0, "y").await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        target.normal_client_syncs_and_edits(&mut host).await
    };
    let (_, normal) = tokio::join!(slow_readers, typing_then_normal);
    watch.check(&format!("{} slow-reader connections", connections.load(Ordering::Relaxed)));
    assert!(connections.load(Ordering::Relaxed) >= 2 * ATTACKERS as u64, "the slow readers reconnected");
    normal.expect("a normal client syncs and edits during the attack");
}
