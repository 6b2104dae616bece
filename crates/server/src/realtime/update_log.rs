//! Group commit for the document update log. Every room must have its updates stored before
//! it relays them; one transaction per update made the rooms queue for SQLite's write lock
//! (p99 over a second at 2,000 edits/s). Instead, one writer task per process takes whatever
//! appends are waiting — from any number of rooms — and stores them in one transaction, then
//! releases each room to relay. Under light load a batch is one update and costs one commit;
//! under heavy load the commits are shared, so throughput grows with the load. The writer also
//! checkpoints SQLite's write-ahead log every second on a task of its own, so no commit pays
//! for a checkpoint.

use bytes::Bytes;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

use super::doc_rooms::DocKey;
use crate::db::{DocAppend, Store};

/// Appends waiting for the writer; rooms wait when it is full (backpressure).
const QUEUE_CAPACITY: usize = 4096;
/// Appends per transaction at most.
const MAX_BATCH: usize = 512;
/// How often the database's write-ahead log is checkpointed, beside (not inside) commits.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A room's request: store these updates, then answer with the document's newest sequence
/// number (or why storing failed).
struct Append {
    key: DocKey,
    updates: Vec<Bytes>,
    stored: oneshot::Sender<Result<i64, String>>,
}

/// The handle rooms append through. Cheap to clone.
#[derive(Clone)]
pub struct UpdateLog {
    appends: mpsc::Sender<Append>,
}

impl UpdateLog {
    /// Starts the writer task of this process.
    pub fn start(store: Arc<dyn Store>) -> UpdateLog {
        let (appends, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(store, queue));
        UpdateLog { appends }
    }

    /// Stores `updates` durably; returns the document's newest sequence number.
    pub async fn append(&self, key: DocKey, updates: Vec<Bytes>) -> Result<i64, String> {
        let (stored, answer) = oneshot::channel();
        self.appends.send(Append { key, updates, stored }).await.map_err(|_| "the update log writer stopped")?;
        answer.await.map_err(|_| "the update log writer stopped".to_owned())?
    }
}

async fn write_batches(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Append>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut checkpoint_due = tokio::time::interval(CHECKPOINT_EVERY);
    checkpoint_due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut checkpoint: Option<tokio::task::JoinHandle<()>> = None;
    loop {
        let received = tokio::select! {
            received = queue.recv_many(&mut batch, MAX_BATCH) => received,
            _ = checkpoint_due.tick() => {
                // On its own connection and task, so commits go on meanwhile; never two at once.
                if checkpoint.as_ref().is_none_or(|running| running.is_finished()) {
                    let store = store.clone();
                    checkpoint = Some(tokio::spawn(async move {
                        if let Err(err) = store.checkpoint_log().await {
                            tracing::warn!(error = %err, "checkpointing the database log failed");
                        }
                    }));
                }
                continue;
            }
        };
        if received == 0 {
            break;
        }
        let entries: Vec<DocAppend<'_>> = batch
            .iter()
            .map(|a| DocAppend { interview_id: a.key.interview_id, doc: a.key.doc_name(), updates: &a.updates })
            .collect();
        let result = store.append_document_updates(&entries).await;
        drop(entries);
        metrics::histogram!("codeview_doc_log_batch_appends").record(batch.len() as f64);
        match result {
            Ok(seqs) => {
                let updates: usize = batch.iter().map(|a| a.updates.len()).sum();
                metrics::counter!("codeview_doc_updates_persisted_total").increment(updates as u64);
                for (append, seq) in batch.drain(..).zip(seqs) {
                    let _ = append.stored.send(Ok(seq));
                }
            }
            Err(err) => {
                tracing::error!(error = %err, appends = batch.len(), "appending document updates failed");
                for append in batch.drain(..) {
                    let _ = append.stored.send(Err(err.to_string()));
                }
            }
        }
    }
}
