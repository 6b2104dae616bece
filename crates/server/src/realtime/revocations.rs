//! Sockets close the moment their right is gone. A socket checks access once, when it opens;
//! everything that can take that access away afterwards — removing a participant, removing a
//! member from the interview's workspace (or deleting it), ending the interview (for its
//! candidate), deleting it, signing out, ending a session, revoking or expiring a token,
//! retiring the candidate's invite — tells this hub, and the hub revokes
//! every socket opened with that credential or participant (close code 4401 when the
//! credential is gone, 4403 when the right is).
//!
//! Changes made by another process (a second server on the same database) or raced with a
//! socket's opening are caught by a re-validation of every open socket against the store
//! every few seconds, a handful of batched queries whatever the number of sockets.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use uuid::Uuid;

use crate::db::{Store, StoreResult};
use crate::domain::{InterviewStatus, Role};
use crate::extract::Credential;

/// How often open sockets are checked against the store (the safety net for changes this
/// process was not told about).
pub const REVALIDATE_EVERY: Duration = Duration::from_secs(5);

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
}

struct Hub {
    /// Open sockets by registration id. A std mutex: held for map operations only, never
    /// across an await.
    sockets: Mutex<HashMap<u64, Entry>>,
    next_id: AtomicU64,
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
    /// hub is dropped).
    pub fn start(store: Arc<dyn Store>) -> Revocations {
        let hub =
            Revocations { inner: Arc::new(Hub { sockets: Mutex::new(HashMap::new()), next_id: AtomicU64::new(1) }) };
        tokio::spawn(keep_revalidating(Arc::downgrade(&hub.inner), store));
        hub
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
        self.revoke_where(
            |g| g.interview_id == interview_id && g.participant_id == participant_id,
            right_gone("removed from the interview"),
        );
    }

    /// The candidate's sockets close; interviewers keep theirs.
    pub fn interview_ended(&self, interview_id: Uuid) {
        self.revoke_where(
            |g| g.interview_id == interview_id && g.role == Role::Candidate,
            right_gone("the interview has ended"),
        );
    }

    pub fn interview_deleted(&self, interview_id: Uuid) {
        self.revoke_where(|g| g.interview_id == interview_id, right_gone("the interview was deleted"));
    }

    /// The candidate's sessions ended (their invite was retired).
    pub fn candidate_signed_out(&self, interview_id: Uuid) {
        self.revoke_where(
            |g| {
                g.interview_id == interview_id
                    && g.role == Role::Candidate
                    && matches!(g.credential, Credential::Session { .. })
            },
            credential_gone("signed out"),
        );
    }

    pub fn session_ended(&self, id_hash: &str) {
        self.revoke_where(
            |g| matches!(&g.credential, Credential::Session { id_hash: h, .. } if h == id_hash),
            credential_gone("signed out"),
        );
    }

    pub fn token_revoked(&self, token_id: Uuid) {
        self.revoke_where(
            |g| matches!(g.credential, Credential::Token { id } if id == token_id),
            credential_gone("token revoked"),
        );
    }

    /// Every socket closes with 1012: this instance is shutting down, and reconnecting (to
    /// another instance behind the load balancer, or to this one restarted) will work.
    pub fn server_restarting(&self) {
        self.revoke_where(|_| true, Revoked { code: 1012, reason: "server restarting" });
    }

    /// How many sockets are registered (open) right now.
    pub fn open_sockets(&self) -> usize {
        self.inner.sockets.lock().expect("socket registry").len()
    }

    fn revoke_where(&self, doomed: impl Fn(&SocketGrant) -> bool, revoked: Revoked) {
        self.inner.revoke(|entry| doomed(&entry.grant).then_some(revoked));
    }
}

impl Hub {
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

async fn keep_revalidating(hub: Weak<Hub>, store: Arc<dyn Store>) {
    let mut tick = tokio::time::interval(REVALIDATE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(hub) = hub.upgrade() else { return };
        if let Err(err) = hub.revalidate(&*store).await {
            tracing::warn!(error = %err, "re-validating open sockets failed");
        }
    }
}
