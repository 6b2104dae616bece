//! Live collaborative documents: one tokio task per open document owns its
//! `codeview_collab::LiveDoc`, has accepted updates stored *before* they are relayed (the
//! process's group-commit writer, `update_log`, stores them and then delivers the frames),
//! compacts the log into a snapshot (within seconds of a change when the store keeps a
//! journal, so that it can be trimmed behind it), and unloads itself when idle.
//!
//! History: each accepted update is stored with the time the live document accepted it and its
//! author (the participant of the connection that sent it; none for the server's own changes).
//! The task keeps the entries no history block holds (`history::uncovered`); they stay in the
//! log until it seals them into a block, stored with a snapshot (every 10 s of typing or 500
//! entries, and when the document unloads or the interview ends); the small blocks are then
//! repacked into large ones on a task of their own. A candidate's
//! code update that inserts many characters at once is reported (`large_inserts`).
//!
//! Isolation: each live document is its own task, so a panic (or a poisonous update the live
//! document could not survive) ends that live document only; its sockets close, clients reconnect,
//! and the live document reloads from the store (which never holds a rejected update).
//! Backpressure: every connection has a bounded outbox; a connection that cannot keep up is dropped
//! from the live document and closed (it reconnects and re-syncs) instead of silently missing
//! updates. Large frames are charged to the live document's and the process's send budgets
//! (`send_budget`) before they reach outboxes.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use codeview_collab::{CloseReason, ConnId, ConnPermissions, DocKind, Effects, LiveDoc};
use tokio::sync::mpsc;
use tokio::time::Instant;
use uuid::Uuid;

use super::doc_relay::{
    DocHost, DocRelay, Forwarded, HostedLink, RELAY_UNAVAILABLE, RemoteLink, SERVER_RESTARTING, ServerCommand,
};
pub use super::large_inserts::LargeInsert;
use super::large_inserts::LargeInserts;
use super::live_usage::{LiveEntry, LiveUsage};
use super::outbox::{Outbox, Outgoing};
use super::send_budget::{ByteBudget, PROCESS_SEND_BUDGET, RoomSendBudget};
use super::socket_caps::{SocketCaps, SocketSlot};
pub use super::types::DocKey;
use super::update_log::{Delivery, Lane, UpdateLog, deliver};
use crate::db::{Store, StoredDocument};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::history::MAX_DOCUMENT_HISTORY_BYTES;
use crate::history::uncovered::{SEAL_AFTER, Uncovered};
use crate::quotas::Quotas;

/// Commands waiting for one live document; senders wait when it is full (natural backpressure).
const INBOX_CAPACITY: usize = 1024;
/// A live document with no connections stays loaded this long, then compacts and unloads.
const IDLE_UNLOAD_AFTER: Duration = Duration::from_secs(30);
/// Log entries after which the live document writes a snapshot and trims the log.
const COMPACT_EVERY_UPDATES: usize = 500;
/// How long a shutting-down instance waits for its live documents to hand over (`hand_over`).
const HAND_OVER_WAIT: Duration = Duration::from_secs(3);
/// A live document writes a snapshot this long after its first entry since the last one, at the
/// latest, when the store keeps a journal (SQLite), so that a load replays a few seconds of
/// entries (the journal, which keeps them `update_log::JOURNAL_KEEP`, has no index).
const COMPACT_AFTER: Duration = Duration::from_secs(2);
/// Snapshot bytes a document may write per `COMPACT_AFTER`: larger documents snapshot less
/// often, in proportion (a 1 MB one every 32 s), so typing into one does not rewrite it
/// whole every 2 s. The journal moves their older entries into the log meanwhile.
const SNAPSHOT_BYTES_PER_COMPACTION: usize = 64 * 1024;
/// The longest wait for a snapshot, however large the document.
const COMPACT_AFTER_AT_MOST: Duration = Duration::from_secs(60);

/// How long after its first new entry a document whose snapshot is `snapshot_len` bytes
/// writes its next snapshot.
fn compact_delay(snapshot_len: usize) -> Duration {
    let intervals = u32::try_from(snapshot_len / SNAPSHOT_BYTES_PER_COMPACTION).unwrap_or(u32::MAX).max(1);
    COMPACT_AFTER.saturating_mul(intervals).min(COMPACT_AFTER_AT_MOST)
}

enum Command {
    /// Boxed: the largest variant sets the size of every slot of every live document's inbox.
    Connect(Box<Joiner>),
    Frame {
        conn: ConnId,
        frame: Bytes,
        /// When the frame reached the server (edit latency is measured from there).
        arrived: std::time::Instant,
    },
    Disconnect {
        conn: ConnId,
    },
    /// The interview ended: the code document becomes read-only (the candidate's sockets are
    /// closed by `revocations`, like every socket whose right is gone); notes stay writable.
    InterviewEnded,
    /// The interviewers locked or unlocked the candidate's editor.
    EditorLocked(bool),
    /// A look at the document (its texts, its language) without changing it: the reader runs
    /// in the live document's task and sends its answer back itself.
    Read(Box<dyn FnOnce(&LiveDoc) + Send>),
    /// Starter code for the document's language, written into each empty text: `(text name,
    /// starter code by language)`. Replies once the change is handed to the update log.
    FillStarterCode {
        starters: Vec<(String, BTreeMap<String, String>)>,
        reply: tokio::sync::oneshot::Sender<()>,
    },
    /// Another instance holds the document's lease now (`doc_relay`): stop here.
    LeaseLost,
    /// This instance is shutting down (`LiveDocs::hand_over`): store what is pending, give up
    /// the lease, close every connection (1012) and stop.
    HandOver,
}

/// A connection joining a live document.
struct Joiner {
    conn: ConnId,
    perms: ConnPermissions,
    outbox: Outbox,
}

/// The registry of live live documents. Cheap to clone.
#[derive(Clone)]
pub struct LiveDocs {
    inner: Arc<Registry>,
}

struct Registry {
    store: Arc<dyn Store>,
    log: UpdateLog,
    /// Live live documents by document. A std mutex: it is held for map operations only, never
    /// across an await.
    rooms: Mutex<HashMap<DocKey, mpsc::Sender<Command>>>,
    next_conn: AtomicU64,
    /// Open sockets per participant and address.
    caps: SocketCaps,
    /// Bytes of large frames all live documents have in flight to sockets.
    send_budget: Arc<ByteBudget>,
    /// Live documents per owning account, for its quotas.
    live: Arc<LiveUsage>,
    /// Where candidates' large code inserts are reported.
    large_inserts: LargeInserts,
    /// The relay to the other instances, when they share Redis and PostgreSQL (`doc_relay`);
    /// unset, every document lives here.
    relay: OnceLock<DocRelay>,
}

/// A `LiveDocs` that does not keep the registry alive (held by the relay).
#[derive(Clone)]
pub struct WeakLiveDocs(std::sync::Weak<Registry>);

impl WeakLiveDocs {
    pub fn upgrade(&self) -> Option<LiveDocs> {
        self.0.upgrade().map(|inner| LiveDocs { inner })
    }
}

#[async_trait::async_trait]
impl DocHost for WeakLiveDocs {
    fn alive(&self) -> bool {
        self.0.strong_count() > 0
    }

    async fn join_remote(
        &self,
        key: DocKey,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Result<Box<dyn HostedLink>, Refused> {
        let docs = self.upgrade().ok_or(super::doc_relay::DOCUMENT_MOVED)?;
        let interview = docs.inner.store.find_interview(key.interview_id).await;
        let Ok(Some(interview)) = interview else { return Err((1011, "document unavailable")) };
        let setup = RoomSetup { owner: interview.created_by, language: interview.language };
        Ok(Box::new(docs.join_owned(key, setup, perms, outbox).await?))
    }

    fn loaded_keys(&self) -> Vec<DocKey> {
        self.upgrade().map(|docs| docs.loaded_keys()).unwrap_or_default()
    }

    async fn lease_lost(&self, key: DocKey) {
        if let Some(docs) = self.upgrade() {
            docs.lease_lost(key).await;
        }
    }

    async fn apply_command(&self, key: DocKey, command: ServerCommand) -> bool {
        match self.upgrade() {
            Some(docs) => docs.apply_relayed_command(key, command).await,
            None => false,
        }
    }
}

#[async_trait::async_trait]
impl HostedLink for RoomLink {
    async fn send(&self, frame: Bytes) -> bool {
        RoomLink::send(self, frame).await
    }

    async fn leave(self: Box<Self>) {
        RoomLink::leave(*self).await;
    }
}

/// Why a socket could not join its document: the WebSocket close code and reason.
pub type Refused = (u16, &'static str);

/// A connection's handle on its live document: here, or on the instance that owns it.
pub struct RoomLink {
    pub conn: ConnId,
    route: Route,
}

enum Route {
    Local { key: DocKey, commands: mpsc::Sender<Command>, rooms: LiveDocs },
    Remote(RemoteLink),
}

/// How a live document starts when it is loaded. Whether the code is frozen (the interview
/// ended) and whether the candidate's editor is locked are read from the store once the live
/// document is registered (`RoomState::read`): a change stored meanwhile reaches it as a
/// command, so none is missed between a socket's look at the interview and the load.
#[derive(Clone)]
pub struct RoomSetup {
    /// The account hosting the interview: the live document counts against its quotas.
    pub owner: Uuid,
    /// The interview's language, written into `meta` if the document has none yet.
    pub language: crate::domain::Language,
}

/// The interview's state a live document applies: read when it loads, then kept by commands.
struct RoomState {
    /// The code is read-only (the interview ended).
    read_only: bool,
    /// The candidate's editor is locked.
    editor_locked: bool,
}

impl RoomState {
    async fn read(store: &dyn Store, key: DocKey) -> crate::db::StoreResult<RoomState> {
        let interview = store.find_interview(key.interview_id).await?;
        let ended = interview.as_ref().is_some_and(|i| i.status == crate::domain::InterviewStatus::Ended);
        Ok(RoomState {
            read_only: ended && key.kind == DocKind::Code,
            editor_locked: interview.is_some_and(|i| i.controls().editor_locked),
        })
    }
}

impl LiveDocs {
    /// The registry, with the process's update log writer started.
    pub fn new(store: Arc<dyn Store>, socket_limits: crate::config::DocSocketArgs) -> anyhow::Result<LiveDocs> {
        Ok(LiveDocs {
            inner: Arc::new(Registry {
                log: UpdateLog::start(store.clone())?,
                store,
                rooms: Mutex::new(HashMap::new()),
                next_conn: AtomicU64::new(1),
                caps: SocketCaps::new(socket_limits),
                send_budget: Arc::new(ByteBudget::new(PROCESS_SEND_BUDGET)),
                live: Arc::default(),
                large_inserts: LargeInserts::default(),
                relay: OnceLock::new(),
            }),
        })
    }

    /// Shares live documents with the other instances on this Redis and store (`doc_relay`).
    pub async fn join_cluster(&self, cluster: &crate::cluster::Cluster) -> anyhow::Result<()> {
        let weak = WeakLiveDocs(Arc::downgrade(&self.inner));
        let relay = DocRelay::start(cluster, Arc::new(weak)).await?;
        let _ = self.inner.relay.set(relay);
        if let Some(shared) = super::shared_usage::SharedUsage::new(cluster) {
            self.inner.live.share(shared);
        }
        Ok(())
    }

    fn relay(&self) -> Option<&DocRelay> {
        self.inner.relay.get()
    }

    /// The candidates' accepted code updates that insert many characters at once
    /// (`large_inserts`), from now on.
    pub fn subscribe_large_inserts(&self) -> tokio::sync::broadcast::Receiver<LargeInsert> {
        self.inner.large_inserts.subscribe()
    }

    /// Counts a socket of `participant` on `key` from `address` against the caps (429
    /// `too_many_sockets` past them); the slot frees itself when dropped.
    pub fn open_socket(&self, key: DocKey, participant: Uuid, address: IpAddr) -> Result<SocketSlot, AppError> {
        self.inner.caps.open(key, participant, address)
    }

    /// Refuses to open `key` for its host `owner` past the account's live-document quotas
    /// (a document already live can always be joined); with Redis, counted over every instance.
    pub async fn admit(&self, key: DocKey, owner: Uuid, quotas: &Quotas) -> AppResult<()> {
        Ok(self.inner.live.admit(owner, key, quotas).await?)
    }

    /// Joins the live document of `key` (loading it if needed, or linking to the instance
    /// that owns it) with a new connection whose frames go to `outbox`.
    pub async fn join(
        &self,
        key: DocKey,
        setup: RoomSetup,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Result<RoomLink, Refused> {
        let conn = ConnId(self.inner.next_conn.fetch_add(1, Ordering::Relaxed));
        if let Some(relay) = self.relay()
            && !self.is_loaded(key)
        {
            let owner = relay.claim(key).await.map_err(|_| RELAY_UNAVAILABLE)?;
            if owner != relay.instance() {
                let link = relay.link(key, owner, conn.0, perms, outbox).await.ok_or(RELAY_UNAVAILABLE)?;
                return Ok(RoomLink { conn, route: Route::Remote(link) });
            }
        }
        self.join_here(conn, key, setup, perms, outbox).await
    }

    /// Joins the live document of `key` here, for another instance's socket: refused when
    /// another instance owns it now (the socket reconnects and finds it).
    async fn join_owned(
        &self,
        key: DocKey,
        setup: RoomSetup,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Result<RoomLink, Refused> {
        let conn = ConnId(self.inner.next_conn.fetch_add(1, Ordering::Relaxed));
        if let Some(relay) = self.relay()
            && !self.is_loaded(key)
            && relay.claim(key).await.map_err(|_| RELAY_UNAVAILABLE)? != relay.instance()
        {
            return Err(super::doc_relay::DOCUMENT_MOVED);
        }
        self.join_here(conn, key, setup, perms, outbox).await
    }

    async fn join_here(
        &self,
        conn: ConnId,
        key: DocKey,
        setup: RoomSetup,
        perms: ConnPermissions,
        outbox: Outbox,
    ) -> Result<RoomLink, Refused> {
        // Handing over (`hand_over`): nothing loads here any more.
        if self.relay().is_some_and(DocRelay::shutting_down) {
            return Err(SERVER_RESTARTING);
        }
        // A live document that just shut down closes its channel: load it again (twice is enough).
        for _ in 0..2 {
            let commands = self.room_commands(key, &setup);
            let joiner = Joiner { conn, perms: perms.clone(), outbox: outbox.clone() };
            let connect = Command::Connect(Box::new(joiner));
            if commands.send(connect).await.is_ok() {
                return Ok(RoomLink { conn, route: Route::Local { key, commands, rooms: self.clone() } });
            }
            self.forget(key, &commands);
        }
        Err((1011, "document unavailable"))
    }

    fn is_loaded(&self, key: DocKey) -> bool {
        self.inner.rooms.lock().expect("room registry").get(&key).is_some_and(|sender| !sender.is_closed())
    }

    /// The documents live here (their leases are renewed).
    fn loaded_keys(&self) -> Vec<DocKey> {
        self.inner.rooms.lock().expect("room registry").keys().copied().collect()
    }

    /// This instance is shutting down: every live document stores what is pending (a
    /// snapshot that seals its history) and closes its connections with 1012 "server
    /// restarting". With other instances beside it (`doc_relay`), it also gives up its lease
    /// (for those relayed from other instances too), so that the instances its clients
    /// reconnect to take it over at once rather than once the lease expires (5 s after the
    /// process is gone), and nothing loads here any more. Alone, the next start loads each
    /// document from one snapshot. Waits a few seconds at most.
    pub async fn hand_over(&self) {
        let relay = self.relay();
        if let Some(relay) = relay {
            relay.shut_down();
        }
        let rooms: Vec<mpsc::Sender<Command>> =
            self.inner.rooms.lock().expect("room registry").values().cloned().collect();
        let handed_over = async {
            for room in rooms {
                let _ = room.send(Command::HandOver).await;
            }
            while !self.inner.rooms.lock().expect("room registry").is_empty() || !relay.is_none_or(DocRelay::flushed) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        match tokio::time::timeout(HAND_OVER_WAIT, handed_over).await {
            Ok(()) => tracing::info!("shutting down: every live document handed over"),
            Err(_) => tracing::warn!("shutting down: some live documents did not hand over in time"),
        }
    }

    /// Another instance holds `key`'s lease now: the live document here stops.
    async fn lease_lost(&self, key: DocKey) {
        let sender = self.inner.rooms.lock().expect("room registry").get(&key).cloned();
        if let Some(sender) = sender {
            let _ = sender.send(Command::LeaseLost).await;
        }
    }

    /// A server command another instance relayed: applied if the document lives here (true;
    /// starter code once it is in the update log).
    async fn apply_relayed_command(&self, key: DocKey, command: ServerCommand) -> bool {
        match command {
            ServerCommand::InterviewEnded => self.tell_here(key, Command::InterviewEnded).await,
            ServerCommand::EditorLocked(locked) => self.tell_here(key, Command::EditorLocked(locked)).await,
            ServerCommand::FillStarterCode(starters) => {
                let (reply, answer) = tokio::sync::oneshot::channel();
                self.tell_here(key, Command::FillStarterCode { starters, reply }).await && answer.await.is_ok()
            }
        }
    }

    /// Makes the interview's live code document read-only (the notes stay writable: the
    /// interviewers finish them after the end).
    pub async fn interview_ended(&self, interview_id: Uuid) {
        let key = DocKey { interview_id, kind: DocKind::Code };
        self.tell(key, Command::InterviewEnded, ServerCommand::InterviewEnded).await;
    }

    /// Applies the interview's new controls to its live documents at once, on sockets
    /// already open too: the editor lock holds back (or frees) the candidate's code updates.
    pub async fn controls_changed(&self, interview_id: Uuid, controls: &crate::domain::InterviewControls) {
        let key = DocKey { interview_id, kind: DocKind::Code };
        let locked = controls.editor_locked;
        self.tell(key, Command::EditorLocked(locked), ServerCommand::EditorLocked(locked)).await;
    }

    /// Sends `command` to the live document of `key` if it is loaded here, else `relayed` to
    /// the instance that owns it, if any (one that loads later reads the stored state itself).
    async fn tell(&self, key: DocKey, command: Command, relayed: ServerCommand) {
        if self.tell_here(key, command).await {
            return;
        }
        if let Some(relay) = self.relay()
            && relay.forward_command(key, &relayed).await == Forwarded::Unanswered
        {
            // The change is stored; the owner's sockets learn it when they reconnect (the
            // relay's failure closes them) or when the owner loses its lease.
            tracing::warn!(interview_id = %key.interview_id, ?relayed, "the document's owner did not answer a relayed change");
        }
    }

    /// Sends `command` to the live document of `key` if it is loaded here; false if not.
    async fn tell_here(&self, key: DocKey, command: Command) -> bool {
        let sender = self.inner.rooms.lock().expect("room registry").get(&key).cloned();
        match sender {
            Some(sender) => sender.send(command).await.is_ok(),
            None => false,
        }
    }

    /// The document's main text (`code`: the first question's; `notes`): from the live
    /// document if loaded, else from the store.
    pub async fn read_text(&self, key: DocKey) -> AppResult<String> {
        let mut texts = self.read_texts(key, vec![key.doc_name().to_owned()]).await?;
        Ok(texts.pop().unwrap_or_default())
    }

    /// The final (or current) code of each of `question_ids`, in the same order, read from each
    /// question's Y.Text (`codeview_collab::code_text_names`); `&[]` (an interview without
    /// questions) gives the one `"code"` text. Pass the interview's questions in their order:
    /// the first one's code is `"code"`.
    pub async fn read_question_code(&self, interview_id: Uuid, question_ids: &[Uuid]) -> AppResult<Vec<String>> {
        let ids: Vec<String> = question_ids.iter().map(Uuid::to_string).collect();
        let key = DocKey { interview_id, kind: DocKind::Code };
        self.read_texts(key, codeview_collab::code_text_names(&ids)).await
    }

    /// The content of the document's texts `names` (in order; "" for a text it lacks).
    pub async fn read_texts(&self, key: DocKey, names: Vec<String>) -> AppResult<Vec<String>> {
        self.read(key, move |doc| names.iter().map(|name| doc.named_text(name)).collect()).await
    }

    /// The language the code document is in now (its `meta`), if set.
    pub async fn read_language(&self, interview_id: Uuid) -> AppResult<Option<String>> {
        self.read(DocKey { interview_id, kind: DocKind::Code }, LiveDoc::language).await
    }

    /// `look` applied to the document: inside its live document's task when it is loaded (so
    /// it sees every update relayed so far), else to a copy loaded from the store.
    async fn read<T: Send + 'static>(
        &self,
        key: DocKey,
        look: impl Fn(&LiveDoc) -> T + Send + Sync + 'static,
    ) -> AppResult<T> {
        let look = Arc::new(look);
        let live = self.inner.rooms.lock().expect("room registry").get(&key).cloned();
        if let Some(sender) = live {
            let (reply, answer) = tokio::sync::oneshot::channel();
            let inside = look.clone();
            let read = Command::Read(Box::new(move |doc: &LiveDoc| {
                let _ = reply.send(inside(doc));
            }));
            if sender.send(read).await.is_ok()
                && let Ok(value) = answer.await
            {
                return Ok(value);
            }
        }
        let stored = self.inner.store.load_document(key.interview_id, key.doc_name()).await?;
        let updates = stored.updates.iter().map(|update| update.data.as_slice());
        let (doc, _) = LiveDoc::load(key.kind, stored.snapshot.as_deref(), updates);
        Ok(look(&doc))
    }

    /// Writes each question's starter code, for the document's language, into that question's
    /// text if it is empty (typed code is never overwritten; a retry changes nothing), through
    /// the live document (loaded for it if needed), so the change is logged and relayed like
    /// any other. `starters`: `(question id, starter code by language)` for the interview's
    /// questions in their order.
    pub async fn fill_starter_code(
        &self,
        interview_id: Uuid,
        setup: RoomSetup,
        starters: Vec<(Uuid, BTreeMap<String, String>)>,
    ) -> AppResult<()> {
        let ids: Vec<String> = starters.iter().map(|(id, _)| id.to_string()).collect();
        let names = codeview_collab::code_text_names(&ids);
        let starters: Vec<(String, BTreeMap<String, String>)> =
            names.into_iter().zip(starters.into_iter().map(|(_, code)| code)).collect();
        if starters.iter().all(|(_, code)| code.is_empty()) {
            return Ok(());
        }
        let key = DocKey { interview_id, kind: DocKind::Code };
        if let Some(relay) = self.relay() {
            // Another instance may own the document: it writes the code and answers once it
            // is in its update log. "Not live there": it unloaded meanwhile, so claim again.
            let mut attempts = 0;
            while !self.is_loaded(key) {
                let owner = relay.claim(key).await.map_err(|_| relay_unavailable())?;
                if owner == relay.instance() {
                    break;
                }
                let command = ServerCommand::FillStarterCode(starters.clone());
                match relay.forward_command(key, &command).await {
                    Forwarded::Applied => return Ok(()),
                    Forwarded::NotLive if attempts < 3 => {
                        attempts += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Forwarded::NotLive | Forwarded::Unanswered => return Err(relay_unavailable()),
                }
            }
        }
        // A live document that just shut down closes its channel: load it again (twice is enough).
        for _ in 0..2 {
            let commands = self.room_commands(key, &setup);
            let (reply, answer) = tokio::sync::oneshot::channel();
            if commands.send(Command::FillStarterCode { starters: starters.clone(), reply }).await.is_ok()
                && answer.await.is_ok()
            {
                return Ok(());
            }
            self.forget(key, &commands);
        }
        Err(AppError::Internal(anyhow::anyhow!("the code document of interview {interview_id} is unavailable")))
    }

    /// Number of loaded live documents (for metrics and tests).
    pub fn loaded(&self) -> usize {
        self.inner.rooms.lock().expect("room registry").len()
    }

    fn room_commands(&self, key: DocKey, setup: &RoomSetup) -> mpsc::Sender<Command> {
        let mut rooms = self.inner.rooms.lock().expect("room registry");
        if let Some(sender) = rooms.get(&key).filter(|s| !s.is_closed()) {
            return sender.clone();
        }
        let (tx, rx) = mpsc::channel(INBOX_CAPACITY);
        rooms.insert(key, tx.clone());
        tokio::spawn(run_room(key, setup.clone(), rx, self.clone()));
        metrics::gauge!("codeview_doc_rooms_loaded").set(rooms.len() as f64);
        tx
    }

    /// Removes `key` from the registry if it still maps to `sender`'s room.
    fn forget(&self, key: DocKey, sender: &mpsc::Sender<Command>) {
        let mut rooms = self.inner.rooms.lock().expect("room registry");
        if rooms.get(&key).is_some_and(|current| current.same_channel(sender)) {
            rooms.remove(&key);
        }
        metrics::gauge!("codeview_doc_rooms_loaded").set(rooms.len() as f64);
    }

    /// Unregisters an idle live document unless commands arrived meanwhile; true when it may stop.
    fn try_unload(&self, key: DocKey, inbox: &mpsc::Receiver<Command>) -> bool {
        let mut rooms = self.inner.rooms.lock().expect("room registry");
        if !inbox.is_empty() {
            return false;
        }
        rooms.remove(&key);
        metrics::gauge!("codeview_doc_rooms_loaded").set(rooms.len() as f64);
        true
    }
}

impl RoomLink {
    /// Hands a client frame to the live document; false when the live document is gone.
    pub async fn send(&self, frame: Bytes) -> bool {
        match &self.route {
            Route::Local { commands, .. } => {
                let arrived = std::time::Instant::now();
                commands.send(Command::Frame { conn: self.conn, frame, arrived }).await.is_ok()
            }
            Route::Remote(link) => link.send(frame).await,
        }
    }

    pub async fn leave(self) {
        match self.route {
            Route::Local { key, commands, rooms } => {
                if commands.send(Command::Disconnect { conn: self.conn }).await.is_err() {
                    rooms.forget(key, &commands);
                }
            }
            Route::Remote(link) => link.leave().await,
        }
    }
}

/// A connection as the live document task sees it.
struct Member {
    outbox: Outbox,
    /// Its participant: the author of its updates (from its identity, which the socket builds
    /// from the participant record).
    participant: Option<Uuid>,
    /// Whether it is the candidate's (their large code inserts are reported).
    candidate: bool,
}

impl Member {
    fn new(outbox: Outbox, perms: &ConnPermissions) -> Member {
        Member {
            outbox,
            participant: Uuid::parse_str(&perms.identity.participant_id).ok(),
            candidate: perms.identity.role == Role::Candidate.as_str(),
        }
    }
}

/// The refusal of a change that needs the instance owning the document while it (or Redis)
/// does not answer: the caller retries.
fn relay_unavailable() -> AppError {
    AppError::Unavailable {
        code: "relay_unavailable",
        message: "The server running this interview's editor cannot be reached right now. Try again in a few seconds."
            .into(),
        retry_after_secs: 2,
    }
}

/// The live document task: load, then serve commands until idle or broken.
async fn run_room(key: DocKey, setup: RoomSetup, mut inbox: mpsc::Receiver<Command>, rooms: LiveDocs) {
    let store = rooms.inner.store.clone();
    let relay = rooms.relay().cloned();
    let loaded = async {
        // Sharing the store with other instances: this one becomes the document's writer
        // before it reads it (every write carries the fence, and older fences are refused).
        let fence = match &relay {
            Some(relay) => {
                let owner = relay.instance().to_string();
                let fence = store.take_doc_lease(key.interview_id, key.doc_name(), &owner).await?;
                metrics::counter!("codeview_doc_lease_acquired_total").increment(1);
                Some(fence)
            }
            None => None,
        };
        let state = RoomState::read(&*store, key).await?;
        Ok::<_, crate::db::StoreError>((fence, state, store.load_document(key.interview_id, key.doc_name()).await?))
    };
    let (fence, state, stored) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => {
            tracing::error!(error = %err, interview_id = %key.interview_id, doc = key.doc_name(), "loading a document failed");
            rooms.try_unload(key, &inbox);
            if let Some(relay) = &relay {
                relay.release(key);
            }
            return;
        }
    };
    let loaded_bytes = stored_bytes(&stored);
    // The log holds the entries since the last seal; the snapshot has those up to its own.
    let tail = stored.updates.iter().filter(|u| u.seq > stored.snapshot_seq).map(|u| u.data.as_slice());
    let (room, report) = LiveDoc::load(key.kind, stored.snapshot.as_deref(), tail);
    let uncovered = Uncovered::loaded(stored.sealed_seq, stored.snapshot_seq, stored.updates);
    if !report.is_clean() {
        tracing::warn!(interview_id = %key.interview_id, doc = key.doc_name(), ?report, "document loaded without rejected entries");
    }
    let mut task = RoomTask {
        key,
        room,
        members: HashMap::new(),
        send_budget: RoomSendBudget::new(rooms.inner.send_budget.clone()),
        log: rooms.inner.log.clone(),
        lane: Arc::new(Lane::fenced(fence)),
        last_seq: stored.last_seq,
        uncovered: Uncovered::default(),
        compact_due: None,
        seal_due: None,
        snapshot_len: stored.snapshot.as_ref().map_or(0, Vec::len),
        live: rooms.inner.live.enter(setup.owner, key, loaded_bytes),
        language: setup.language,
        large_inserts: (key.kind == DocKind::Code).then(|| rooms.inner.large_inserts.clone()),
        store: store.clone(),
        history_bytes: u64::try_from(stored.history_bytes).unwrap_or(0),
        frame_arrived: None,
        handed_over: false,
    };
    task.history_bytes += uncovered.bytes() as u64;
    task.note_loaded(uncovered);
    task.room.set_read_only(state.read_only);
    task.check_history_room();
    task.room.set_editor_locked(state.editor_locked);
    if key.kind == DocKind::Code && task.room.language().is_none() && !state.read_only {
        let fx = task.room.set_language(setup.language.as_str());
        if !task.apply(fx, None).await {
            rooms.try_unload(key, &inbox);
            return;
        }
    }
    loop {
        let idle_deadline = task.members.is_empty().then(|| Instant::now() + IDLE_UNLOAD_AFTER);
        let tick_deadline = task.room.next_tick().map(Instant::from_std);
        let command = tokio::select! {
            command = inbox.recv() => command,
            feedback = task.lane.feedback() => {
                if let Some(err) = feedback.failed {
                    tracing::error!(error = %err, interview_id = %key.interview_id, "storing document updates failed");
                    break;
                }
                if !task.close_too_slow(feedback.too_slow).await { break; }
                continue;
            }
            () = sleep_until(tick_deadline) => {
                let fx = task.room.tick(std::time::Instant::now());
                if !task.apply(fx, None).await { break; }
                continue;
            }
            () = sleep_until(earliest(task.compact_due, task.seal_due)) => {
                let seal = task.seal_due.is_some_and(|due| due <= Instant::now());
                if task.compact(seal).await.is_err() { break; }
                continue;
            }
            () = sleep_until(idle_deadline) => {
                match task.compact(true).await {
                    Ok(Some(stored)) => { let _ = stored.await; }
                    Ok(None) => {}
                    Err(RoomBroken) => break,
                }
                if rooms.try_unload(key, &inbox) {
                    task.log.unloaded(key, task.last_seq);
                    task.repack_history();
                    if let Some(relay) = &relay {
                        relay.release(key);
                    }
                    return;
                }
                continue;
            }
        };
        let Some(command) = command else { break };
        if !task.handle(command).await {
            break;
        }
        if inbox.is_empty() {
            if task.room.needs_maintenance() {
                let fx = task.room.maintain();
                if !task.apply(fx, None).await {
                    break;
                }
            }
            if task.uncovered.since_snapshot() >= COMPACT_EVERY_UPDATES && task.compact(false).await.is_err() {
                break;
            }
        }
    }
    // Handed over (the instance is shutting down): the lease goes first, so that the instance
    // a client reconnects to takes the document at once. Broken (storage failed): the next
    // connection reloads it from the store.
    let close = if task.handed_over { SERVER_RESTARTING } else { (1011, "document unavailable, reconnecting") };
    if let Some(relay) = &relay
        && task.handed_over
    {
        relay.release_now(key).await;
    }
    rooms.inner.rooms.lock().expect("room registry").remove(&key);
    for member in task.members.values() {
        let _ = member.outbox.try_send(Outgoing::Close(close.0, close.1));
    }
    if let Some(relay) = &relay
        && !task.handed_over
    {
        relay.release(key);
    }
}

/// A stored document's size: its snapshot and the log entries after it.
fn stored_bytes(stored: &StoredDocument) -> u64 {
    let updates: usize = stored.updates.iter().map(|update| update.data.len()).sum();
    (stored.snapshot.as_ref().map_or(0, Vec::len) + updates) as u64
}

/// The earlier of two deadlines, if any.
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The live document could not store what it must: it stops (its clients reconnect and reload).
struct RoomBroken;

struct RoomTask {
    key: DocKey,
    room: LiveDoc,
    members: HashMap<ConnId, Member>,
    /// Large frames this live document has in flight to sockets.
    send_budget: RoomSendBudget,
    log: UpdateLog,
    /// This live document's writes in flight in the update log's writer.
    lane: Arc<Lane>,
    /// Sequence number of the newest log entry this live document wrote or loaded (the live
    /// document numbers its document's entries: one live document per document and process).
    last_seq: i64,
    /// The entries no history block holds yet.
    uncovered: Uncovered,
    /// When the next snapshot is due (set by the first entry after a snapshot).
    compact_due: Option<Instant>,
    /// When to seal the history's entries (`SEAL_AFTER` after the first unsealed one), on a
    /// store that keeps a journal.
    seal_due: Option<Instant>,
    /// Size of the last snapshot (sets how often the next ones are written).
    snapshot_len: usize,
    /// This document in its host account's live usage (removed when the task ends).
    live: LiveEntry,
    /// The interview's language, for a document that has none in `meta`.
    language: crate::domain::Language,
    /// Where the candidate's large inserts are reported (code documents only).
    large_inserts: Option<LargeInserts>,
    /// For repacking the document's history.
    store: Arc<dyn Store>,
    /// The update bytes of the document's history (`MAX_DOCUMENT_HISTORY_BYTES`).
    history_bytes: u64,
    /// When the client frame being handled arrived (for the edit latency metric).
    frame_arrived: Option<std::time::Instant>,
    /// It stopped to hand over (`Command::HandOver`), not because storing failed.
    handed_over: bool,
}

impl Drop for RoomTask {
    /// However the task ends (unloaded, broken, or a panic), writes it still has queued are
    /// dropped: the live document's successor reloads from the store and must not race with them.
    fn drop(&mut self) {
        self.lane.stop();
    }
}

impl RoomTask {
    /// Handles one command; false when the live document must stop.
    async fn handle(&mut self, command: Command) -> bool {
        match command {
            Command::Connect(joiner) => {
                let Joiner { conn, perms, outbox } = *joiner;
                self.members.insert(conn, Member::new(outbox.clone(), &perms));
                let frames = self.room.connect(conn, perms);
                self.send(Vec::new(), None, vec![Delivery { conn, outbox, frames }]).await
            }
            Command::Frame { conn, frame, arrived } => {
                if !self.members.contains_key(&conn) {
                    return true;
                }
                let fx = self.room.receive(conn, &frame);
                self.frame_arrived = Some(arrived);
                let applied = self.apply(fx, Some(conn)).await;
                self.frame_arrived = None;
                applied
            }
            Command::Disconnect { conn } => self.remove(conn).await,
            Command::Read(read) => {
                read(&self.room);
                true
            }
            Command::FillStarterCode { starters, reply } => {
                let language = self.room.language().unwrap_or_else(|| self.language.as_str().to_owned());
                let texts: Vec<(String, String)> = starters
                    .into_iter()
                    .filter_map(|(name, mut code)| code.remove(&language).map(|code| (name, code)))
                    .collect();
                let fx = self.room.fill_empty_texts(&texts);
                let stored = self.apply(fx, None).await;
                if stored {
                    let _ = reply.send(());
                }
                stored
            }
            Command::InterviewEnded => {
                self.room.set_read_only(true);
                // The code is final: its history too, sealed and merged into large blocks.
                match self.compact(true).await {
                    Ok(Some(stored)) => {
                        let (store, key) = (self.store.clone(), self.key);
                        tokio::spawn(async move {
                            if stored.await.is_ok() {
                                repack_history(store, key).await;
                            }
                        });
                        true
                    }
                    Ok(None) => {
                        self.repack_history();
                        true
                    }
                    Err(RoomBroken) => false,
                }
            }
            Command::EditorLocked(locked) => {
                self.room.set_editor_locked(locked);
                true
            }
            Command::LeaseLost => false,
            Command::HandOver => {
                // Everything pending stored (a snapshot behind the appends in flight): the
                // next owner loads it all. Then `run_room` releases the lease and closes.
                if let Ok(Some(stored)) = self.compact(true).await {
                    let _ = stored.await;
                }
                self.handed_over = true;
                false
            }
        }
    }

    async fn remove(&mut self, conn: ConnId) -> bool {
        if self.members.remove(&conn).is_none() {
            return true;
        }
        let fx = self.room.disconnect(conn);
        self.apply(fx, None).await
    }

    /// Carries out a live document's effects in the durable order: store, then reply and relay,
    /// then close. False when storage failed (the live document must stop rather than relay what it
    /// could not keep).
    async fn apply(&mut self, mut fx: Effects, sender: Option<ConnId>) -> bool {
        if fx.is_empty() {
            return true;
        }
        let mut closing = Vec::new();
        if !self.charge_large_frames(&mut fx)
            && let Some(sender) = sender
        {
            // A joiner's state (or the sender's large update, already accepted) does not fit
            // the send budget: stalled sockets hold it. The sender retries later.
            closing.push((sender, 1013, "try again later"));
        }
        let mut deliveries = Vec::new();
        if let Some((conn, member)) = sender.and_then(|id| self.members.get(&id).map(|m| (id, m)))
            && !fx.reply.is_empty()
        {
            deliveries.push(Delivery { conn, outbox: member.outbox.clone(), frames: std::mem::take(&mut fx.reply) });
        }
        if !fx.broadcast.is_empty() {
            for (id, member) in self.members.iter().filter(|(id, _)| Some(**id) != sender) {
                deliveries.push(Delivery { conn: *id, outbox: member.outbox.clone(), frames: fx.broadcast.clone() });
            }
        }
        let author = sender.and_then(|id| self.members.get(&id));
        // Rare (a candidate's long code update): a copy of the list, checked once it is stored.
        let large = author
            .filter(|member| member.candidate && self.large_inserts.is_some())
            .and_then(|member| member.participant)
            .filter(|_| fx.persist.iter().any(|u| u.len() >= super::large_inserts::LARGE_INSERT_CHARS))
            .map(|participant| (participant, fx.persist.clone()));
        let author = author.and_then(|member| member.participant);
        if !self.send(std::mem::take(&mut fx.persist), author, deliveries).await {
            return false;
        }
        if let (Some((participant, updates)), Some(inserts), Some(at)) =
            (large, &self.large_inserts, self.uncovered.last_at())
        {
            inserts.check(self.key.interview_id, participant, at, &updates);
        }
        if let Some(full) = fx.replace_log.take() {
            self.snapshot_len = full.len();
            self.live.resized(full.len() as u64);
            let sealed = (self.uncovered.for_snapshot(false), self.uncovered.sealed_seq());
            if self.log.compact(self.key, full, self.last_seq, sealed, &self.lane).await.await.is_err() {
                return false;
            }
            self.compacted();
        }
        if let (Some(sender), Some(CloseReason::Protocol(err))) = (sender, &fx.close) {
            tracing::info!(conn = sender.0, error = %err, "closing a connection that broke the protocol");
            closing.push((sender, 1008, "protocol violation"));
        }
        closing.extend(fx.close_others.iter().map(|id| (*id, 1008, "update rejected")));
        self.close_conns(closing).await
    }

    /// Swaps the large frames of `fx` for charged ones (`send_budget`). False when the budget
    /// has no room: the replies are then dropped (the sender must not wait for them), and
    /// broadcasts go out uncharged, since they are accepted and every peer must converge.
    fn charge_large_frames(&mut self, fx: &mut Effects) -> bool {
        let mut fits = true;
        for frame in &mut fx.reply {
            match self.send_budget.charge_state(frame) {
                Some(charged) => *frame = charged,
                None => fits = false,
            }
        }
        if !fits {
            fx.reply.clear();
        }
        for frame in &mut fx.broadcast {
            match self.send_budget.charge(frame) {
                Some(charged) => *frame = charged,
                None => fits = false,
            }
        }
        fits
    }

    /// Stores `updates` (if any, sent by `author`) and then hands out `deliveries`. While
    /// earlier writes are in flight, frames queue behind them in the writer (so nothing that
    /// depends on an unstored update leaves early); otherwise they go straight to the outboxes.
    /// False when the live document must stop.
    async fn send(&mut self, updates: Vec<Bytes>, author: Option<Uuid>, deliveries: Vec<Delivery>) -> bool {
        if updates.is_empty() && deliveries.is_empty() {
            return true;
        }
        if updates.is_empty() && !self.lane.busy() {
            let too_slow = deliver(deliveries);
            return too_slow.is_empty() || self.close_too_slow(too_slow).await;
        }
        let count = updates.len();
        let bytes = updates.iter().map(|u| u.len() as u64).sum();
        self.live.grew(bytes);
        self.history_bytes += bytes;
        self.check_history_room();
        let at = self.uncovered.accept_time();
        self.schedule_compaction(count);
        if !self.uncovered.has_unsealed() && self.log.keeps_journal() {
            self.seal_due = Some(Instant::now() + SEAL_AFTER);
        }
        self.uncovered.push(self.last_seq + 1, at, author, &updates);
        let accepted = (at, author, self.frame_arrived.take());
        if let Err(err) = self.log.append(self.key, self.last_seq, updates, accepted, deliveries, &self.lane).await {
            tracing::error!(error = %err, interview_id = %self.key.interview_id, "appending document updates failed");
            return false;
        }
        self.last_seq += count as i64;
        true
    }

    /// Makes the document read-only once its history is full (`MAX_DOCUMENT_HISTORY_BYTES`).
    fn check_history_room(&mut self) {
        if self.history_bytes >= MAX_DOCUMENT_HISTORY_BYTES && !self.room.is_read_only() {
            tracing::warn!(interview_id = %self.key.interview_id, doc = self.key.doc_name(), bytes = self.history_bytes,
                "the document's history is full: it takes no more updates");
            metrics::counter!("codeview_doc_history_full_total").increment(1);
            self.room.set_read_only(true);
        }
    }

    /// Takes the log entries loaded after the snapshot as the first not yet covered.
    fn note_loaded(&mut self, uncovered: Uncovered) {
        self.schedule_compaction(uncovered.since_snapshot());
        if uncovered.has_unsealed() && self.log.keeps_journal() {
            self.seal_due = Some(Instant::now() + SEAL_AFTER);
        }
        self.uncovered = uncovered;
    }

    /// Schedules a snapshot if `count` new log entries are the first since the last one and the
    /// store keeps a journal.
    fn schedule_compaction(&mut self, count: usize) {
        if self.uncovered.since_snapshot() == 0 && count > 0 && self.log.keeps_journal() {
            self.compact_due = Some(Instant::now() + compact_delay(self.snapshot_len));
        }
    }

    fn compacted(&mut self) {
        self.compact_due = None;
        if !self.uncovered.has_unsealed() {
            self.seal_due = None;
        }
    }

    /// Repacks the document's history on a task of its own (the document unloaded, or its
    /// interview ended).
    fn repack_history(&self) {
        tokio::spawn(repack_history(self.store.clone(), self.key));
    }

    /// Closes connections that could not keep up (they reconnect and re-sync).
    async fn close_too_slow(&mut self, conns: Vec<ConnId>) -> bool {
        self.close_conns(conns.into_iter().map(|id| (id, 1013, "too slow; reconnect")).collect()).await
    }

    /// Sends each connection its close code and reason, and removes it from the live document.
    async fn close_conns(&mut self, closing: Vec<(ConnId, u16, &'static str)>) -> bool {
        for (conn, code, reason) in closing {
            if let Some(member) = self.members.get(&conn) {
                let _ = member.outbox.try_send(Outgoing::Close(code, reason));
                metrics::counter!("codeview_doc_connections_closed_total", "reason" => reason).increment(1);
            }
            if !Box::pin(self.remove(conn)).await {
                return false;
            }
        }
        true
    }

    /// Queues the verified state as the snapshot covering the log so far, without waiting for
    /// it (await the answer for that), sealing the history's entries if `seal` (else if they
    /// are many); none when there is nothing to store. If storing it fails, the entries stay in the
    /// log (and the writer says so).
    async fn compact(
        &mut self,
        seal: bool,
    ) -> Result<Option<impl Future<Output = Result<(), String>> + use<>>, RoomBroken> {
        if self.uncovered.since_snapshot() == 0 && !(seal && self.uncovered.has_unsealed()) {
            self.seal_due = self.seal_due.filter(|_| self.uncovered.has_unsealed());
            return Ok(None);
        }
        let (state, fx) = self.room.snapshot();
        if !Box::pin(self.apply(fx, None)).await {
            return Err(RoomBroken);
        }
        self.snapshot_len = state.len();
        self.live.resized(state.len() as u64);
        let sealed = (self.uncovered.for_snapshot(seal), self.uncovered.sealed_seq());
        let stored = self.log.compact(self.key, state, self.last_seq, sealed, &self.lane).await;
        self.compacted();
        Ok(Some(stored))
    }
}

/// Merges the document's small history blocks (`history::repack`); a failure is only logged
/// (the blocks stay as they are, and are read as well).
async fn repack_history(store: Arc<dyn Store>, key: DocKey) {
    match crate::history::repack::repack(&*store, key.interview_id, key.doc_name()).await {
        Ok(0) => {}
        Ok(merged) => {
            tracing::debug!(interview_id = %key.interview_id, doc = key.doc_name(), merged, "history repacked")
        }
        Err(err) => {
            tracing::warn!(error = %err, interview_id = %key.interview_id, doc = key.doc_name(), "repacking history failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn larger_documents_snapshot_less_often_within_a_bound() {
        assert_eq!(compact_delay(0), COMPACT_AFTER);
        assert_eq!(compact_delay(SNAPSHOT_BYTES_PER_COMPACTION - 1), COMPACT_AFTER);
        assert_eq!(compact_delay(1 << 20), COMPACT_AFTER * 16, "a 1 MB document");
        assert_eq!(compact_delay(usize::MAX), COMPACT_AFTER_AT_MOST);
    }
}
