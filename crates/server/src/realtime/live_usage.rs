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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::types::DocKey;
use crate::quotas::{Quota, QuotaExceeded, Quotas};

/// Growth of a document's size estimate between two reports.
const REPORT_EVERY_BYTES: u64 = 64 * 1024;

/// Live documents by owning account. A std mutex: held for map operations only.
#[derive(Default)]
pub struct LiveUsage {
    owners: Mutex<HashMap<Uuid, HashMap<DocKey, u64>>>,
}

impl LiveUsage {
    /// Refuses to load `key` for `owner` past the owner's quotas; a live `key` always passes.
    pub fn admit(&self, owner: Uuid, key: DocKey, quotas: &Quotas) -> Result<(), QuotaExceeded> {
        let owners = self.owners.lock().expect("live usage");
        let Some(docs) = owners.get(&owner) else { return Ok(()) };
        if docs.contains_key(&key) {
            return Ok(());
        }
        quotas.check(Quota::LiveDocuments, i64::try_from(docs.len()).unwrap_or(i64::MAX))?;
        quotas.check_adding(Quota::LiveDocumentBytes, docs.values().sum(), 1)
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

    #[test]
    fn a_new_document_is_refused_at_the_count_quota_but_a_live_one_is_joined() {
        let usage = Arc::new(LiveUsage::default());
        let quotas = Quotas::new(QuotaArgs { live_documents: 1, ..QuotaArgs::default() });
        let owner = Uuid::now_v7();
        let _code = usage.enter(owner, key(DocKind::Code), 10);
        assert!(usage.admit(owner, key(DocKind::Code), &quotas).is_ok());
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).is_err());
        assert!(usage.admit(Uuid::now_v7(), key(DocKind::Notes), &quotas).is_ok(), "another account");
    }

    #[test]
    fn bytes_count_once_reported_and_unloading_frees_them() {
        let usage = Arc::new(LiveUsage::default());
        let quotas = Quotas::new(QuotaArgs { live_document_mib: 1, ..QuotaArgs::default() });
        let owner = Uuid::now_v7();
        let mut code = usage.enter(owner, key(DocKind::Code), 0);
        code.grew(REPORT_EVERY_BYTES - 1);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).is_ok());
        code.resized(1 << 20);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).is_err());
        drop(code);
        assert!(usage.admit(owner, key(DocKind::Notes), &quotas).is_ok());
    }
}
