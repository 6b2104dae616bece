//! Group commit for the document update log, on a thread of its own, which also relays what
//! it stored.
//!
//! Every room must have its updates stored before anyone else sees them. One transaction per
//! update made the rooms queue for SQLite's write lock; instead one writer thread per process
//! takes whatever is waiting — from any number of rooms — stores it in one transaction, and
//! only then hands each room's frames to their connections' outboxes. Under light load a
//! batch is one update and costs one commit; under heavy load the commits are shared, so
//! throughput grows with the load.
//!
//! Rooms do not wait for their commits (pipelining): a room queues "store these updates, then
//! deliver these frames" and goes on with its next frame. Whatever a room sends while it has
//! such writes in flight goes through the writer too, behind them, so nothing that depends on
//! an unstored update (a relay, a newcomer's sync) leaves the server before that update is
//! stored. A room without writes in flight delivers directly (awareness, cursor moves).
//!
//! The writer talks to the store through a blocking [`DocLogWriter`] (SQLite: its own
//! connection, prepared statements, no async hops). Compactions go through it too, in order
//! with the appends: two writers would contend for SQLite's write lock. The database's
//! write-ahead log is checkpointed every second on a task of its own, beside the commits.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use codeview_collab::ConnId;
use tokio::sync::{Notify, mpsc, oneshot};

use super::doc_rooms::{DocKey, Outbox, Outgoing};
use crate::db::{DocAppend, DocLogWriter, Store};

/// Writes waiting for the writer; rooms wait when it is full (backpressure).
const QUEUE_CAPACITY: usize = 4096;
/// Writes taken from the queue at once (appends among them share one transaction).
const MAX_BATCH: usize = 512;
/// How often the database's write-ahead log is checkpointed, beside (not inside) commits.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Frames for one connection, sent once the writes queued before them are stored.
pub struct Delivery {
    pub conn: ConnId,
    pub outbox: Outbox,
    pub frames: Vec<Bytes>,
}

/// What the writer reports back to a room.
#[derive(Debug, Default)]
pub struct Feedback {
    /// Storing failed: the room must stop (nothing of it was relayed).
    pub failed: Option<String>,
    /// These connections' outboxes were full: close them (they reconnect and re-sync).
    pub too_slow: Vec<ConnId>,
}

/// One room's line to the writer: how many of its writes are in flight, whether the room
/// stopped (a write failed, or the task ended), and what the writer reported. One per room
/// task; a few dozen bytes (a channel would cost every room a kilobyte).
#[derive(Default)]
pub struct Lane {
    in_flight: AtomicUsize,
    stopped: AtomicBool,
    feedback: Mutex<Feedback>,
    reported: Notify,
}

impl Lane {
    /// Waits until the writer reports something, then takes it.
    pub async fn feedback(&self) -> Feedback {
        self.reported.notified().await;
        std::mem::take(&mut *self.feedback.lock().expect("lane feedback"))
    }

    fn report(&self, add: impl FnOnce(&mut Feedback)) {
        add(&mut self.feedback.lock().expect("lane feedback"));
        self.reported.notify_one();
    }

    /// The room task ended: what it still has queued is dropped (its successor reloads from the
    /// store and must not race with it).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// True when the room has writes the writer has not finished: its frames must queue.
    pub fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    fn finish(&self) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    fn fail(&self, err: &str) {
        if !self.stopped.swap(true, Ordering::AcqRel) {
            self.report(|feedback| feedback.failed = Some(err.to_owned()));
        }
    }
}

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

/// Store `updates` as the document's entries `after_seq + 1`, …, then deliver.
struct Append {
    key: DocKey,
    after_seq: i64,
    updates: Vec<Bytes>,
    deliveries: Vec<Delivery>,
    lane: Arc<Lane>,
}

/// The handle rooms write through. Cheap to clone.
#[derive(Clone)]
pub struct UpdateLog {
    writes: mpsc::Sender<Write>,
}

const STOPPED: &str = "the update log writer stopped";

impl UpdateLog {
    /// Starts this process's writer thread and checkpoint task.
    pub fn start(store: Arc<dyn Store>) -> anyhow::Result<UpdateLog> {
        let writer = store.open_log_writer()?;
        let (writes, queue) = mpsc::channel(QUEUE_CAPACITY);
        std::thread::Builder::new().name("codeview-doc-log".into()).spawn(move || write_batches(writer, queue))?;
        tokio::spawn(checkpoint_regularly(store, writes.downgrade()));
        Ok(UpdateLog { writes })
    }

    /// Queues `updates` (the document's entries after `after_seq`, its newest) and then
    /// `deliveries`; does not wait for the commit. Failures come back through the lane.
    pub async fn append(
        &self,
        key: DocKey,
        after_seq: i64,
        updates: Vec<Bytes>,
        deliveries: Vec<Delivery>,
        lane: &Arc<Lane>,
    ) -> Result<(), &'static str> {
        lane.in_flight.fetch_add(1, Ordering::AcqRel);
        let append = Append { key, after_seq, updates, deliveries, lane: lane.clone() };
        if self.writes.send(Write::Append(append)).await.is_err() {
            lane.finish();
            return Err(STOPPED);
        }
        Ok(())
    }

    /// Replaces the document's log up to `up_to_seq` with `snapshot`, after every write queued
    /// before; waits until it is stored.
    pub async fn compact(&self, key: DocKey, snapshot: Bytes, up_to_seq: i64) -> Result<(), String> {
        let (done, answer) = oneshot::channel();
        self.writes.send(Write::Compact { key, snapshot, up_to_seq, done }).await.map_err(|_| STOPPED)?;
        answer.await.map_err(|_| STOPPED.to_owned())?
    }
}

/// Checkpoints the database's write-ahead log while the writer runs; never two at once.
async fn checkpoint_regularly(store: Arc<dyn Store>, writer: mpsc::WeakSender<Write>) {
    let mut due = tokio::time::interval(CHECKPOINT_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        due.tick().await;
        if writer.upgrade().is_none() {
            return;
        }
        if let Err(err) = store.checkpoint_log().await {
            tracing::warn!(error = %err, "checkpointing the database log failed");
        }
    }
}

/// The writer thread: takes what is queued, stores it in queue order (runs of appends share a
/// transaction, compactions go between them), delivers, repeats until every room is gone.
fn write_batches(mut writer: Box<dyn DocLogWriter>, mut queue: mpsc::Receiver<Write>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        let mut appends = Vec::new();
        for write in batch.drain(..) {
            match write {
                Write::Append(append) => appends.push(append),
                Write::Compact { key, snapshot, up_to_seq, done } => {
                    store_appends(&mut *writer, std::mem::take(&mut appends));
                    let result = writer.compact(key.interview_id, key.doc_name(), &snapshot, up_to_seq);
                    let _ = done.send(result.map_err(|err| err.to_string()));
                }
            }
        }
        store_appends(&mut *writer, appends);
    }
}

/// Stores a run of appends in one transaction, then delivers their frames in order.
fn store_appends(writer: &mut dyn DocLogWriter, mut appends: Vec<Append>) {
    appends.retain(still_wanted);
    if appends.is_empty() {
        return;
    }
    if store(writer, &appends).is_ok() {
        metrics::histogram!("codeview_doc_log_batch_appends").record(appends.len() as f64);
        finish(appends, Ok(()));
        return;
    }
    // One room's bad write must not fail the others sharing its transaction: retry each write
    // on its own and fail only those that fail again. A room whose write failed stops, so its
    // later writes in this batch (which depend on the failed one) are dropped, not stored.
    for append in appends {
        if still_wanted(&append) {
            let result = store(writer, std::slice::from_ref(&append));
            finish(vec![append], result);
        }
    }
}

/// False for a write of a room that stopped (an earlier write failed, or its task ended):
/// nothing more of that room is stored or delivered.
fn still_wanted(append: &Append) -> bool {
    let stopped = append.lane.stopped.load(Ordering::Acquire);
    if stopped {
        append.lane.finish();
    }
    !stopped
}

/// Stores the updates of `appends` in one transaction (none when they only deliver).
fn store(writer: &mut dyn DocLogWriter, appends: &[Append]) -> crate::db::StoreResult<()> {
    let entries: Vec<DocAppend<'_>> = appends
        .iter()
        .filter(|a| !a.updates.is_empty())
        .map(|a| DocAppend {
            interview_id: a.key.interview_id,
            doc: a.key.doc_name(),
            after_seq: a.after_seq,
            updates: &a.updates,
        })
        .collect();
    if entries.is_empty() { Ok(()) } else { writer.append(&entries) }
}

/// After the commit: delivers (or, when storing failed, stops the rooms).
fn finish(appends: Vec<Append>, stored: crate::db::StoreResult<()>) {
    match stored {
        Ok(()) => {
            let updates: usize = appends.iter().map(|a| a.updates.len()).sum();
            metrics::counter!("codeview_doc_updates_persisted_total").increment(updates as u64);
            for append in appends {
                let too_slow = deliver(append.deliveries);
                if !too_slow.is_empty() {
                    append.lane.report(|feedback| feedback.too_slow.extend(too_slow));
                }
                append.lane.finish();
            }
        }
        Err(err) => {
            tracing::error!(error = %err, appends = appends.len(), "appending document updates failed");
            let err = err.to_string();
            for append in appends {
                append.lane.fail(&err);
                append.lane.finish();
            }
        }
    }
}

/// Hands frames to their outboxes; returns the connections whose outboxes were full.
pub fn deliver(deliveries: Vec<Delivery>) -> Vec<ConnId> {
    let mut too_slow = Vec::new();
    for Delivery { conn, outbox, frames } in deliveries {
        for frame in frames {
            if outbox.try_send(Outgoing::Frame(frame)).is_err() {
                too_slow.push(conn);
                break;
            }
        }
    }
    too_slow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{StoreError, StoreResult};
    use codeview_collab::DocKind;
    use uuid::Uuid;

    /// Stores nothing and refuses any batch holding the write of `refuse` (document, entries
    /// after) — entries that collide, say; the real stores' refusal is tested in
    /// `tests/api/documents.rs`.
    struct Refusing {
        refuse: (Uuid, i64),
        stored: Vec<Vec<Uuid>>,
    }

    impl DocLogWriter for Refusing {
        fn append(&mut self, batch: &[DocAppend<'_>]) -> StoreResult<()> {
            if batch.iter().any(|entry| (entry.interview_id, entry.after_seq) == self.refuse) {
                return Err(StoreError::Conflict("log entry"));
            }
            self.stored.push(batch.iter().map(|entry| entry.interview_id).collect());
            Ok(())
        }

        fn compact(&mut self, _: Uuid, _: &str, _: &[u8], _: i64) -> StoreResult<()> {
            Ok(())
        }
    }

    /// A room's append with one update, delivering one frame to a connection of its own.
    fn append(interview_id: Uuid) -> (Append, Arc<Lane>, mpsc::Receiver<Outgoing>) {
        let lane = Arc::new(Lane::default());
        let (outbox, received) = mpsc::channel(4);
        (next_append(interview_id, 0, &lane, outbox), lane, received)
    }

    /// The room's next append (entries after `after_seq`), delivering one frame to `outbox`.
    fn next_append(interview_id: Uuid, after_seq: i64, lane: &Arc<Lane>, outbox: Outbox) -> Append {
        lane.in_flight.fetch_add(1, Ordering::AcqRel);
        let delivery = Delivery { conn: ConnId(1), outbox, frames: vec![Bytes::from_static(b"frame")] };
        Append {
            key: DocKey { interview_id, kind: DocKind::Code },
            after_seq,
            updates: vec![Bytes::from_static(b"update")],
            deliveries: vec![delivery],
            lane: lane.clone(),
        }
    }

    #[test]
    fn one_rooms_failed_write_fails_that_room_only() {
        let (good_id, bad_id) = (Uuid::new_v4(), Uuid::new_v4());
        let (good, good_lane, mut good_received) = append(good_id);
        let (bad, bad_lane, mut bad_received) = append(bad_id);
        // The failed room's next write, in the same batch, depends on the failed one.
        let (later_outbox, mut later_received) = mpsc::channel(4);
        let bad_later = next_append(bad_id, 1, &bad_lane, later_outbox);
        let mut writer = Refusing { refuse: (bad_id, 0), stored: Vec::new() };
        store_appends(&mut writer, vec![bad, good, bad_later]);

        assert_eq!(writer.stored, vec![vec![good_id]], "the good room is stored on its own");
        assert!(matches!(good_received.try_recv(), Ok(Outgoing::Frame(_))), "the good room relays");
        assert!(!good_lane.stopped.load(Ordering::Acquire) && !good_lane.busy());
        assert!(bad_received.try_recv().is_err(), "nothing of the failed room is relayed");
        assert!(later_received.try_recv().is_err(), "the failed room's later write is relayed");
        assert!(bad_lane.stopped.load(Ordering::Acquire) && !bad_lane.busy());
        let feedback = std::mem::take(&mut *bad_lane.feedback.lock().unwrap());
        assert!(feedback.failed.is_some_and(|err| err.contains("already exists")));
    }

    #[test]
    fn a_stopped_rooms_queued_writes_are_dropped() {
        let (queued, lane, mut received) = append(Uuid::new_v4());
        lane.stop();
        let mut writer = Refusing { refuse: (Uuid::nil(), 0), stored: Vec::new() };
        store_appends(&mut writer, vec![queued]);
        assert!(writer.stored.is_empty(), "a stopped room's write was stored");
        assert!(received.try_recv().is_err(), "a stopped room's frames were relayed");
        assert!(!lane.busy());
    }
}
