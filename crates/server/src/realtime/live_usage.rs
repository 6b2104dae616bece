//! The live documents of each account's interviews and their sizes, for the account's quotas
//! (`crate::quotas`: documents open at once and their total bytes). A document counts against
//! the interview's host from the moment its live document loads until it unloads.
//!
//! Opening a document that is not live yet is refused when the host's account already holds
//! its quota of live documents or bytes; a document already live can always be joined. Each
//! live document is also bounded on its own (`codeview_collab::Limits::max_doc_bytes`), so an
//! account's live bytes stay under its quota plus one document's bound per live document.
//! Sizes are the live document's estimate (last snapshot plus the entries since), updated at load, at
//! each snapshot, and every `REPORT_EVERY_BYTES` of growth — not at every edit.
//!
//! With several instances on one Redis the quotas hold across them (`shared_usage`): each
//! instance publishes its figures per account, and a document that is live nowhere is admitted
//! against the sum. When Redis does not answer, each instance counts its own documents.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use uuid::Uuid;

use super::shared_usage::{Admission, Figures, SharedUsage};
use super::types::DocKey;
use crate::quotas::{Quota, QuotaExceeded, Quotas};

/// Growth of a document's size estimate between two reports.
const REPORT_EVERY_BYTES: u64 = 64 * 1024;

/// Live documents by owning account. A std mutex: held for map operations only.
#[derive(Default)]
pub struct LiveUsage {
    owners: Mutex<HashMap<Uuid, HashMap<DocKey, u64>>>,
    /// Set once the instance shares Redis with others (`share`).
    shared: OnceLock<Arc<SharedUsage>>,
}

impl LiveUsage {
    /// Counts the quotas across the instances sharing `shared`'s Redis from now on.
    pub fn share(self: &Arc<Self>, shared: SharedUsage) {
        let shared = Arc::new(shared);
        if self.shared.set(shared.clone()).is_ok() {
            let usage = Arc::downgrade(self);
            tokio::spawn(super::shared_usage::publish_regularly(shared, move || usage.upgrade().map(|u| u.figures())));
        }
    }

    /// Refuses to load `key` for `owner` past the owner's quotas; a live `key` always passes
    /// (here, or with Redis on any instance).
    pub async fn admit(&self, owner: Uuid, key: DocKey, quotas: &Quotas) -> Result<(), QuotaExceeded> {
        let Some(mut figures) = self.figures_without(owner, key) else { return Ok(()) };
        if let Some(shared) = self.shared.get() {
            match shared.admission(owner, key, figures).await {
                Ok(Admission::LiveElsewhere) => return Ok(()),
                Ok(Admission::New(total)) => figures = total,
                Err(_) => {} // Redis does not answer: this instance's own figures decide.
            }
        }
        quotas.check(Quota::LiveDocuments, i64::try_from(figures.docs).unwrap_or(i64::MAX))?;
        quotas.check_adding(Quota::LiveDocumentBytes, figures.bytes, 1)
    }

    /// `owner`'s figures here, or `None` when `key` is live here.
    fn figures_without(&self, owner: Uuid, key: DocKey) -> Option<Figures> {
        let owners = self.owners.lock().expect("live usage");
        let Some(docs) = owners.get(&owner) else { return Some(Figures::default()) };
        if docs.contains_key(&key) {
            return None;
        }
        Some(Figures { docs: docs.len() as u64, bytes: docs.values().sum() })
    }

    /// Every account's figures here.
    pub fn figures(&self) -> HashMap<Uuid, Figures> {
        let owners = self.owners.lock().expect("live usage");
        owners
            .iter()
            .map(|(owner, docs)| (*owner, Figures { docs: docs.len() as u64, bytes: docs.values().sum() }))
            .collect()
    }

    /// Registers a loaded document of `owner` with its size; forgotten when the entry drops.
    pub fn enter(self: &Arc<Self>, owner: Uuid, key: DocKey, bytes: u64) -> LiveEntry {
        self.set(owner, key, bytes);
        LiveEntry { usage: self.clone(), owner, key, bytes, reported: bytes }
    }

    fn set(&self, owner: Uuid, key: DocKey, bytes: u64) {
        self.owners.lock().expect("live usage").entry(owner).or_default().insert(key, bytes);
    }

    fn forget(&self, owner: Uuid, key: DocKey) {
        let mut owners = self.owners.lock().expect("live usage");
        if let Some(docs) = owners.get_mut(&owner) {
            docs.remove(&key);
            if docs.is_empty() {
                owners.remove(&owner);
            }
        }
    }
}

/// One live document's place in its owner's usage, held by its live document task.
pub struct LiveEntry {
    usage: Arc<LiveUsage>,
    owner: Uuid,
    key: DocKey,
    /// The live document's current size estimate.
    bytes: u64,
    /// The estimate last written to the registry.
    reported: u64,
}

impl LiveEntry {
    /// The document grew by `bytes` (new log entries).
    pub fn grew(&mut self, bytes: u64) {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes.saturating_sub(self.reported) >= REPORT_EVERY_BYTES {
            self.report();
        }
    }

    /// The document was snapshotted at `bytes`.
    pub fn resized(&mut self, bytes: u64) {
        self.bytes = bytes;
        self.report();
    }

    fn report(&mut self) {
        self.reported = self.bytes;
        self.usage.set(self.owner, self.key, self.bytes);
    }
}

impl Drop for LiveEntry {
    fn drop(&mut self) {
        self.usage.forget(self.owner, self.key);
    }
}

#[cfg(test)]
mod tests {
    use codeview_collab::DocKind;

    use super::*;
    use crate::quotas::QuotaArgs;

    fn key(kind: DocKind) -> DocKey {
        DocKey { interview_id: Uuid::nil(), kind }
    }

    #[tokio::test]
    async fn a_new_document_is_refused_at_the_count_quota_but_a_live_one_is_joined() {
        let usage = Arc::new(LiveUsage::default());
        let quotas = Quotas::new(QuotaArgs { live_documents: 1, ..QuotaArgs::default() });
        let owner = Uuid::now_v7();
        let _code = usage.enter(owner, key(DocKind::Code), 10);
        assert!(usage.admit(owner, key(DocKind::Code), &quotas).await.is_ok());
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).await.is_err());
        assert!(usage.admit(Uuid::now_v7(), key(DocKind::Notes), &quotas).await.is_ok(), "another account");
    }

    #[tokio::test]
    async fn bytes_count_once_reported_and_unloading_frees_them() {
        let usage = Arc::new(LiveUsage::default());
        let quotas = Quotas::new(QuotaArgs { live_document_mib: 1, ..QuotaArgs::default() });
        let owner = Uuid::now_v7();
        let mut code = usage.enter(owner, key(DocKind::Code), 0);
        code.grew(REPORT_EVERY_BYTES - 1);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).await.is_ok());
        code.resized(1 << 20);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).await.is_err());
        drop(code);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).await.is_ok());
    }
}
