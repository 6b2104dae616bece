//! Group commit for the document update log, on a thread of its own, which also relays what
//! it stored.
//!
//! Every live document must have its updates stored before anyone else sees them. One transaction
//! per update made the live documents queue for SQLite's write lock; instead one writer thread per
//! process takes whatever is waiting — from any number of live documents — stores it in one
//! transaction, and only then hands each live document's frames to their connections' outboxes.
//! Under light load a batch is one update and costs one commit; under heavy load the commits are
//! shared, so throughput grows with the load.
//!
//! Live documents do not wait for their commits (pipelining): a live document queues "store these
//! updates, then deliver these frames" and goes on with its next frame. Whatever a live document
//! sends while it has such writes in flight goes through the writer too, behind them, so nothing
//! that depends on an unstored update (a relay, a newcomer's sync) leaves the server before that
//! update is stored. A live document without writes in flight delivers directly (awareness, cursor
//! moves).
//!
//! The writer talks to the store through a blocking [`DocLogWriter`] (SQLite: its own connection,
//! prepared statements, no async hops). Compactions go through it too (two writers would contend
//! for SQLite's write lock): a batch's snapshots share one transaction, stored after its appends so
//! that no delivery waits for them. A snapshot may carry the history block its live document
//! seals (`history::uncovered`), stored in its transaction; a compaction that fails stops its
//! live document (as a failed append does), so that nothing later records as sealed entries
//! whose block was not stored. The journal's trims go between batches. The writer checks each
//! document's numbering itself (SQLite's journal has no key that would refuse an entry stored
//! twice), so a stale live document cannot write beside its successor. The database's write-ahead
//! log is checkpointed every second on a task of its own.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use codeview_collab::ConnId;
use tokio::sync::{Notify, mpsc, oneshot};

use super::outbox::{Outbox, Outgoing};
use super::types::DocKey;
use crate::db::{DocAppend, DocLogWriter, DocSnapshot, HistoryBlock, Store, StoreError, StoreResult};

/// Writes waiting for the writer; live documents wait when it is full (backpressure).
const QUEUE_CAPACITY: usize = 4096;
/// Writes taken from the queue at once (appends among them share one transaction).
const MAX_BATCH: usize = 512;
/// How often the database's write-ahead log is checkpointed, beside (not inside) commits.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);
/// How often the journal is trimmed: often, so that each trim is short.
const TRIM_EVERY: Duration = Duration::from_millis(100);
/// How long the journal keeps an entry. Live documents seal their entries into a history block
/// within `history::uncovered::SEAL_AFTER` (10 s) of the first, so by then nearly every entry
/// is sealed and dropped; the rest are moved. (The journal's size is in the server's memory:
/// SQLite's cache and mapping hold it.)
const JOURNAL_KEEP: Duration = Duration::from_secs(15);

/// Frames for one connection, sent once the writes queued before them are stored.
pub struct Delivery {
    pub conn: ConnId,
    pub outbox: Outbox,
    pub frames: Vec<Bytes>,
}

/// What the writer reports back to a live document.
#[derive(Debug, Default)]
pub struct Feedback {
    /// Storing failed: the live document must stop (nothing of it was relayed).
    pub failed: Option<String>,
    /// These connections' outboxes were full: close them (they reconnect and re-sync).
    pub too_slow: Vec<ConnId>,
}

/// One live document's line to the writer: how many of its writes are in flight, whether the live
/// document stopped (a write failed, or the task ended), and what the writer reported. One per live
/// document task; a few dozen bytes (a channel would cost every live document a kilobyte).
#[derive(Default)]
pub struct Lane {
    /// The fence of the live document's lease in the store, when instances share it: every
    /// write carries it and is refused once another instance took the document.
    fence: Option<i64>,
    in_flight: AtomicUsize,
    stopped: AtomicBool,
    feedback: Mutex<Feedback>,
    reported: Notify,
}

impl Lane {
    /// The lane of a live document holding `fence` (`DocumentStore::take_doc_lease`).
    pub fn fenced(fence: Option<i64>) -> Lane {
        Lane { fence, ..Lane::default() }
    }

    /// Waits until the writer reports something, then takes it.
    pub async fn feedback(&self) -> Feedback {
        self.reported.notified().await;
        std::mem::take(&mut *self.feedback.lock().expect("lane feedback"))
    }

    fn report(&self, add: impl FnOnce(&mut Feedback)) {
        add(&mut self.feedback.lock().expect("lane feedback"));
        self.reported.notify_one();
    }

    /// The live document task ended: what it still has queued is dropped (its successor reloads
    /// from the store and must not race with it).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// True when the live document has writes the writer has not finished: its frames must queue.
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

/// A request to the writer.
enum Write {
    /// Stored with the `Store` writes queued next to it (group commit).
    Store(Stored),
    /// The live document unloaded after storing everything up to `last_seq`: its numbering is no
    /// longer needed (a successor loads it from the store).
    Unloaded { key: DocKey, last_seq: i64 },
    /// Time to trim the journal (from the trimming task), in a transaction of its own.
    Trim,
}

/// What goes into the log's shared transactions: a live document's updates or its snapshot.
enum Stored {
    Append(Append),
    Compact(Compact),
}

impl Stored {
    fn lane(&self) -> &Arc<Lane> {
        match self {
            Stored::Append(append) => &append.lane,
            Stored::Compact(compact) => &compact.lane,
        }
    }

    /// False for a write of a live document that stopped (an earlier write failed, or its task
    /// ended): nothing more of that live document is stored or delivered.
    fn still_wanted(&self) -> bool {
        let stopped = self.lane().stopped.load(Ordering::Acquire);
        if stopped && let Stored::Append(append) = self {
            append.lane.finish();
        }
        !stopped
    }
}

/// Store `snapshot` as the document up to its entry `up_to_seq`, with the history block of the
/// entries it seals (if any) and the newest entry sealed, then report to `done`.
struct Compact {
    key: DocKey,
    snapshot: Bytes,
    up_to_seq: i64,
    sealed: Option<HistoryBlock>,
    sealed_seq: i64,
    lane: Arc<Lane>,
    done: oneshot::Sender<Result<(), String>>,
}

/// Store `updates` as the document's entries `after_seq + 1`, …, accepted `at` from `author`,
/// then deliver.
struct Append {
    key: DocKey,
    after_seq: i64,
    updates: Vec<Bytes>,
    at: DateTime<Utc>,
    author: Option<uuid::Uuid>,
    deliveries: Vec<Delivery>,
    lane: Arc<Lane>,
}

/// The handle live documents write through. Cheap to clone.
#[derive(Clone)]
pub struct UpdateLog {
    writes: mpsc::Sender<Write>,
    keeps_journal: bool,
}

const STOPPED: &str = "the update log writer stopped";

impl UpdateLog {
    /// Starts this process's writer thread and checkpoint task.
    pub fn start(store: Arc<dyn Store>) -> anyhow::Result<UpdateLog> {
        let writer = store.open_log_writer()?;
        let keeps_journal = writer.keeps_journal();
        let (writes, queue) = mpsc::channel(QUEUE_CAPACITY);
        std::thread::Builder::new().name("codeview-doc-log".into()).spawn(move || write_batches(writer, queue))?;
        tokio::spawn(checkpoint_regularly(store, writes.downgrade()));
        if keeps_journal {
            tokio::spawn(trim_regularly(writes.downgrade()));
        }
        Ok(UpdateLog { writes, keeps_journal })
    }

    /// Whether the store keeps a journal, which live documents must snapshot within seconds.
    pub fn keeps_journal(&self) -> bool {
        self.keeps_journal
    }

    /// Queues `updates` (the document's entries after `after_seq`, its newest, accepted `at`
    /// from `author`) and then `deliveries`; does not wait for the commit. Failures come back
    /// through the lane.
    pub async fn append(
        &self,
        key: DocKey,
        after_seq: i64,
        updates: Vec<Bytes>,
        (at, author): (DateTime<Utc>, Option<uuid::Uuid>),
        deliveries: Vec<Delivery>,
        lane: &Arc<Lane>,
    ) -> Result<(), &'static str> {
        lane.in_flight.fetch_add(1, Ordering::AcqRel);
        let append = Append { key, after_seq, updates, at, author, deliveries, lane: lane.clone() };
        if self.writes.send(Write::Store(Stored::Append(append))).await.is_err() {
            lane.finish();
            return Err(STOPPED);
        }
        Ok(())
    }

    /// Queues `snapshot` as the document up to its entry `up_to_seq`, with the block of the
    /// entries it seals and the newest entry sealed (`sealed`), behind every write the live document queued before
    /// (dropped if the live document stops first), to share their transaction. Await the answer
    /// to know it is stored; the writer logs a failure either way, and stops the live document.
    pub async fn compact(
        &self,
        key: DocKey,
        snapshot: Bytes,
        up_to_seq: i64,
        (sealed, sealed_seq): (Option<HistoryBlock>, i64),
        lane: &Arc<Lane>,
    ) -> impl Future<Output = Result<(), String>> + use<> {
        let (done, answer) = oneshot::channel();
        let compact = Compact { key, snapshot, up_to_seq, sealed, sealed_seq, lane: lane.clone(), done };
        let queued = self.writes.send(Write::Store(Stored::Compact(compact))).await.is_ok();
        async move {
            if !queued {
                return Err(STOPPED.to_owned());
            }
            answer.await.unwrap_or_else(|_| Err(STOPPED.to_owned()))
        }
    }

    /// Tells the writer the live document unloaded, having stored everything up to `last_seq`.
    pub fn unloaded(&self, key: DocKey, last_seq: i64) {
        // If the queue is full the numbering stays: a few bytes, and still correct.
        let _ = self.writes.try_send(Write::Unloaded { key, last_seq });
    }
}

/// Asks the writer to trim the journal every `TRIM_EVERY` while it runs.
async fn trim_regularly(writer: mpsc::WeakSender<Write>) {
    let mut due = tokio::time::interval(TRIM_EVERY);
    due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        due.tick().await;
        let Some(writer) = writer.upgrade() else { return };
        // A full queue means the writer is busy: this trim waits for the next tick.
        let _ = writer.try_send(Write::Trim);
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

/// The writer thread: first moves what an earlier process left in the journal, then takes
/// what is queued, stores it in queue order (runs of appends and compactions share a
/// transaction; trims go between them), delivers, repeats until every live document is gone.
fn write_batches(mut writer: Box<dyn DocLogWriter>, mut queue: mpsc::Receiver<Write>) {
    let mut log = LogState::default();
    trim_journal(&mut *writer, i64::MAX);
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        let mut group = Vec::new();
        for write in batch.drain(..) {
            match write {
                Write::Store(stored) => group.push(stored),
                Write::Unloaded { key, last_seq } => {
                    log.store_group(&mut *writer, std::mem::take(&mut group));
                    log.forget(key, last_seq);
                }
                Write::Trim => {
                    log.store_group(&mut *writer, std::mem::take(&mut group));
                    log.trim_due(&mut *writer);
                }
            }
        }
        log.store_group(&mut *writer, group);
    }
}

/// What the writer keeps between batches: each document's newest stored entry, and the
/// journal's recent ends.
#[derive(Default)]
struct LogState {
    /// The newest entry stored per live (or broken) live document's document: an append must follow
    /// it.
    newest: HashMap<DocKey, i64>,
    /// The journal's newest id as read at each trim, oldest first.
    journal_ends: VecDeque<(Instant, i64)>,
}

impl LogState {
    /// Stores a run of writes: the appends in one transaction, then delivers their frames in
    /// order; then the snapshots in another (so no delivery waits for them).
    fn store_group(&mut self, writer: &mut dyn DocLogWriter, group: Vec<Stored>) {
        let (appends, compactions) = group.into_iter().partition(|write| matches!(write, Stored::Append(_)));
        self.store_together(writer, appends);
        self.store_together(writer, compactions);
    }

    /// Stores writes in one transaction, then finishes them in order.
    fn store_together(&mut self, writer: &mut dyn DocLogWriter, mut group: Vec<Stored>) {
        group.retain(Stored::still_wanted);
        if group.is_empty() {
            return;
        }
        if self.store(writer, &group).is_ok() {
            let appends = group.iter().filter(|w| matches!(w, Stored::Append(_))).count();
            if appends > 0 {
                metrics::histogram!("codeview_doc_log_batch_appends").record(appends as f64);
            }
            finish(group, Ok(()));
            return;
        }
        // One live document's bad write must not fail the others sharing its transaction: retry
        // each write on its own and fail only those that fail again. A live document whose write
        // failed stops, so its later writes in this batch (which depend on the failed one) are
        // dropped, not stored.
        for write in group {
            if write.still_wanted() {
                let result = self.store(writer, std::slice::from_ref(&write));
                finish(vec![write], result);
            }
        }
    }

    /// Stores the updates and snapshots of `group` in one transaction (none when it only
    /// delivers), refusing it all if an append does not follow its document's newest entry.
    fn store(&mut self, writer: &mut dyn DocLogWriter, group: &[Stored]) -> StoreResult<()> {
        let mut newest = HashMap::new();
        let (mut appends, mut snapshots) = (Vec::with_capacity(group.len()), Vec::new());
        for write in group {
            match write {
                Stored::Append(append) if !append.updates.is_empty() => {
                    let before = newest.get(&append.key).or(self.newest.get(&append.key));
                    if before.is_some_and(|seq| *seq != append.after_seq) {
                        return Err(StoreError::Conflict("log entry"));
                    }
                    newest.insert(append.key, append.after_seq + append.updates.len() as i64);
                    appends.push(DocAppend {
                        interview_id: append.key.interview_id,
                        doc: append.key.doc_name(),
                        after_seq: append.after_seq,
                        updates: &append.updates,
                        at: append.at,
                        author: append.author,
                        fence: append.lane.fence,
                    });
                }
                Stored::Append(_) => {}
                Stored::Compact(compact) => snapshots.push(DocSnapshot {
                    interview_id: compact.key.interview_id,
                    doc: compact.key.doc_name(),
                    data: &compact.snapshot,
                    up_to_seq: compact.up_to_seq,
                    sealed: compact.sealed.as_ref(),
                    sealed_seq: compact.sealed_seq,
                    fence: compact.lane.fence,
                }),
            }
        }
        if !appends.is_empty() || !snapshots.is_empty() {
            writer.write(&appends, &snapshots)?;
            self.newest.extend(newest);
        }
        Ok(())
    }

    /// Drops an unloaded live document's numbering, unless something was stored after it.
    fn forget(&mut self, key: DocKey, last_seq: i64) {
        if self.newest.get(&key) == Some(&last_seq) {
            self.newest.remove(&key);
        }
    }

    /// Notes the journal's end, and trims it up to the end noted `JOURNAL_KEEP` ago.
    fn trim_due(&mut self, writer: &mut dyn DocLogWriter) {
        let now = Instant::now();
        match writer.journal_end() {
            Ok(end) => self.journal_ends.push_back((now, end)),
            Err(err) => tracing::warn!(error = %err, "reading the document journal's end failed"),
        }
        let mut due = None;
        while let Some(&(noted, end)) = self.journal_ends.front()
            && now.duration_since(noted) >= JOURNAL_KEEP
        {
            due = Some(end);
            self.journal_ends.pop_front();
        }
        if let Some(end) = due {
            trim_journal(writer, end);
        }
    }
}

/// Trims the journal's entries before id `end`. Keeping the entry `end` itself keeps the ids
/// SQLite hands out growing past every end noted since (an emptied table starts again at 1).
fn trim_journal(writer: &mut dyn DocLogWriter, end: i64) {
    match writer.trim_journal(end) {
        Ok(0) => {}
        Ok(moved) => {
            tracing::info!(moved, "moved document journal entries no snapshot covered into the log");
            metrics::counter!("codeview_doc_journal_moved_total").increment(moved);
        }
        Err(err) => tracing::warn!(error = %err, "trimming the document journal failed"),
    }
}

/// After the commit: delivers and reports snapshots stored (or, when storing failed, stops
/// the live documents whose updates it held).
fn finish(group: Vec<Stored>, stored: StoreResult<()>) {
    let failure = match stored {
        Ok(()) => {
            let updates: usize =
                group.iter().map(|w| if let Stored::Append(a) = w { a.updates.len() } else { 0 }).sum();
            metrics::counter!("codeview_doc_updates_persisted_total").increment(updates as u64);
            None
        }
        Err(err) => {
            tracing::error!(error = %err, writes = group.len(), "storing document updates or snapshots failed");
            Some(err.to_string())
        }
    };
    for write in group {
        match write {
            Stored::Append(append) => {
                match &failure {
                    None => {
                        let too_slow = deliver(append.deliveries);
                        if !too_slow.is_empty() {
                            append.lane.report(|feedback| feedback.too_slow.extend(too_slow));
                        }
                    }
                    Some(err) => append.lane.fail(err),
                }
                append.lane.finish();
            }
            Stored::Compact(compact) => {
                if let Some(err) = &failure {
                    compact.lane.fail(err);
                }
                let _ = compact.done.send(failure.clone().map_or(Ok(()), Err));
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
    use crate::realtime::outbox::{OutboxReceiver, outbox};
    use codeview_collab::DocKind;
    use uuid::Uuid;

    /// Stores nothing and refuses any transaction holding the write of `refuse` (document,
    /// entries after) — as a store that fails would; notes what each transaction held, and
    /// the trims. The real stores are tested in `tests/api/documents.rs`.
    struct Refusing {
        refuse: (Uuid, i64),
        /// Refuses every snapshot of this document too.
        refuse_snapshots_of: Option<Uuid>,
        /// Per transaction: the documents appended to, and those snapshotted.
        stored: Vec<(Vec<Uuid>, Vec<Uuid>)>,
        journal_end: i64,
        trimmed_before: Vec<i64>,
    }

    impl Refusing {
        fn new(refuse: (Uuid, i64)) -> Refusing {
            Refusing {
                refuse,
                refuse_snapshots_of: None,
                stored: Vec::new(),
                journal_end: 0,
                trimmed_before: Vec::new(),
            }
        }

        fn appended(&self) -> Vec<Vec<Uuid>> {
            self.stored.iter().map(|(appended, _)| appended.clone()).collect()
        }
    }

    impl DocLogWriter for Refusing {
        fn write(&mut self, appends: &[DocAppend<'_>], snapshots: &[DocSnapshot<'_>]) -> StoreResult<()> {
            if appends.iter().any(|entry| (entry.interview_id, entry.after_seq) == self.refuse)
                || snapshots.iter().any(|snapshot| Some(snapshot.interview_id) == self.refuse_snapshots_of)
            {
                return Err(StoreError::Conflict("log entry"));
            }
            let ids = |ids: &mut dyn Iterator<Item = Uuid>| ids.collect::<Vec<_>>();
            let transaction =
                (ids(&mut appends.iter().map(|a| a.interview_id)), ids(&mut snapshots.iter().map(|s| s.interview_id)));
            self.stored.push(transaction);
            Ok(())
        }

        fn keeps_journal(&self) -> bool {
            true
        }

        fn journal_end(&mut self) -> StoreResult<i64> {
            Ok(self.journal_end)
        }

        fn trim_journal(&mut self, end: i64) -> StoreResult<u64> {
            self.trimmed_before.push(end);
            Ok(0)
        }
    }

    /// A live document's append with one update, delivering one frame to a connection of its own.
    fn append(interview_id: Uuid) -> (Stored, Arc<Lane>, OutboxReceiver) {
        let lane = Arc::new(Lane::default());
        let (outbox, received) = outbox();
        (next_append(interview_id, 0, &lane, outbox), lane, received)
    }

    /// The live document's next append (entries after `after_seq`), delivering one frame to
    /// `outbox`.
    fn next_append(interview_id: Uuid, after_seq: i64, lane: &Arc<Lane>, outbox: Outbox) -> Stored {
        lane.in_flight.fetch_add(1, Ordering::AcqRel);
        let delivery = Delivery { conn: ConnId(1), outbox, frames: vec![Bytes::from_static(b"frame")] };
        Stored::Append(Append {
            key: DocKey { interview_id, kind: DocKind::Code },
            after_seq,
            updates: vec![Bytes::from_static(b"update")],
            at: chrono::Utc::now(),
            author: None,
            deliveries: vec![delivery],
            lane: lane.clone(),
        })
    }

    /// The live document's snapshot covering its entries up to `up_to_seq`, and where its answer
    /// comes.
    fn compaction(
        interview_id: Uuid,
        up_to_seq: i64,
        lane: &Arc<Lane>,
    ) -> (Stored, oneshot::Receiver<Result<(), String>>) {
        let (done, answer) = oneshot::channel();
        let key = DocKey { interview_id, kind: DocKind::Code };
        let snapshot = Bytes::from_static(b"snapshot");
        (
            Stored::Compact(Compact {
                key,
                snapshot,
                up_to_seq,
                sealed: None,
                sealed_seq: 0,
                lane: lane.clone(),
                done,
            }),
            answer,
        )
    }

    #[test]
    fn one_documents_failed_write_fails_that_document_only() {
        let (good_id, bad_id) = (Uuid::new_v4(), Uuid::new_v4());
        let (good, good_lane, mut good_received) = append(good_id);
        let (bad, bad_lane, mut bad_received) = append(bad_id);
        // The failed live document's next write, in the same batch, depends on the failed one.
        let (later_outbox, mut later_received) = outbox();
        let bad_later = next_append(bad_id, 1, &bad_lane, later_outbox);
        let mut writer = Refusing::new((bad_id, 0));
        LogState::default().store_group(&mut writer, vec![bad, good, bad_later]);

        assert_eq!(writer.appended(), vec![vec![good_id]], "the good document is stored on its own");
        assert!(matches!(good_received.try_recv(), Ok(Outgoing::Frame(_))), "the good document relays");
        assert!(!good_lane.stopped.load(Ordering::Acquire) && !good_lane.busy());
        assert!(bad_received.try_recv().is_err(), "nothing of the failed document is relayed");
        assert!(later_received.try_recv().is_err(), "the failed document's later write is relayed");
        assert!(bad_lane.stopped.load(Ordering::Acquire) && !bad_lane.busy());
        let feedback = std::mem::take(&mut *bad_lane.feedback.lock().unwrap());
        assert!(feedback.failed.is_some_and(|err| err.contains("already exists")));
    }

    #[test]
    fn a_stopped_documents_queued_writes_are_dropped() {
        let (queued, lane, mut received) = append(Uuid::new_v4());
        lane.stop();
        let mut writer = Refusing::new((Uuid::nil(), 0));
        LogState::default().store_group(&mut writer, vec![queued]);
        assert!(writer.stored.is_empty(), "a stopped document's write was stored");
        assert!(received.try_recv().is_err(), "a stopped document's frames were relayed");
        assert!(!lane.busy());
    }

    #[test]
    fn an_append_must_follow_its_documents_newest_stored_entry() {
        let id = Uuid::new_v4();
        let key = DocKey { interview_id: id, kind: DocKind::Code };
        let (mut log, mut writer) = (LogState::default(), Refusing::new((Uuid::nil(), 0)));
        let (first, lane, mut received) = append(id);
        log.store_group(&mut writer, vec![first]);
        assert!(received.try_recv().is_ok(), "entry 1 was not relayed");

        // A stale live document, which loaded the document before entry 1 was stored, writes entry
        // 1.
        let (stale, stale_lane, mut stale_received) = append(id);
        log.store_group(&mut writer, vec![stale]);
        assert_eq!(writer.stored.len(), 1, "a second entry 1 was stored");
        assert!(stale_received.try_recv().is_err(), "the stale document relayed");
        let feedback = std::mem::take(&mut *stale_lane.feedback.lock().unwrap());
        assert!(feedback.failed.is_some_and(|err| err.contains("already exists")));

        // The live document goes on, twice in one batch.
        let (outbox, mut later) = outbox();
        let batch = vec![next_append(id, 1, &lane, outbox.clone()), next_append(id, 2, &lane, outbox)];
        log.store_group(&mut writer, batch);
        assert_eq!(writer.stored.len(), 2, "the live document's entries 2 and 3 were not stored together");
        assert!(later.try_recv().is_ok() && later.try_recv().is_ok());

        // An unloaded live document's numbering is dropped, unless something was stored after it.
        log.forget(key, 2);
        assert_eq!(log.newest.get(&key), Some(&3));
        log.forget(key, 3);
        assert!(log.newest.is_empty());
    }

    #[test]
    fn the_journal_is_trimmed_before_the_end_noted_a_while_ago() {
        let (mut log, mut writer) = (LogState::default(), Refusing::new((Uuid::nil(), 0)));
        let long_ago = Instant::now() - JOURNAL_KEEP - Duration::from_secs(1);
        log.journal_ends.extend([(long_ago, 7), (long_ago, 9)]);
        writer.journal_end = 12;
        log.trim_due(&mut writer);
        assert_eq!(writer.trimmed_before, vec![9], "trimmed up to the wrong end");
        log.trim_due(&mut writer);
        assert_eq!(writer.trimmed_before, vec![9], "trimmed before the end noted now was due");
        let ends: Vec<i64> = log.journal_ends.iter().map(|(_, end)| *end).collect();
        assert_eq!(ends, vec![12, 12]);
    }

    #[test]
    fn a_failed_compaction_stops_its_document_so_no_later_snapshot_covers_its_entries() {
        let id = Uuid::new_v4();
        let (first, lane, _received) = append(id);
        let (snapshot, mut answer) = compaction(id, 1, &lane);
        let (later, mut later_answer) = compaction(id, 1, &lane);
        let mut writer = Refusing::new((Uuid::nil(), 0));
        writer.refuse_snapshots_of = Some(id);
        let mut log = LogState::default();
        log.store_group(&mut writer, vec![first, snapshot]);
        assert!(matches!(answer.try_recv(), Ok(Err(_))), "the failure was not reported");
        assert!(lane.stopped.load(Ordering::Acquire), "the document goes on after losing a history block");
        let feedback = std::mem::take(&mut *lane.feedback.lock().unwrap());
        assert!(feedback.failed.is_some());
        writer.refuse_snapshots_of = None;
        log.store_group(&mut writer, vec![later]);
        assert!(later_answer.try_recv().is_err(), "a stopped document's later snapshot was stored");
    }

    #[test]
    fn compactions_follow_the_appends_in_a_transaction_of_their_own_unless_their_document_stopped() {
        let (live_id, stopped_id) = (Uuid::new_v4(), Uuid::new_v4());
        let (first, lane, _received) = append(live_id);
        let (snapshot, mut stored) = compaction(live_id, 1, &lane);
        let (outbox, _later) = outbox();
        let after = next_append(live_id, 1, &lane, outbox);
        let stopped_lane = Arc::new(Lane::default());
        stopped_lane.stop();
        let (dropped, mut never) = compaction(stopped_id, 1, &stopped_lane);
        let mut writer = Refusing::new((Uuid::nil(), 0));
        LogState::default().store_group(&mut writer, vec![first, snapshot, after, dropped]);

        let expected = vec![(vec![live_id, live_id], vec![]), (vec![], vec![live_id])];
        assert_eq!(writer.stored, expected, "not the appends, then the snapshot");
        assert_eq!(stored.try_recv(), Ok(Ok(())), "the compaction was not reported stored");
        assert!(never.try_recv().is_err(), "a stopped document's compaction was reported stored");
    }
}
