//! Per-account quotas: how much of the server one account may hold (open interviews,
//! questions, API tokens, code runs a day, live documents and their bytes, workspaces owned),
//! so that no account gets more than its share; and per-workspace ones (pending invites, and
//! the code runs a day a workspace's own settings allow). Each quota is a flag with an environment variable; a
//! request beyond one is refused with `quota_exceeded` (429 for counts, 413 for bytes) and
//! changes nothing.
//!
//! A check counts what the account holds, then the handler creates the new thing. Both happen
//! under the account's lock (`Quotas::lock`), so concurrent requests of one account cannot all
//! pass the same count: a lock of this process and, with Redis, a lock every instance respects
//! (`cluster::shared_lock`). While Redis does not answer, only the process's lock holds, and an
//! account can overshoot by at most one item per instance.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use clap::Args;
use tokio::sync::{Mutex, MutexGuard};

use crate::cluster::Cluster;
use crate::cluster::shared_lock::{SharedLockHeld, SharedLocks};
use uuid::Uuid;

// The defaults, for the flags and for `QuotaArgs::default()` alike.
const DEFAULT_OPEN_INTERVIEWS: u32 = 200;
const DEFAULT_QUESTIONS: u32 = 1000;
const DEFAULT_TOKENS: u32 = 20;
const DEFAULT_RUNS_PER_DAY: u32 = 2000;
const DEFAULT_WORKSPACES: u32 = 20;
const DEFAULT_PENDING_INVITES: u32 = 100;
const DEFAULT_LIVE_DOCUMENTS: u32 = 40;
const DEFAULT_LIVE_DOCUMENT_MIB: u32 = 128;

/// The limits, from the command line or the environment.
#[derive(Debug, Clone, Args)]
pub struct QuotaArgs {
    /// Interviews an account may have scheduled or live at once.
    #[arg(long = "quota-open-interviews", env = "CODEVIEW_QUOTA_OPEN_INTERVIEWS", default_value_t = DEFAULT_OPEN_INTERVIEWS)]
    pub open_interviews: u32,
    /// Questions an account may own.
    #[arg(long = "quota-questions", env = "CODEVIEW_QUOTA_QUESTIONS", default_value_t = DEFAULT_QUESTIONS)]
    pub questions: u32,
    /// Unexpired API tokens an account may hold.
    #[arg(long = "quota-tokens", env = "CODEVIEW_QUOTA_TOKENS", default_value_t = DEFAULT_TOKENS)]
    pub tokens: u32,
    /// Code runs a day in the interviews an account hosts (the candidate's runs included).
    #[arg(long = "quota-runs-per-day", env = "CODEVIEW_QUOTA_RUNS_PER_DAY", default_value_t = DEFAULT_RUNS_PER_DAY)]
    pub runs_per_day: u32,
    /// Documents of the interviews an account hosts that may be live (open in the editor) at once.
    #[arg(long = "quota-live-documents", env = "CODEVIEW_QUOTA_LIVE_DOCUMENTS", default_value_t = DEFAULT_LIVE_DOCUMENTS)]
    pub live_documents: u32,
    /// Total size of those live documents, in MiB.
    #[arg(long = "quota-live-document-mib", env = "CODEVIEW_QUOTA_LIVE_DOCUMENT_MIB", default_value_t = DEFAULT_LIVE_DOCUMENT_MIB)]
    pub live_document_mib: u32,
    /// Workspaces an account may own.
    #[arg(long = "quota-workspaces", env = "CODEVIEW_QUOTA_WORKSPACES", default_value_t = DEFAULT_WORKSPACES)]
    pub workspaces: u32,
    /// Invites a workspace may have pending (neither accepted nor expired) at once.
    #[arg(long = "quota-pending-invites", env = "CODEVIEW_QUOTA_PENDING_INVITES", default_value_t = DEFAULT_PENDING_INVITES)]
    pub pending_invites: u32,
}

impl Default for QuotaArgs {
    fn default() -> Self {
        QuotaArgs {
            open_interviews: DEFAULT_OPEN_INTERVIEWS,
            questions: DEFAULT_QUESTIONS,
            tokens: DEFAULT_TOKENS,
            runs_per_day: DEFAULT_RUNS_PER_DAY,
            live_documents: DEFAULT_LIVE_DOCUMENTS,
            live_document_mib: DEFAULT_LIVE_DOCUMENT_MIB,
            workspaces: DEFAULT_WORKSPACES,
            pending_invites: DEFAULT_PENDING_INVITES,
        }
    }
}

/// One quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    OpenInterviews,
    Questions,
    Tokens,
    RunsPerDay,
    LiveDocuments,
    LiveDocumentBytes,
    Workspaces,
    /// Per workspace.
    PendingInvites,
    /// Per workspace, set in its settings (not a flag): `Quotas::check_workspace_runs`.
    WorkspaceRunsPerDay,
}

impl Quota {
    /// What is counted, for the error message ("… its limit of 200 open interviews").
    fn noun(self) -> &'static str {
        match self {
            Quota::OpenInterviews => "open interviews (end or delete one first)",
            Quota::Questions => "questions (delete one first)",
            Quota::Tokens => "API tokens (revoke one first)",
            Quota::RunsPerDay => "code runs in 24 hours in the interviews it hosts",
            Quota::LiveDocuments => "documents open at once in the interviews it hosts",
            Quota::LiveDocumentBytes => "bytes of documents open at once in the interviews it hosts",
            Quota::Workspaces => "workspaces owned (delete one or pass its ownership first)",
            Quota::PendingInvites => "pending invites (revoke some first)",
            Quota::WorkspaceRunsPerDay => "code runs in 24 hours, set in its settings",
        }
    }

    /// Who holds it, for the error message.
    fn holder(self) -> &'static str {
        match self {
            Quota::PendingInvites | Quota::WorkspaceRunsPerDay => "workspace",
            _ => "account",
        }
    }

    /// Sizes are refused as too large (413), counts as too many (429).
    pub fn is_size(self) -> bool {
        self == Quota::LiveDocumentBytes
    }
}

/// Locks serialising each account's check-then-create; striped so their memory is fixed.
const LOCK_STRIPES: usize = 64;

/// The quotas and the per-account locks. Cheap to clone.
#[derive(Clone)]
pub struct Quotas {
    limits: Arc<QuotaArgs>,
    locks: Arc<[Mutex<()>; LOCK_STRIPES]>,
    /// The instances' shared locks, with Redis.
    shared: Option<SharedLocks>,
}

/// An account's lock, held until dropped.
pub struct QuotaLock<'a> {
    _local: MutexGuard<'a, ()>,
    _shared: Option<SharedLockHeld>,
}

impl Quotas {
    pub fn new(limits: QuotaArgs) -> Quotas {
        Quotas { limits: Arc::new(limits), locks: Arc::new(std::array::from_fn(|_| Mutex::new(()))), shared: None }
    }

    /// The same quotas, their locks shared with the other instances on `cluster`'s Redis.
    pub fn shared_across(self, cluster: &Cluster) -> Quotas {
        let shared = cluster.redis().map(|client| SharedLocks::new(client.clone(), "quota"));
        Quotas { shared, ..self }
    }

    fn limit(&self, quota: Quota) -> u64 {
        let l = &self.limits;
        match quota {
            Quota::OpenInterviews => l.open_interviews.into(),
            Quota::Questions => l.questions.into(),
            Quota::Tokens => l.tokens.into(),
            Quota::RunsPerDay => l.runs_per_day.into(),
            Quota::LiveDocuments => l.live_documents.into(),
            Quota::LiveDocumentBytes => u64::from(l.live_document_mib) << 20,
            Quota::Workspaces => l.workspaces.into(),
            Quota::PendingInvites => l.pending_invites.into(),
            Quota::WorkspaceRunsPerDay => u64::MAX,
        }
    }

    /// Refuses one more when `held` already reaches the limit.
    pub fn check(&self, quota: Quota, held: i64) -> Result<(), QuotaExceeded> {
        self.check_adding(quota, u64::try_from(held).unwrap_or(0), 1)
    }

    /// Refuses `adding` more when `held + adding` would pass the limit.
    pub fn check_adding(&self, quota: Quota, held: u64, adding: u64) -> Result<(), QuotaExceeded> {
        let limit = self.limit(quota);
        if held.saturating_add(adding) > limit { Err(QuotaExceeded { quota, limit }) } else { Ok(()) }
    }

    /// Refuses one more run when a workspace's own limit (`runs_per_day`) is reached.
    pub fn check_workspace_runs(&self, limit: i32, held: i64) -> Result<(), QuotaExceeded> {
        let limit = u64::try_from(limit).unwrap_or(0);
        if u64::try_from(held).unwrap_or(0) >= limit {
            Err(QuotaExceeded { quota: Quota::WorkspaceRunsPerDay, limit })
        } else {
            Ok(())
        }
    }

    /// Holds `account`'s lock: take it before counting and keep it until the new thing is stored.
    /// This process's lock comes first, so one request per process waits on the shared one.
    pub async fn lock(&self, account: Uuid) -> QuotaLock<'_> {
        let mut hasher = DefaultHasher::new();
        account.hash(&mut hasher);
        let local = self.locks[hasher.finish() as usize % LOCK_STRIPES].lock().await;
        let shared = match &self.shared {
            Some(shared) => shared.acquire(&account.to_string()).await,
            None => None,
        };
        QuotaLock { _local: local, _shared: shared }
    }
}

/// A refusal: one more would pass `quota`'s `limit`. Nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaExceeded {
    pub quota: Quota,
    pub limit: u64,
}

impl QuotaExceeded {
    /// What the person is told.
    pub fn message(self) -> String {
        format!("This {} has reached its limit of {} {}.", self.quota.holder(), self.limit, self.quota.noun())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_itself_is_allowed_and_one_more_is_refused() {
        let quotas = Quotas::new(QuotaArgs { questions: 2, ..QuotaArgs::default() });
        assert!(quotas.check(Quota::Questions, 1).is_ok());
        assert!(matches!(quotas.check(Quota::Questions, 2), Err(QuotaExceeded { limit: 2, .. })));
    }

    #[test]
    fn sizes_count_the_bytes_being_added() {
        let quotas = Quotas::new(QuotaArgs { live_document_mib: 1, ..QuotaArgs::default() });
        assert!(quotas.check_adding(Quota::LiveDocumentBytes, 512 << 10, 512 << 10).is_ok());
        assert!(quotas.check_adding(Quota::LiveDocumentBytes, 512 << 10, (512 << 10) + 1).is_err());
    }
}
