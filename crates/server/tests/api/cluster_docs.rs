//! Live documents across server instances (issue 21, `realtime/doc_relay`): real `codeview
//! serve` processes on one PostgreSQL database and one Redis of the test's own. Peers on
//! different instances converge and see each other's awareness; killing the owner of a live
//! document (SIGKILL) loses no update a peer had received, and its peers carry on through the
//! other instances; an owner that drains (SIGTERM) hands its documents over at once; a Redis
//! restart mid-session heals without restarting any server; a start through another instance
//! answers once the owner wrote the starter code, and is refused while the owner does not
//! answer; and a stale owner's write is refused by the store's fence.

use std::time::Duration;

use bytes::Bytes;
use codeview::db::{DocAppend, DocLogWriter, DocSnapshot};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cluster_support::{ClusterPeer, Credential, TestCluster, set_up_room, set_up_scheduled_room};
use crate::fixtures::create_interview;
use crate::helpers::TestApp;

/// Generous bound for anything that crosses instances (the timing goals are measured
/// in `docs/benchmarks.md`, not asserted here).
const CONVERGE: Duration = Duration::from_secs(15);

async fn open(cluster: &TestCluster, index: usize, interview: &str, credential: &Credential) -> ClusterPeer {
    ClusterPeer::open(&cluster.instances[index].ws_base(), interview, "code", credential.clone()).await
}

/// Pumps each peer (reconnecting those the server closed, to their instance) until all hold
/// the same `code` text containing every one of `tokens`.
async fn converge(peers: &mut [&mut ClusterPeer], tokens: &[String]) -> String {
    let deadline = tokio::time::Instant::now() + CONVERGE;
    loop {
        for peer in peers.iter_mut() {
            peer.stay_connected(CONVERGE).await;
            peer.pump(Duration::from_millis(100)).await;
        }
        let texts: Vec<String> = peers.iter().map(|peer| peer.text("code")).collect();
        let complete = tokens.iter().all(|token| texts[0].contains(token.as_str()));
        if complete && texts.iter().all(|text| *text == texts[0]) {
            return texts[0].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no convergence within {CONVERGE:?}: {texts:?}, missing {:?}",
            tokens.iter().filter(|t| !texts[0].contains(t.as_str())).collect::<Vec<_>>()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_candidate_and_observer_on_three_instances_converge_and_share_awareness() {
    let Some(cluster) = TestCluster::start(3).await else { return };
    let room = set_up_room(cluster.base(0)).await;
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    let mut candidate = open(&cluster, 1, &room.interview, &room.candidate_credential).await;
    let mut observer = open(&cluster, 2, &room.interview, &room.observer_credential).await;

    let mut tokens = Vec::new();
    for round in 0..5 {
        for (name, peer) in [("host", &mut host), ("candidate", &mut candidate)] {
            let token = format!("{name}-{round};");
            assert!(peer.type_text("code", &token).await, "{name}'s socket closed");
            tokens.push(token);
        }
    }
    converge(&mut [&mut host, &mut candidate, &mut observer], &tokens).await;

    // A cursor set on B is seen on A (and on C).
    let cursor = json!({"cursor": {"anchor": 3, "head": 3}, "marker": "cursor-of-the-candidate-on-b"});
    assert!(candidate.set_awareness(cursor).await);
    assert!(host.wait_until(CONVERGE, |p| p.sees_awareness("cursor-of-the-candidate-on-b")).await, "A did not see it");
    assert!(observer.wait_until(CONVERGE, |p| p.sees_awareness("cursor-of-the-candidate-on-b")).await);

    // The observer reads only: its update is dropped wherever it lands.
    assert!(observer.type_text("code", "observer-wrote;").await);
    host.pump(Duration::from_millis(500)).await;
    assert!(!host.text("code").contains("observer-wrote;"), "an observer's update crossed instances");

    // A server-side change made through C reaches the owner (A): the editor lock holds back
    // the candidate's updates on B, and lifting it lets them through again.
    let controls = format!("{}/api/interviews/{}/controls", cluster.base(2), room.interview);
    let locked = room.host.patch(&controls).json(&json!({"editor_locked": true})).send().await.unwrap();
    assert!(locked.status().is_success(), "{}", locked.status());
    host.pump(Duration::from_millis(300)).await;
    assert!(candidate.type_text("code", "while-locked;").await);
    host.pump(Duration::from_millis(700)).await;
    assert!(!host.text("code").contains("while-locked;"), "the lock set through C did not reach the owner");
    let unlocked = room.host.patch(&controls).json(&json!({"editor_locked": false})).send().await.unwrap();
    assert!(unlocked.status().is_success());
    host.pump(Duration::from_millis(300)).await;
    // (The held update was dropped and the candidate's next one depends on it: a fresh sync
    // carries both.)
    candidate.close().await;
    candidate.reconnect(&cluster.instances[1].ws_base(), CONVERGE).await;
    assert!(candidate.type_text("code", "after-unlock;").await);
    assert!(
        host.wait_until(CONVERGE, |p| p.text("code").contains("after-unlock;")).await,
        "unlock did not reach the owner"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_owner_mid_typing_loses_no_update_a_peer_received() {
    let Some(mut cluster) = TestCluster::start(3).await else { return };
    let room = set_up_room(cluster.base(0)).await;
    // The host opens the document first, on A: A owns it.
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    let mut candidate = open(&cluster, 1, &room.interview, &room.candidate_credential).await;
    for round in 0..20 {
        assert!(host.type_text("code", &format!("h{round};")).await);
        assert!(candidate.type_text("code", &format!("c{round};")).await);
        candidate.pump(Duration::from_millis(20)).await;
    }
    candidate.pump(Duration::from_millis(300)).await;
    cluster.kill(0).await;
    // What the candidate had received from the host before the kill was relayed, so stored.
    let received = candidate.text("code");
    let acknowledged: Vec<String> =
        (0..20).map(|round| format!("h{round};")).filter(|token| received.contains(token.as_str())).collect();
    assert!(!acknowledged.is_empty(), "nothing was relayed before the kill: {received:?}");

    // B notices its owner is gone and closes the candidate's socket so that it reconnects.
    assert!(!candidate.wait_until(CONVERGE, |_| false).await);
    assert!(!candidate.connected(), "the relayed socket stayed open after its owner died");
    assert_eq!(candidate.last_close, Some(1012), "not closed as 'document moved'");

    // A fresh reader on C loads the document from the store (nobody has re-uploaded yet).
    let mut reader = ClusterPeer::open_retrying(
        &cluster.instances[2].ws_base(),
        &room.interview,
        "code",
        &room.observer_credential,
        CONVERGE,
    )
    .await;
    let stored = reader.text("code");
    for token in &acknowledged {
        assert!(stored.contains(token.as_str()), "{token} was relayed before the kill but is lost: {stored:?}");
    }

    // The peers come back through the surviving instances and converge.
    candidate.reconnect(&cluster.instances[1].ws_base(), CONVERGE).await;
    host.reconnect(&cluster.instances[2].ws_base(), CONVERGE).await;
    let mut tokens: Vec<String> = (0..20).flat_map(|round| [format!("h{round};"), format!("c{round};")]).collect();
    for (name, peer) in [("h-after", &mut host), ("c-after", &mut candidate)] {
        assert!(peer.type_text("code", &format!("{name};")).await);
        tokens.push(format!("{name};"));
    }
    converge(&mut [&mut host, &mut candidate, &mut reader], &tokens).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draining_owner_gives_up_its_documents_before_closing_their_sockets() {
    let Some(cluster) = TestCluster::start(2).await else { return };
    let room = set_up_room(cluster.base(0)).await;
    // The host opens the document first, on A: A owns it; the candidate edits through B.
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    let mut candidate = open(&cluster, 1, &room.interview, &room.candidate_credential).await;
    let mut tokens = Vec::new();
    for round in 0..5 {
        for (name, peer) in [("h", &mut host), ("c", &mut candidate)] {
            assert!(peer.type_text("code", &format!("{name}{round};")).await);
            tokens.push(format!("{name}{round};"));
        }
    }
    converge(&mut [&mut host, &mut candidate], &tokens).await;
    let owner_key = format!("codeview:doc-owner:{}:code", room.interview);
    let mut redis = cluster.redis.connection().await;
    let owner = || redis::cmd("GET").arg(&owner_key).clone();
    let a: Option<String> = owner().query_async(&mut redis).await.unwrap();
    let a = a.expect("A holds the document's lease");

    // A drains (5 s), then hands the document over: its relayed socket on B is closed by A
    // ("server restarting"), not seconds later by B finding A gone ("document moved")...
    cluster.terminate(0);
    assert!(!candidate.wait_until(Duration::from_secs(30), |_| false).await);
    assert!(!candidate.connected(), "the relayed socket stayed open");
    assert_eq!(candidate.last_close, Some(1012));
    assert_eq!(candidate.last_close_reason.as_deref(), Some("server restarting"), "not closed by the hand-over");
    // ...and only once the lease is given up, so that where the candidate reconnects takes it.
    let now: Option<String> = owner().query_async(&mut redis).await.unwrap();
    assert_ne!(now.as_deref(), Some(a.as_str()), "A still held the lease when it closed the socket");

    candidate.reconnect(&cluster.instances[1].ws_base(), CONVERGE).await;
    let taken: Option<String> = owner().query_async(&mut redis).await.unwrap();
    assert!(taken.is_some_and(|b| b != a), "B did not take the document over");
    assert!(candidate.type_text("code", "after-the-drain;").await);
    tokens.push("after-the-drain;".into());
    let mut reader = open(&cluster, 1, &room.interview, &room.observer_credential).await;
    converge(&mut [&mut candidate, &mut reader], &tokens).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sockets_of_a_killed_instance_leave_the_owners_document() {
    let Some(mut cluster) = TestCluster::start(2).await else { return };
    let room = set_up_room(cluster.base(0)).await;
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    let mut candidate = open(&cluster, 1, &room.interview, &room.candidate_credential).await;
    assert!(candidate.set_awareness(json!({"marker": "candidate-on-b"})).await);
    assert!(host.wait_until(CONVERGE, |p| p.sees_awareness("candidate-on-b")).await);
    cluster.kill(1).await;
    // A notices B is gone and drops its remote member: the candidate's cursor disappears.
    assert!(
        host.wait_until(CONVERGE, |p| !p.sees_awareness("candidate-on-b")).await,
        "the dead instance's socket stayed in the document"
    );
    assert!(host.connected(), "the owner's own socket was closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_mid_session_heals_without_restarting_the_servers() {
    let Some(mut cluster) = TestCluster::start(2).await else { return };
    let room = set_up_room(cluster.base(0)).await;
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    let mut candidate = open(&cluster, 1, &room.interview, &room.candidate_credential).await;
    let mut tokens = vec!["before;".to_owned()];
    assert!(host.type_text("code", "before;").await);
    converge(&mut [&mut host, &mut candidate], &tokens).await;

    // Redis goes away: A owns the document and keeps serving its own socket.
    cluster.redis.stop();
    for round in 0..5 {
        let token = format!("during-{round};");
        assert!(host.type_text("code", &token).await, "the owner's own socket closed while Redis was down");
        tokens.push(token);
    }
    assert!(host.sync().await.is_ok(), "the owner stopped serving its local socket while Redis was down");
    // B's relayed socket is closed (it cannot reach the owner).
    assert!(!candidate.wait_until(CONVERGE, |_| false).await);
    assert!(!candidate.connected());
    assert_eq!(candidate.last_close, Some(1013), "not closed as 'relay unavailable, retrying'");
    // Nor can it open the document on B again until Redis answers.
    let refused = candidate.connect(&cluster.instances[1].ws_base()).await;
    assert!(refused.is_err() && candidate.last_close == Some(1013), "{refused:?} {:?}", candidate.last_close);
    cluster.redis.start_again().await;

    // No server restarts: the candidate reconnects, everyone converges.
    // (The host's socket may close too: if B took the lease back first, the store's fence stops
    // A's copy, and the host reconnects.)
    candidate.reconnect(&cluster.instances[1].ws_base(), CONVERGE).await;
    assert!(candidate.type_text("code", "after;").await);
    tokens.push("after;".into());
    converge(&mut [&mut host, &mut candidate], &tokens).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_through_another_instance_waits_for_the_owner_to_write_the_starter_code() {
    let Some(cluster) = TestCluster::start(2).await else { return };
    let starter = "# starter code, written by the owner\n";
    let room = set_up_scheduled_room(cluster.base(0), Some(json!({"python": starter}))).await;
    // The host opens the code before the start, on A: A owns it.
    let mut host = open(&cluster, 0, &room.interview, &room.host_credential).await;
    assert_eq!(host.text("code"), "", "nothing is seeded before the start");
    let start = format!("{}/api/interviews/{}/start", cluster.base(1), room.interview);
    let interview = format!("{}/api/interviews/{}", cluster.base(1), room.interview);

    // A hangs (its lease lives on for seconds): B cannot have the code written, so it refuses
    // the start with a clear status and the interview stays scheduled.
    cluster.pause(0, true);
    let refused = room.host.post(&start).json(&json!({})).send().await.unwrap();
    cluster.pause(0, false);
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.headers()["retry-after"], "2");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "relay_unavailable", "{body}");
    let read: Value = room.host.get(&interview).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["interview"]["status"], "scheduled", "a refused start started the interview");

    // A answers again: the start through B succeeds once A wrote the code, which every peer
    // sees, on A and on B.
    let started = room.host.post(&start).json(&json!({})).send().await.unwrap();
    assert_eq!(started.status(), StatusCode::OK, "{}", started.text().await.unwrap_or_default());
    let mut reader = open(&cluster, 1, &room.interview, &room.observer_credential).await;
    assert_eq!(reader.text("code"), starter, "B answered before the owner wrote the starter code");
    assert!(host.wait_until(CONVERGE, |p| p.text("code") == starter).await, "{:?}", host.text("code"));
    reader.close().await;
}

crate::on_both_backends!(a_stale_owner_cannot_write_after_a_new_owner_took_the_document);

/// PostgreSQL: taking the document waits for a write of the previous fence in flight (its
/// `FOR SHARE` lock), so that write cannot commit after the new fence exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_a_document_waits_for_the_previous_owners_write_in_flight() {
    let Some(app) = TestApp::try_spawn(crate::helpers::Backend::Postgres).await else { return };
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Fencing"})).await;
    let id: Uuid = interview.id.parse().unwrap();
    let store = codeview::db::connect(&app.database_url).await.expect("store");
    let old = store.take_doc_lease(id, "code", "instance-a").await.unwrap();

    // The old owner's transaction has checked its fence (as the log writer does) and not
    // committed yet.
    let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
    let mut in_flight = pool.begin().await.unwrap();
    let checked: i64 =
        sqlx::query_scalar("SELECT fence FROM doc_leases WHERE interview_id = $1 AND doc = 'code' FOR SHARE")
            .bind(id)
            .fetch_one(&mut *in_flight)
            .await
            .unwrap();
    assert_eq!(checked, old);
    let taking = tokio::spawn(async move { store.take_doc_lease(id, "code", "instance-b").await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!taking.is_finished(), "the new owner took the document while a write of the old fence was in flight");
    in_flight.commit().await.unwrap();
    let new = tokio::time::timeout(Duration::from_secs(10), taking).await.expect("taken after the commit");
    assert_eq!(new.unwrap().unwrap(), old + 1);
}

/// Store level: the instance that took the document last holds the fence; the previous
/// owner's appends (and snapshots) are refused, whatever their numbering.
async fn a_stale_owner_cannot_write_after_a_new_owner_took_the_document(app: TestApp) {
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, json!({"title": "Fencing"})).await;
    let id: Uuid = interview.id.parse().unwrap();
    let store = codeview::db::connect(&app.database_url).await.expect("store");
    let old = store.take_doc_lease(id, "code", "instance-a").await.unwrap();
    let new = store.take_doc_lease(id, "code", "instance-b").await.unwrap();
    assert!(new > old, "the fence did not grow: {old} then {new}");

    let writer = store.open_log_writer().expect("log writer");
    let (writer, stale, current) = tokio::task::spawn_blocking(move || {
        let mut writer: Box<dyn DocLogWriter> = writer;
        let updates = [Bytes::from_static(b"u1")];
        let append = |fence| DocAppend {
            interview_id: id,
            doc: "code",
            after_seq: 0,
            updates: &updates,
            at: codeview::history::truncate_to_ms(chrono::Utc::now()),
            author: None,
            fence: Some(fence),
        };
        // More updates than one statement takes: the write becomes a transaction of several.
        let many: Vec<Bytes> = (0..1001).map(|_| Bytes::from_static(b"u")).collect();
        let stale_many = DocAppend { updates: &many, ..append(old) };
        let snapshot = |fence| DocSnapshot {
            interview_id: id,
            doc: "code",
            data: b"state",
            up_to_seq: 0,
            sealed: None,
            sealed_seq: 0,
            fence: Some(fence),
        };
        let stale =
            [writer.write(&[append(old)], &[]), writer.write(&[stale_many], &[]), writer.write(&[], &[snapshot(old)])];
        let current = writer.write(&[append(new)], &[]).and_then(|()| writer.write(&[], &[snapshot(new)]));
        (writer, stale.map(|write| write.map_err(|e| e.to_string())), current.map_err(|e| e.to_string()))
    })
    .await
    .unwrap();
    drop(writer);
    for (what, stale) in ["append", "long append", "snapshot"].into_iter().zip(stale) {
        let stale = stale.expect_err(what);
        assert!(stale.contains("fenced out"), "the stale owner's {what}: {stale}");
    }
    current.expect("the current owner's append or snapshot was refused");
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!(loaded.updates.len(), 1, "exactly the current owner's entry is stored");
}
