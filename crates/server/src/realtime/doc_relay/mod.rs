//! Live documents across server instances (issue 21), with PostgreSQL and Redis: each live
//! document has one owner, the instance holding its Redis lease (`lease`), which runs it as a
//! single instance does (`live_docs`) after taking the document's fence in the store. A socket
//! that lands on another instance (its *origin*) gets a remote link: its frames go to the
//! owner's channel, `codeview:docs:{owner}`; the owner adds a *remote member* whose outbox is
//! published back to the origin's channel, which hands the frames to the socket. Messages are
//! binary (`wire`), numbered per connection and direction; a gap (a message Redis dropped)
//! closes the connection, which reconnects and re-syncs.
//!
//! Liveness: every second, one pipeline renews this instance's liveness key and its leases,
//! reads who holds the documents it relays to and whether the instances it talks to are alive
//! (`lease::tick`). A lease another instance holds now stops the local document (the fence
//! would refuse its writes anyway); a relayed socket whose owner moved or died is closed
//! (1012), and remote members of a dead origin are dropped.
//!
//! Redis outage: this instance keeps serving the documents it owns to its own sockets (renewal
//! failures are counted and logged); relayed sockets and remote members are closed (1013
//! `RELAY_UNAVAILABLE`), and a document it does not own is refused the same way until Redis
//! answers again. Recovery needs nothing: the subscription comes back by itself
//! (`cluster::subscriber`), the next tick takes back the leases it still runs, and clients
//! reconnect.
//!
//! Trust: a remote member's rights (`ConnPermissions`) are the ones the origin checked before
//! the upgrade; instances trust each other (and Redis), like they trust the shared database.
//!
//! Files: `lease` (the Redis keys and scripts), `wire` (the messages), `owner` (remote members),
//! `origin` (relayed sockets), `commands` (server-side changes sent to a document's owner, and
//! its answers), `publisher` (the one connection everything is published on).

mod commands;
pub mod lease;
mod origin;
mod owner;
mod publisher;
pub mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use bytes::Bytes;
use codeview_collab::ConnPermissions;
use tokio::sync::mpsc;

use self::commands::PendingCommand;
pub use self::commands::{Forwarded, ServerCommand};
use self::wire::{Body, Envelope};
use super::outbox::Outbox;
use super::types::DocKey;
use crate::cluster::command_link::CommandLink;
use crate::cluster::{Cluster, InstanceId};

/// Close of a socket that needs another instance while Redis does not answer.
pub const RELAY_UNAVAILABLE: (u16, &str) = (1013, "cross-instance relay unavailable, retrying");
/// Close of a socket whose document moved to another instance (or whose owner died).
pub const DOCUMENT_MOVED: (u16, &str) = (1012, "document moved, reconnecting");
/// Close of every socket of a shutting-down instance, and of those other instances relay to
/// its documents (`drain`, `LiveDocs::hand_over`).
pub const SERVER_RESTARTING: (u16, &str) = (1012, "server restarting");
/// Close of a relayed connection that lost messages on the way.
const RELAY_LOST: (u16, &str) = (1013, "relay lost messages, reconnecting");

/// Messages waiting for the publisher, and their bytes: past either bound a message is
/// refused and its connection closed (it reconnects), as a slow socket is.
const PUBLISH_QUEUE: usize = 16 * 1024;
const PUBLISH_QUEUE_BYTES: usize = 64 << 20;
/// Messages published in one pipeline.
const PUBLISH_BATCH: usize = 256;
/// Frames waiting for one remote member's live document, and their bytes (Redis delivers
/// without backpressure): past either the member is dropped and its socket closed (1013),
/// as a local socket that floods its document waits and then is.
const MEMBER_INBOX: usize = 1024;
const MEMBER_INBOX_BYTES: usize = 8 << 20;

/// Redis did not answer (the failure is counted and logged by the relay's `CommandLink`).
#[derive(Debug, Clone, Copy)]
pub struct RedisUnavailable;

/// What the relay needs of this instance's live documents. `live_docs` implements it on a weak
/// handle (the relay does not keep them alive); a trait, so that this module does not depend
/// on `live_docs`, which depends on it.
#[async_trait::async_trait]
pub trait DocHost: Send + Sync {
    /// False once the live documents are gone (the server stopped).
    fn alive(&self) -> bool;
    /// Joins `key` here for another instance's socket (refused when another instance owns it).
    async fn join_remote(
        &self,
        key: DocKey,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Result<Box<dyn HostedLink>, (u16, &'static str)>;
    /// The documents live here (their leases are renewed).
    fn loaded_keys(&self) -> Vec<DocKey>;
    /// Another instance holds `key`'s lease now: the live document here stops.
    async fn lease_lost(&self, key: DocKey);
    /// A server-side change another instance relayed; false when the document is not live here.
    async fn apply_command(&self, key: DocKey, command: ServerCommand) -> bool;
}

/// A remote member's handle on its live document here.
#[async_trait::async_trait]
pub trait HostedLink: Send + Sync {
    /// Hands a frame to the live document; false when it is gone.
    async fn send(&self, frame: Bytes) -> bool;
    async fn leave(self: Box<Self>);
}

/// This instance's side of the relay. Cheap to clone.
#[derive(Clone)]
pub struct DocRelay {
    inner: Arc<Relay>,
}

struct Relay {
    me: InstanceId,
    /// For leases, ticks and the publisher's pipelines (one multiplexed connection: the
    /// publisher's messages keep their order).
    link: CommandLink,
    docs: Arc<dyn DocHost>,
    publish: mpsc::Sender<(InstanceId, Vec<u8>)>,
    publish_bytes: Arc<AtomicUsize>,
    /// Origin side: this instance's sockets linked to documents other instances own.
    relayed: Mutex<HashMap<u64, Relayed>>,
    /// Owner side: other instances' sockets in documents this instance owns.
    members: Mutex<HashMap<(InstanceId, u64), RemoteMember>>,
    /// Caller side: commands sent to owners and not answered yet, by request number.
    commands: Mutex<HashMap<u64, PendingCommand>>,
    /// The next command's request number (0 asks for no answer).
    next_command: AtomicU64,
    /// The subscription's task, ended with the relay.
    subscription: Mutex<Option<tokio::task::AbortHandle>>,
    /// Set once this instance hands its documents over (`shut_down`).
    shutting_down: AtomicBool,
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(subscription) = self.subscription.get_mut().ok().and_then(Option::take) {
            subscription.abort();
        }
    }
}

/// A socket of this instance whose document another instance owns.
struct Relayed {
    key: DocKey,
    owner: InstanceId,
    outbox: Outbox,
    /// The sequence number the owner's next frame must carry.
    next_seq: u32,
}

/// Another instance's socket in a document this instance owns.
struct RemoteMember {
    inbound: mpsc::Sender<Inbound>,
    /// Bytes of frames in `inbound`.
    queued: Arc<AtomicUsize>,
    next_seq: u32,
}

enum Inbound {
    Frame(Bytes),
    Disconnect,
}

/// A socket's link to the live document of another instance.
pub struct RemoteLink {
    conn: u64,
    owner: InstanceId,
    next_seq: AtomicU32,
    relay: DocRelay,
}

impl DocRelay {
    /// Connects to Redis (failing fast), subscribes to this instance's channel and starts the
    /// publisher and the lease ticks.
    pub async fn start(cluster: &Cluster, docs: Arc<dyn DocHost>) -> anyhow::Result<DocRelay> {
        use anyhow::Context;
        let client = cluster.redis().context("the document relay needs Redis")?.clone();
        let link = CommandLink::new(client.clone(), "docs");
        link.query::<()>(&redis::cmd("PING")).await.map_err(|err| anyhow::anyhow!("connecting to Redis: {err:?}"))?;
        let (publish, queue) = mpsc::channel(PUBLISH_QUEUE);
        let relay = DocRelay {
            inner: Arc::new(Relay {
                me: cluster.instance(),
                link,
                docs,
                publish,
                publish_bytes: Arc::default(),
                relayed: Mutex::default(),
                members: Mutex::default(),
                commands: Mutex::default(),
                next_command: AtomicU64::new(1),
                subscription: Mutex::default(),
                shutting_down: AtomicBool::new(false),
            }),
        };
        tokio::spawn(publisher::publish_all(Arc::downgrade(&relay.inner), queue));
        let (on_message, on_resubscribed) = (Arc::downgrade(&relay.inner), Arc::downgrade(&relay.inner));
        let subscription = crate::cluster::subscriber::subscribe(
            client,
            vec![lease::channel(relay.inner.me)],
            move |message| {
                if let Some(relay) = on_message.upgrade() {
                    DocRelay { inner: relay }.received(message.get_payload_bytes());
                }
            },
            move || {
                if let Some(relay) = on_resubscribed.upgrade() {
                    tracing::info!("document relay subscribed again: closing relayed sockets so they re-sync");
                    DocRelay { inner: relay }.drop_all_links();
                }
            },
        )
        .await
        .context("subscribing to this instance's document channel in Redis")?;
        *relay.inner.subscription.lock().unwrap_or_else(|e| e.into_inner()) = Some(subscription.abort_handle());
        tokio::spawn(tick_regularly(Arc::downgrade(&relay.inner)));
        Ok(relay)
    }

    pub fn instance(&self) -> InstanceId {
        self.inner.me
    }

    /// Who owns `key`, taking its lease when nobody does; `Err` when Redis does not answer.
    /// Once this instance is shutting down it takes no lease: `Err` unless another holds it.
    pub async fn claim(&self, key: DocKey) -> Result<InstanceId, RedisUnavailable> {
        let me = self.inner.me;
        if self.shutting_down() {
            let holder = self.with_redis(|mut redis| async move { lease::holder(&mut redis, key).await }).await?;
            return holder.filter(|holder| *holder != me).ok_or(RedisUnavailable);
        }
        self.with_redis(|mut redis| async move { lease::claim(&mut redis, key, me).await }).await
    }

    /// Gives up `key`'s lease (the document unloaded or stopped here), in the background.
    pub fn release(&self, key: DocKey) {
        let relay = self.clone();
        tokio::spawn(async move { relay.release_now(key).await });
    }

    /// Gives up `key`'s lease, and returns once Redis has (or did not answer).
    pub async fn release_now(&self, key: DocKey) {
        let me = self.inner.me;
        let _ = self.with_redis(|mut redis| async move { lease::release(&mut redis, key, me).await }).await;
    }

    /// This instance is shutting down: it takes no lease from now on (`claim`).
    pub fn shut_down(&self) {
        self.inner.shutting_down.store(true, Ordering::Release);
    }

    /// Whether `shut_down` was called.
    pub fn shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::Acquire)
    }

    /// No remote member is left and everything queued was published (a shutting-down
    /// instance's last closes reached the other instances).
    pub fn flushed(&self) -> bool {
        self.lock_members().is_empty() && self.inner.publish_bytes.load(Ordering::Acquire) == 0
    }

    /// Links the socket `conn` of this instance (frames for it go to `outbox`) to the live
    /// document `key` of `owner`.
    pub async fn link(
        &self,
        key: DocKey,
        owner: InstanceId,
        conn: u64,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Option<RemoteLink> {
        self.lock_relayed().insert(conn, Relayed { key, owner, outbox, next_seq: 1 });
        self.relayed_gauge();
        if !self.publish(owner, conn, 0, Body::Connect { key, perms }).await {
            self.lock_relayed().remove(&conn);
            self.relayed_gauge();
            return None;
        }
        Some(RemoteLink { conn, owner, next_seq: AtomicU32::new(1), relay: self.clone() })
    }

    async fn with_redis<T, F, Fut>(&self, call: F) -> Result<T, RedisUnavailable>
    where
        F: FnOnce(redis::aio::MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        self.inner.link.run(call).await.map_err(|_| RedisUnavailable)
    }

    /// Queues a message for `to`; false when the queue is full or closed (the connection must
    /// then be closed: a message of it is lost).
    async fn publish(&self, to: InstanceId, conn: u64, seq: u32, body: Body) -> bool {
        let message = self.envelope(conn, seq, body).encode();
        let len = message.len();
        if self.inner.publish_bytes.fetch_add(len, Ordering::AcqRel) + len > PUBLISH_QUEUE_BYTES {
            self.inner.publish_bytes.fetch_sub(len, Ordering::AcqRel);
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "publish queue full").increment(1);
            return false;
        }
        if self.inner.publish.send((to, message)).await.is_err() {
            self.inner.publish_bytes.fetch_sub(len, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// As `publish`, without waiting (from the subscription's handler).
    fn try_publish(&self, to: InstanceId, conn: u64, seq: u32, body: Body) {
        let message = self.envelope(conn, seq, body).encode();
        let len = message.len();
        if self.inner.publish_bytes.fetch_add(len, Ordering::AcqRel) + len > PUBLISH_QUEUE_BYTES
            || self.inner.publish.try_send((to, message)).is_err()
        {
            self.inner.publish_bytes.fetch_sub(len, Ordering::AcqRel);
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "publish queue full").increment(1);
        }
    }

    fn envelope(&self, conn: u64, seq: u32, body: Body) -> Envelope {
        Envelope { from: self.inner.me, conn, seq, sent_at_micros: wire::now_micros(), body }
    }

    /// A message from this instance's channel.
    fn received(&self, payload: &[u8]) {
        let envelope = match Envelope::decode(payload) {
            Ok(envelope) => envelope,
            Err(wire::Malformed(why)) => {
                metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "malformed").increment(1);
                tracing::debug!(why, "dropped a malformed document relay message");
                return;
            }
        };
        let Envelope { from, conn, seq, sent_at_micros, body } = envelope;
        match body {
            Body::Connect { key, perms } => self.member_connected(from, conn, key, perms),
            Body::Frame(frame) => {
                record_latency("to_owner", sent_at_micros);
                self.member_inbound(from, conn, seq, Inbound::Frame(frame));
            }
            Body::Disconnect => self.member_inbound(from, conn, seq, Inbound::Disconnect),
            Body::Deliver(frame) => {
                record_latency("to_origin", sent_at_micros);
                self.delivered(from, conn, seq, frame);
            }
            Body::Close { code, reason } => self.closed_by_owner(from, conn, code, &reason),
            Body::Command { key, command } => self.command_received(from, conn, key, &command),
            Body::CommandDone { applied } => self.command_answered(from, conn, applied),
        }
    }

    /// Redis failed or messages were lost: every cross-instance link is closed (clients
    /// reconnect and re-sync once Redis answers).
    fn drop_all_links(&self) {
        self.close_relayed(RELAY_UNAVAILABLE, |_| true);
        let mut members = self.lock_members();
        members.clear();
        metrics::gauge!("codeview_doc_remote_members").set(0.0);
    }

    fn lock_relayed(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Relayed>> {
        self.inner.relayed.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_members(&self) -> std::sync::MutexGuard<'_, HashMap<(InstanceId, u64), RemoteMember>> {
        self.inner.members.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn relayed_gauge(&self) {
        let count = self.lock_relayed().len();
        metrics::gauge!("codeview_doc_relayed_sockets").set(count as f64);
    }

    /// One tick: renew, then act on what moved or died.
    async fn tick(&self) -> Result<(), RedisUnavailable> {
        let (me, docs) = (self.inner.me, &self.inner.docs);
        let leases = docs.loaded_keys();
        let relayed: Vec<(DocKey, InstanceId)> = {
            let relayed = self.lock_relayed();
            let distinct: HashSet<(DocKey, InstanceId)> = relayed.values().map(|l| (l.key, l.owner)).collect();
            distinct.into_iter().collect()
        };
        let peers: Vec<InstanceId> = {
            let members = self.lock_members();
            let mut peers: HashSet<InstanceId> = members.keys().map(|(origin, _)| *origin).collect();
            peers.extend(relayed.iter().map(|(_, owner)| *owner));
            peers.into_iter().collect()
        };
        let relayed_keys: Vec<DocKey> = relayed.iter().map(|(key, _)| *key).collect();
        let (leases_ref, relayed_ref, peers_ref) = (&leases, &relayed_keys, &peers);
        let report = self
            .with_redis(
                |mut redis| async move { lease::tick(&mut redis, me, leases_ref, relayed_ref, peers_ref).await },
            )
            .await?;
        for (key, kept) in leases.iter().zip(&report.kept) {
            if !kept {
                metrics::counter!("codeview_doc_lease_lost_total").increment(1);
                tracing::warn!(interview_id = %key.interview_id, doc = key.doc_name(), "another instance holds this document's lease: stopping it here");
                docs.lease_lost(*key).await;
            }
        }
        let dead: HashSet<InstanceId> =
            peers.iter().zip(&report.alive).filter(|(_, alive)| !**alive).map(|(peer, _)| *peer).collect();
        let moved: HashSet<(DocKey, InstanceId)> = relayed
            .iter()
            .zip(&report.holders)
            .filter(|((_, owner), holder)| holder.is_some_and(|holder| holder != *owner))
            .map(|(pair, _)| *pair)
            .collect();
        if !dead.is_empty() || !moved.is_empty() {
            self.close_relayed(DOCUMENT_MOVED, |link| {
                dead.contains(&link.owner) || moved.contains(&(link.key, link.owner))
            });
        }
        for origin in dead {
            self.drop_members_of(origin);
        }
        Ok(())
    }
}

fn record_latency(leg: &'static str, sent_at_micros: u64) {
    let elapsed = wire::now_micros().saturating_sub(sent_at_micros);
    metrics::histogram!("codeview_doc_relay_seconds", "leg" => leg).record(elapsed as f64 / 1e6);
}

/// Renews leases and liveness every `lease::RENEW_EVERY` while the relay lives.
async fn tick_regularly(relay: Weak<Relay>) {
    let mut due = tokio::time::interval(lease::RENEW_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut healthy = true;
    loop {
        due.tick().await;
        let Some(inner) = relay.upgrade() else { return };
        let relay = DocRelay { inner };
        if !relay.inner.docs.alive() {
            return;
        }
        match relay.tick().await {
            Ok(()) => {
                if !healthy {
                    tracing::info!("Redis answers the document relay again");
                }
                healthy = true;
            }
            Err(RedisUnavailable) => {
                if healthy {
                    relay.drop_all_links();
                }
                healthy = false;
            }
        }
    }
}
