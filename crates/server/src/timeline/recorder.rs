//! Stores the events the timeline keeps (joins and leaves, question and control changes),
//! without ever failing or slowing the action they record: a failed write is a warning, and
//! the room socket's joins and leaves go through a bounded queue to one writer task, so a
//! socket never waits for the database (a full queue drops the event, with a warning).
//!
//! Each kind is capped per interview (`MAX_EVENTS_OF_KIND`): a client reconnecting in a loop
//! cannot grow the table without bound. Signals have their own rules (`signals`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use uuid::Uuid;

use super::event::{TimelineDetail, event_time};
use crate::db::{AppendRule, Appended, InterviewEvent, Store};

/// At most this many events of one kind (joined, left, …) per interview.
pub const MAX_EVENTS_OF_KIND: i64 = 10_000;
/// Events waiting for the writer task.
const QUEUE_CAPACITY: usize = 4096;

/// What the recorder stores an event under: any interview status, up to the kind's cap.
const RECORDED: AppendRule = AppendRule { max_of_kind: MAX_EVENTS_OF_KIND, while_live: false };

/// A handle to the writer task (cheap to clone).
#[derive(Clone)]
pub struct EventRecorder {
    store: Arc<dyn Store>,
    queue: mpsc::Sender<InterviewEvent>,
}

impl EventRecorder {
    /// Starts the writer task on the current runtime.
    pub fn start(store: Arc<dyn Store>) -> EventRecorder {
        let (queue, mut waiting) = mpsc::channel::<InterviewEvent>(QUEUE_CAPACITY);
        let writer = store.clone();
        tokio::spawn(async move {
            while let Some(event) = waiting.recv().await {
                store_event(&*writer, &event).await;
            }
        });
        EventRecorder { store, queue }
    }

    /// Queues an event that happened `at`; returns at once.
    pub fn record(&self, interview_id: Uuid, participant_id: Option<Uuid>, at: DateTime<Utc>, detail: TimelineDetail) {
        let event = new_event(interview_id, participant_id, at, detail);
        match self.queue.try_send(event) {
            Ok(()) => {}
            Err(TrySendError::Full(event)) => {
                tracing::warn!(%interview_id, kind = event.detail.kind(), "the event queue is full: event not recorded")
            }
            // The writer is gone: the server is stopping.
            Err(TrySendError::Closed(_)) => {}
        }
    }

    /// Stores an event now (for handlers whose response may follow the write).
    pub async fn record_now(&self, interview_id: Uuid, participant_id: Option<Uuid>, detail: TimelineDetail) {
        store_event(&*self.store, &new_event(interview_id, participant_id, Utc::now(), detail)).await;
    }
}

fn new_event(
    interview_id: Uuid,
    participant_id: Option<Uuid>,
    at: DateTime<Utc>,
    detail: TimelineDetail,
) -> InterviewEvent {
    InterviewEvent { id: Uuid::now_v7(), interview_id, at: event_time(at), participant_id, detail }
}

/// Stores `event`; a failure or a full kind is logged, never returned.
async fn store_event(store: &dyn Store, event: &InterviewEvent) {
    let kind = event.detail.kind();
    match store.append_event(event, RECORDED).await {
        Ok(Appended::Stored) => {}
        // The interview is gone: nothing to record it for.
        Ok(Appended::NotLive(_)) => {}
        Ok(Appended::Full) => {
            tracing::warn!(interview_id = %event.interview_id, kind, "the interview holds as many events of this kind as it may")
        }
        Err(err) => tracing::warn!(error = %err, interview_id = %event.interview_id, kind, "recording an event failed"),
    }
}
