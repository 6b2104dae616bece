//! Room events: the JSON messages of `/ws/rooms/{interview_id}` (a discriminated union with a
//! protocol version), and the in-process hub that fans them out to the interview's sockets.
//!
//! Some events must not reach candidates and observers (output of a hidden test case could
//! reveal its input): each published event says who may see it, and each socket filters.
//!
//! With Redis configured, events travel through one Redis channel to every process (a
//! `codeview worker` streams run output to the servers holding the sockets); without it they
//! stay in this process. See `fanout`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Bump when a message changes incompatibly.
pub const PROTOCOL_VERSION: u32 = 1;
/// Events buffered per interview; a socket that falls further behind is told to resync.
const CHANNEL_CAPACITY: usize = 1024;

/// One event, as sent to browsers.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoomEvent {
    /// Sent first on every socket.
    Hello {
        v: u32,
        interview_id: Uuid,
        participant_id: Uuid,
        role: String,
    },
    RunQueued {
        v: u32,
        run_id: Uuid,
        language: String,
        mode: String,
        participant_id: Uuid,
        requested_by: String,
    },
    RunStarted {
        v: u32,
        run_id: Uuid,
    },
    /// A chunk of output; `case` is the test-case index (none for compiler output).
    RunOutput {
        v: u32,
        run_id: Uuid,
        case: Option<usize>,
        stream: String,
        text: String,
    },
    RunCase {
        v: u32,
        run_id: Uuid,
        case: usize,
        status: String,
        passed: Option<bool>,
        time_ms: u64,
        memory_kb: Option<u64>,
    },
    /// The run is over; fetch `GET /api/runs/{run_id}` for the stored result.
    RunFinished {
        v: u32,
        run_id: Uuid,
        status: String,
        verdict: Option<String>,
    },
    /// The interview changed status (`live`, `ended`).
    Status {
        v: u32,
        status: String,
    },
    /// Events were missed (the socket fell behind); reload state over HTTP.
    Resync {
        v: u32,
    },
}

/// Who may receive an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Host and co-interviewers only.
    Interviewers,
}

#[derive(Debug, Clone)]
pub struct Published {
    pub audience: Audience,
    /// The event already serialised, shared by every socket.
    pub json: Arc<str>,
}

/// Per-interview broadcast channels, created on first subscription, and the Redis fan-out
/// when configured.
#[derive(Clone, Default)]
pub struct RoomEvents {
    /// A std mutex: held only for map operations.
    channels: Arc<Mutex<HashMap<Uuid, broadcast::Sender<Published>>>>,
    fanout: Option<super::fanout::Fanout>,
}

impl RoomEvents {
    pub fn subscribe(&self, interview_id: Uuid) -> broadcast::Receiver<Published> {
        let mut channels = self.channels.lock().expect("room events");
        channels.entry(interview_id).or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0).subscribe()
    }

    /// Events shared with every process through Redis at `url`; `listen` for processes that
    /// hold sockets (servers), not for workers that only publish.
    pub async fn with_redis(url: &str, listen: bool) -> anyhow::Result<RoomEvents> {
        let mut events = RoomEvents::default();
        events.fanout = Some(super::fanout::Fanout::connect(url, listen.then(|| events.clone())).await?);
        Ok(events)
    }

    /// Sends `event` to the interview's sockets (in every process, with Redis).
    pub fn publish(&self, interview_id: Uuid, audience: Audience, event: &RoomEvent) {
        let json: Arc<str> = serde_json::to_string(event).expect("events serialise").into();
        let published = Published { audience, json };
        match &self.fanout {
            Some(fanout) => {
                if let Err(published) = fanout.send(interview_id, published) {
                    self.deliver(interview_id, published);
                }
            }
            None => self.deliver(interview_id, published),
        }
    }

    /// Hands an event to this process's sockets of the interview.
    pub(super) fn deliver(&self, interview_id: Uuid, published: Published) {
        let mut channels = self.channels.lock().expect("room events");
        let Some(sender) = channels.get(&interview_id) else { return };
        if sender.receiver_count() == 0 {
            channels.remove(&interview_id);
            return;
        }
        let _ = sender.send(published);
    }

    /// Tells every socket of this process that events may have been missed.
    pub(super) fn deliver_resync_to_all(&self) {
        let json: Arc<str> =
            serde_json::to_string(&RoomEvent::Resync { v: PROTOCOL_VERSION }).expect("serialises").into();
        let channels = self.channels.lock().expect("room events");
        for sender in channels.values() {
            let _ = sender.send(Published { audience: Audience::Everyone, json: json.clone() });
        }
    }
}
