//! Sockets close the moment their right is gone. A socket checks access once, when it opens;
//! everything that can take that access away afterwards — removing a participant, removing a
//! member from the interview's workspace (or deleting it), ending the interview (for its
//! candidate), deleting it, signing out, ending a session, revoking or expiring a token,
//! retiring the candidate's invite — tells this hub with a [`Notice`], and the hub revokes
//! every socket opened with that credential or participant (close code 4401 when the
//! credential is gone, 4403 when the right is).
//!
//! With several server instances (`--redis-url`), each notice also goes to every other
//! instance through Redis, which applies it to its own sockets the same way (`cross_instance`).
//! Changes the hub was not told about (made straight in the store, or missed while Redis was
//! away) or raced with a socket's opening are caught by a re-validation of every open socket
//! against the store every few seconds, a handful of batched queries whatever the number of
//! sockets.

mod cross_instance;
pub mod notice;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, broadcast, watch};
use uuid::Uuid;

use crate::cluster::Cluster;
use crate::db::{Store, StoreResult};
use crate::domain::{InterviewStatus, Role};
use crate::extract::Credential;
pub use cross_instance::CHANNEL;
pub use notice::Notice;

/// How often open sockets are checked against the store (the safety net for changes this
/// process was not told about).
pub const REVALIDATE_EVERY: Duration = Duration::from_secs(5);
/// Notices from other instances kept for a slow `heard_from_others` receiver.
pub const HEARD_CAPACITY: usize = 256;

/// Why a socket must close: the WebSocket close code and a reason for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revoked {
    pub code: u16,
    pub reason: &'static str,
}

/// The session or token is gone: signing in again may help.
const fn credential_gone(reason: &'static str) -> Revoked {
    Revoked { code: 4401, reason }
}

/// The caller no longer has this right: reconnecting will not help.
const fn right_gone(reason: &'static str) -> Revoked {
    Revoked { code: 4403, reason }
}

/// What a socket was opened with.
#[derive(Debug, Clone)]
pub struct SocketGrant {
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    /// The account whose place it is (`None` for the candidate).
    pub user_id: Option<Uuid>,
    pub role: Role,
    pub credential: Credential,
}

/// The hub. Cheap to clone.
#[derive(Clone)]
pub struct Revocations {
    inner: Arc<Hub>,
    /// Tells the other instances (with Redis).
    others: Option<cross_instance::Publisher>,
}

struct Hub {
    /// Open sockets by registration id. A std mutex: held for map operations only, never
    /// across an await.
    sockets: Mutex<HashMap<u64, Entry>>,
    next_id: AtomicU64,
    /// Asks for a re-validation now rather than at the next tick (notices may have been missed).
    revalidate_now: Arc<Notify>,
    /// The notices heard from other instances, for what else this process must stop (a
    /// terminal session): see `Revocations::heard_from_others`.
    heard: broadcast::Sender<Notice>,
}

struct Entry {
    grant: SocketGrant,
    verdict: watch::Sender<Option<Revoked>>,
}

/// A socket's registration: it learns here when its right is gone. Dropping it unregisters.
pub struct SocketRights {
    id: u64,
    role: Role,
    verdict: watch::Receiver<Option<Revoked>>,
    hub: Arc<Hub>,
}

impl SocketRights {
    /// The role the socket was opened with; it stays true for as long as the socket is not
    /// revoked (a changed role revokes it).
    pub fn role(&self) -> Role {
        self.role
    }

    /// The revocation, if it has happened: checked before every event a socket sends, so an
    /// event that raced with the revocation is not delivered.
    pub fn revoked_now(&self) -> Option<Revoked> {
        *self.verdict.borrow()
    }

    /// Resolves when the socket's right is gone. Cancel-safe (for `select!`).
    pub async fn revoked(&mut self) -> Revoked {
        loop {
            if let Some(revoked) = *self.verdict.borrow_and_update() {
                return revoked;
            }
            if self.verdict.changed().await.is_err() {
                // The sender lives in the hub until this registration drops.
                std::future::pending::<()>().await;
            }
        }
    }
}

impl Drop for SocketRights {
    fn drop(&mut self) {
        self.hub.sockets.lock().expect("socket registry").remove(&self.id);
    }
}

impl Revocations {
    /// The hub, with its periodic re-validation against `store` started (it stops when the
    /// hub is dropped) and, when `cluster` shares Redis, its notices crossing instances.
    pub fn start(store: Arc<dyn Store>, cluster: &Cluster) -> Revocations {
        let inner = Arc::new(Hub::new());
        tokio::spawn(keep_revalidating(Arc::downgrade(&inner), inner.revalidate_now.clone(), store));
        let others = cross_instance::start(cluster, Arc::downgrade(&inner));
        Revocations { inner, others }
    }

    /// The notices heard from other instances from now on (this instance's own are not in
    /// it: whoever makes one acts on this process directly). A receiver that falls more than
    /// [`HEARD_CAPACITY`] behind loses the oldest.
    pub fn heard_from_others(&self) -> broadcast::Receiver<Notice> {
        self.inner.heard.subscribe()
    }

    /// Registers an open socket.
    pub fn register(&self, grant: SocketGrant) -> SocketRights {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let (verdict, watcher) = watch::channel(None);
        let role = grant.role;
        self.inner.sockets.lock().expect("socket registry").insert(id, Entry { grant, verdict });
        SocketRights { id, role, verdict: watcher, hub: self.inner.clone() }
    }

    pub fn participant_removed(&self, interview_id: Uuid, participant_id: Uuid) {
        self.announce(Notice::ParticipantRemoved { interview_id, participant_id });
    }

    /// The candidate's sockets close; interviewers keep theirs.
    pub fn interview_ended(&self, interview_id: Uuid) {
        self.announce(Notice::InterviewEnded { interview_id });
    }

    pub fn interview_deleted(&self, interview_id: Uuid) {
        self.announce(Notice::InterviewDeleted { interview_id });
    }

    /// The candidate's sessions ended (their invite was retired).
    pub fn candidate_signed_out(&self, interview_id: Uuid) {
        self.announce(Notice::CandidateSignedOut { interview_id });
    }

    pub fn session_ended(&self, id_hash: &str) {
        self.announce(Notice::SessionEnded { id_hash: id_hash.to_owned() });
    }

    pub fn token_revoked(&self, token_id: Uuid) {
        self.announce(Notice::TokenRevoked { token_id });
    }

    /// Applies `notice` to this instance's sockets at once, then tells the other instances.
    fn announce(&self, notice: Notice) {
        self.inner.apply(&notice);
        if let Some(others) = &self.others {
            others.publish(notice);
        }
    }

    /// Every socket closes with 1012: this instance is shutting down, and reconnecting (to
    /// another instance behind the load balancer, or to this one restarted) will work.
    pub fn server_restarting(&self) {
        let (code, reason) = crate::realtime::doc_relay::SERVER_RESTARTING;
        self.inner.revoke(|_| Some(Revoked { code, reason }));
    }

    /// How many sockets are registered (open) right now.
    pub fn open_sockets(&self) -> usize {
        self.inner.sockets.lock().expect("socket registry").len()
    }
}

impl Hub {
    fn new() -> Hub {
        Hub {
            sockets: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            revalidate_now: Arc::new(Notify::new()),
            heard: broadcast::channel(HEARD_CAPACITY).0,
        }
    }

    /// Applies a notice another instance made, and passes it on.
    fn apply_heard(&self, notice: Notice) {
        self.apply(&notice);
        // Nobody listening is fine.
        let _ = self.heard.send(notice);
    }

    /// Revokes the sockets `notice` names.
    fn apply(&self, notice: &Notice) {
        self.revoke(|entry| verdict(notice, &entry.grant));
    }

    /// Revokes each socket for which `verdict` says so (once: a socket keeps its first reason).
    fn revoke(&self, verdict: impl Fn(&Entry) -> Option<Revoked>) {
        let sockets = self.sockets.lock().expect("socket registry");
        for entry in sockets.values() {
            if entry.verdict.borrow().is_some() {
                continue;
            }
            if let Some(revoked) = verdict(entry) {
                metrics::counter!("codeview_sockets_revoked_total", "reason" => revoked.reason).increment(1);
                entry.verdict.send_replace(Some(revoked));
            }
        }
    }

    /// Checks every open socket's credential and participant against the store.
    async fn revalidate(&self, store: &dyn Store) -> StoreResult<()> {
        let grants: Vec<SocketGrant> = {
            let sockets = self.sockets.lock().expect("socket registry");
            sockets.values().filter(|e| e.verdict.borrow().is_none()).map(|e| e.grant.clone()).collect()
        };
        if grants.is_empty() {
            return Ok(());
        }
        let mut sessions = HashSet::new();
        let mut tokens = HashSet::new();
        let mut participants = HashSet::new();
        for grant in &grants {
            match &grant.credential {
                Credential::Session { id_hash, .. } => sessions.insert(id_hash.clone()),
                Credential::Token { id } => tokens.insert(*id),
            };
            participants.insert(grant.participant_id);
        }
        let now = Utc::now();
        let query_sessions: Vec<String> = sessions.iter().cloned().collect();
        let query_tokens: Vec<Uuid> = tokens.iter().copied().collect();
        let query_participants: Vec<Uuid> = participants.iter().copied().collect();
        let live_sessions: HashSet<String> = store.live_sessions(&query_sessions, now).await?.into_iter().collect();
        let live_tokens: HashSet<Uuid> = store.live_api_tokens(&query_tokens, now).await?.into_iter().collect();
        let standings: HashMap<Uuid, (Option<Uuid>, Role, InterviewStatus)> = store
            .participant_standings(&query_participants)
            .await?
            .into_iter()
            .map(|s| (s.id, (s.user_id, s.role, s.status)))
            .collect();
        self.revoke(|entry| {
            let grant = &entry.grant;
            let credential_alive = match &grant.credential {
                Credential::Session { id_hash, .. } => live_sessions.contains(id_hash),
                Credential::Token { id } => live_tokens.contains(id),
            };
            // Sockets registered after the snapshot above are judged next time.
            let judged = match &grant.credential {
                Credential::Session { id_hash, .. } => sessions.contains(id_hash),
                Credential::Token { id } => tokens.contains(id),
            } && participants.contains(&grant.participant_id);
            if !judged {
                return None;
            }
            if !credential_alive {
                return Some(credential_gone("signed out or expired"));
            }
            let Some((user_id, role, status)) = standings.get(&grant.participant_id) else {
                return Some(right_gone("removed from the interview"));
            };
            if *user_id != grant.user_id {
                return Some(right_gone("removed from the interview"));
            }
            if *role != grant.role {
                return Some(right_gone("role changed"));
            }
            let ended = *status == InterviewStatus::Ended;
            (grant.role == Role::Candidate && ended).then_some(right_gone("the interview has ended"))
        });
        Ok(())
    }
}

/// Re-validates every `REVALIDATE_EVERY`, and at once when `asked`; holds the hub only while
/// re-validating, so that dropping it stops the task.
/// Whether `notice` takes away the right `grant`'s socket was opened with, and why.
fn verdict(notice: &Notice, grant: &SocketGrant) -> Option<Revoked> {
    let (doomed, revoked) = match notice {
        Notice::ParticipantRemoved { interview_id, participant_id } => (
            grant.interview_id == *interview_id && grant.participant_id == *participant_id,
            right_gone("removed from the interview"),
        ),
        Notice::InterviewEnded { interview_id } => (
            grant.interview_id == *interview_id && grant.role == Role::Candidate,
            right_gone("the interview has ended"),
        ),
        Notice::InterviewDeleted { interview_id } => {
            (grant.interview_id == *interview_id, right_gone("the interview was deleted"))
        }
        Notice::CandidateSignedOut { interview_id } => (
            grant.interview_id == *interview_id
                && grant.role == Role::Candidate
                && matches!(grant.credential, Credential::Session { .. }),
            credential_gone("signed out"),
        ),
        Notice::SessionEnded { id_hash } => (
            matches!(&grant.credential, Credential::Session { id_hash: h, .. } if h == id_hash),
            credential_gone("signed out"),
        ),
        Notice::TokenRevoked { token_id } => {
            (matches!(grant.credential, Credential::Token { id } if id == *token_id), credential_gone("token revoked"))
        }
    };
    doomed.then_some(revoked)
}

async fn keep_revalidating(hub: Weak<Hub>, asked: Arc<Notify>, store: Arc<dyn Store>) {
    let mut tick = tokio::time::interval(REVALIDATE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = asked.notified() => tick.reset(),
        }
        let Some(hub) = hub.upgrade() else { return };
        if let Err(err) = hub.revalidate(&*store).await {
            tracing::warn!(error = %err, "re-validating open sockets failed");
        }
    }
}
