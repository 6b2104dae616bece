//! Group commit for the document update log, and the one writer of the document tables.
//!
//! Every room must have its updates stored before it relays them; one transaction per update
//! made the rooms queue for SQLite's write lock (p99 over a second at 2,000 edits/s). Instead,
//! one writer task per process takes whatever appends are waiting — from any number of rooms —
//! and stores them in one statement, then releases each room to relay. Under light load a
//! batch is one update and costs one commit; under heavy load the commits are shared, so
//! throughput grows with the load.
//!
//! Compactions (a snapshot replacing log entries) go through the same writer, in order with
//! the appends: two writers would contend for SQLite's write lock, and the loser sleeps in
//! SQLite's busy handler for whole milliseconds — which is what an edit's tail latency was
//! made of. The writer also checkpoints SQLite's write-ahead log every second on a task of
//! its own, so no commit pays for a checkpoint.

use bytes::Bytes;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

use super::doc_rooms::DocKey;
use crate::db::{DocAppend, Store};

/// Writes waiting for the writer; rooms wait when it is full (backpressure).
const QUEUE_CAPACITY: usize = 4096;
/// Writes taken from the queue at once (appends among them share one statement).
const MAX_BATCH: usize = 512;
/// How often the database's write-ahead log is checkpointed, beside (not inside) commits.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A room's request to the writer.
enum Write {
    Append(Append),
    /// Store `snapshot` as the document and delete the log entries up to `up_to_seq`.
    Compact {
        key: DocKey,
        snapshot: Bytes,
        up_to_seq: i64,
        done: oneshot::Sender<Result<(), String>>,
    },
}

/// Store these updates, then answer with the document's newest sequence number.
struct Append {
    key: DocKey,
    updates: Vec<Bytes>,
    stored: oneshot::Sender<Result<i64, String>>,
}

/// The handle rooms write through. Cheap to clone.
#[derive(Clone)]
pub struct UpdateLog {
    writes: mpsc::Sender<Write>,
}

const STOPPED: &str = "the update log writer stopped";

impl UpdateLog {
    /// Starts the writer task of this process.
    pub fn start(store: Arc<dyn Store>) -> UpdateLog {
        let (writes, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(store, queue));
        UpdateLog { writes }
    }

    /// Stores `updates` durably; returns the document's newest sequence number.
    pub async fn append(&self, key: DocKey, updates: Vec<Bytes>) -> Result<i64, String> {
        let (stored, answer) = oneshot::channel();
        self.writes.send(Write::Append(Append { key, updates, stored })).await.map_err(|_| STOPPED)?;
        answer.await.map_err(|_| STOPPED.to_owned())?
    }

    /// Replaces the document's log up to `up_to_seq` with `snapshot`.
    pub async fn compact(&self, key: DocKey, snapshot: Bytes, up_to_seq: i64) -> Result<(), String> {
        let (done, answer) = oneshot::channel();
        self.writes.send(Write::Compact { key, snapshot, up_to_seq, done }).await.map_err(|_| STOPPED)?;
        answer.await.map_err(|_| STOPPED.to_owned())?
    }
}

async fn write_batches(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Write>) {
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
        // In queue order: runs of appends share a statement, compactions go between them.
        let mut appends = Vec::new();
        for write in batch.drain(..) {
            match write {
                Write::Append(append) => appends.push(append),
                Write::Compact { key, snapshot, up_to_seq, done } => {
                    store_appends(&*store, std::mem::take(&mut appends)).await;
                    let result = store.compact_document(key.interview_id, key.doc_name(), &snapshot, up_to_seq).await;
                    let _ = done.send(result.map_err(|err| err.to_string()));
                }
            }
        }
        store_appends(&*store, appends).await;
    }
}

/// Stores a run of appends in one statement and answers each room.
async fn store_appends(store: &dyn Store, appends: Vec<Append>) {
    if appends.is_empty() {
        return;
    }
    let entries: Vec<DocAppend<'_>> = appends
        .iter()
        .map(|a| DocAppend { interview_id: a.key.interview_id, doc: a.key.doc_name(), updates: &a.updates })
        .collect();
    let result = store.append_document_updates(&entries).await;
    drop(entries);
    metrics::histogram!("codeview_doc_log_batch_appends").record(appends.len() as f64);
    match result {
        Ok(seqs) => {
            let updates: usize = appends.iter().map(|a| a.updates.len()).sum();
            metrics::counter!("codeview_doc_updates_persisted_total").increment(updates as u64);
            for (append, seq) in appends.into_iter().zip(seqs) {
                let _ = append.stored.send(Ok(seq));
            }
        }
        Err(err) => {
            tracing::error!(error = %err, appends = appends.len(), "appending document updates failed");
            for append in appends {
                let _ = append.stored.send(Err(err.to_string()));
            }
        }
    }
}
