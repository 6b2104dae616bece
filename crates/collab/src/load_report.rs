//! What `LiveDoc::load` reports about stored data it had to leave out (corrupt or poisonous
//! snapshot or log entries). The live document itself always loads; this is for logs and metrics.

/// What `LiveDoc::load` had to leave out. Anything here means data was refused: log it loudly
/// and compact (write `LiveDoc::snapshot()`, drop the log) so it is not refused on every load.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Why the snapshot was refused (the live document then starts from the log alone).
    pub snapshot_rejected: Option<String>,
    /// Log entries that were refused, by position in the iterator given to `load`.
    pub skipped_updates: Vec<SkippedUpdate>,
}

impl LoadReport {
    /// True when everything stored was loaded.
    pub fn is_clean(&self) -> bool {
        self.snapshot_rejected.is_none() && self.skipped_updates.is_empty()
    }
}

/// One refused log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedUpdate {
    /// Position in the update iterator given to `LiveDoc::load`.
    pub index: usize,
    /// Why it was refused.
    pub reason: String,
}
