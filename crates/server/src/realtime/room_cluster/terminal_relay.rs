//! Reaching a terminal session that runs on another instance: the messages (typed, versioned
//! JSON with size limits) and the asking side. Each instance listens on its own channel,
//! `codeview:room:terminal:{instance}`, for requests (input, a signal, a stop, the opening
//! state of a session it runs) and for the replies to its own requests; a request waits for
//! its reply at most [`ANSWER_WITHIN`]. The answering side is `terminal_service`.
//!
//! Order: a socket handles its messages one after another and waits for each reply, and the
//! holder handles requests one after another, so one socket's keystrokes arrive in order.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use codeview_runner::TerminalMode;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::cluster::InstanceId;
use crate::cluster::command_link::{CommandLink, Unavailable};
use crate::domain::Language;
use crate::realtime::room_events::terminal::{TerminalErrorCode, TerminalSignal};
use crate::realtime::room_events::{PROTOCOL_VERSION, RoomEvent};

/// Bump when a message changes incompatibly; other versions are dropped.
pub const VERSION: u32 = 1;
/// The longest request accepted (input is at most 4 KiB of text).
pub const MAX_REQUEST_BYTES: usize = 32 * 1024;
/// The longest reply accepted (a transcript is at most 64 KiB of text, escaped in JSON).
pub const MAX_REPLY_BYTES: usize = 512 * 1024;
/// How long a request waits for its reply.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// Requests of this instance waiting for a reply, at most.
const MOST_PENDING: usize = 4096;
const CHANNEL_PREFIX: &str = "codeview:room:terminal-relay";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RelayMessage {
    Request(Request),
    Reply(Reply),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub v: u32,
    pub id: Uuid,
    /// The instance waiting for the reply.
    pub reply_to: Uuid,
    pub interview_id: Uuid,
    pub session_id: Uuid,
    /// Who sent it (checked again by the holder against the store).
    pub participant_id: Uuid,
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Input {
        data: String,
    },
    Signal {
        signal: TerminalSignal,
    },
    Stop,
    /// The session's `terminal_state`, for a socket that opened on another instance.
    State,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    pub v: u32,
    pub id: Uuid,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Refused { code: TerminalErrorCode, message: String },
    State { state: SessionState },
}

/// What a `terminal_state` says, and the last `seq` its transcript holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub session_id: Uuid,
    pub language: Language,
    pub mode: TerminalMode,
    pub started_by: Uuid,
    pub started_at: DateTime<Utc>,
    pub transcript: String,
    pub seq: u64,
}

impl SessionState {
    /// The `terminal_state` event for a socket.
    pub fn event(&self) -> RoomEvent {
        RoomEvent::TerminalState {
            v: PROTOCOL_VERSION,
            session_id: self.session_id,
            language: self.language,
            mode: self.mode,
            started_by: self.started_by,
            started_at: self.started_at,
            transcript: self.transcript.clone(),
        }
    }
}

/// Why a request got no reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayFailure {
    /// Redis did not answer.
    Unreachable,
    /// Nobody listens on the holder's channel: its instance is gone.
    Gone,
    /// No reply in time.
    Silent,
    /// Too many requests of this instance wait already.
    Crowded,
}

/// The channel instance `instance` listens on.
pub fn channel_of(instance: InstanceId) -> String {
    format!("{CHANNEL_PREFIX}:{instance}")
}

/// A message from Redis, or `None` when it is too large, malformed or of another version.
pub fn parse(payload: &[u8]) -> Option<RelayMessage> {
    if payload.len() > MAX_REPLY_BYTES {
        return None;
    }
    let message: RelayMessage = serde_json::from_slice(payload).ok()?;
    let fits = match &message {
        RelayMessage::Request(request) => request.v == VERSION && payload.len() <= MAX_REQUEST_BYTES,
        RelayMessage::Reply(reply) => reply.v == VERSION,
    };
    fits.then_some(message)
}

pub struct TerminalRelay {
    link: CommandLink,
    instance: InstanceId,
    /// Requests waiting for their reply. A std mutex: held for map operations only.
    pending: Mutex<HashMap<Uuid, oneshot::Sender<Outcome>>>,
}

impl TerminalRelay {
    pub fn new(link: CommandLink, instance: InstanceId) -> TerminalRelay {
        TerminalRelay { link, instance, pending: Mutex::new(HashMap::new()) }
    }

    /// Sends `op` from `participant_id` to the session on `holder` and waits for the reply.
    pub async fn ask(
        &self,
        holder: InstanceId,
        interview_id: Uuid,
        session_id: Uuid,
        participant_id: Uuid,
        op: Op,
    ) -> Result<Outcome, RelayFailure> {
        let id = Uuid::now_v7();
        let (answer, answered) = oneshot::channel();
        {
            let mut pending = self.pending.lock().expect("terminal relay");
            if pending.len() >= MOST_PENDING {
                return Err(RelayFailure::Crowded);
            }
            pending.insert(id, answer);
        }
        let _forget = Forget { relay: self, id };
        let request =
            Request { v: VERSION, id, reply_to: self.instance.0, interview_id, session_id, participant_id, op };
        let listeners =
            self.publish(holder, &RelayMessage::Request(request)).await.map_err(|_| RelayFailure::Unreachable)?;
        if listeners == 0 {
            return Err(RelayFailure::Gone);
        }
        match tokio::time::timeout(ANSWER_WITHIN, answered).await {
            Ok(Ok(outcome)) => Ok(outcome),
            _ => Err(RelayFailure::Silent),
        }
    }

    /// Hands a reply to the request waiting for it (an unknown or late one is ignored).
    pub fn answered(&self, reply: Reply) {
        let waiting = self.pending.lock().expect("terminal relay").remove(&reply.id);
        if let Some(waiting) = waiting {
            let _ = waiting.send(reply.outcome);
        }
    }

    /// Sends the reply to request `id` to the instance `to` that asked.
    pub async fn reply(&self, to: InstanceId, id: Uuid, outcome: Outcome) {
        let _ = self.publish(to, &RelayMessage::Reply(Reply { v: VERSION, id, outcome })).await;
    }

    /// Publishes on `to`'s channel; returns how many listened.
    async fn publish(&self, to: InstanceId, message: &RelayMessage) -> Result<i64, Unavailable> {
        let json = serde_json::to_string(message).expect("relay messages serialise");
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(channel_of(to)).arg(json);
        self.link.query(&publish).await
    }

    pub fn instance(&self) -> InstanceId {
        self.instance
    }
}

/// Removes a request from the waiting ones however its wait ends.
struct Forget<'a> {
    relay: &'a TerminalRelay,
    id: Uuid,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.relay.pending.lock().expect("terminal relay").remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(op: Op) -> RelayMessage {
        RelayMessage::Request(Request {
            v: VERSION,
            id: Uuid::now_v7(),
            reply_to: Uuid::now_v7(),
            interview_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            participant_id: Uuid::now_v7(),
            op,
        })
    }

    #[test]
    fn messages_survive_the_wire_and_hostile_ones_are_dropped() {
        let input = request(Op::Input { data: "name\n".into() });
        let json = serde_json::to_string(&input).unwrap();
        let Some(RelayMessage::Request(back)) = parse(json.as_bytes()) else { panic!("{json}") };
        assert_eq!(back.op, Op::Input { data: "name\n".into() });
        let refused = RelayMessage::Reply(Reply {
            v: VERSION,
            id: Uuid::now_v7(),
            outcome: Outcome::Refused { code: TerminalErrorCode::NotAllowed, message: "no".into() },
        });
        let json = serde_json::to_string(&refused).unwrap();
        assert!(matches!(parse(json.as_bytes()), Some(RelayMessage::Reply(_))));

        let other_version = json.replace("\"v\":1", "\"v\":2");
        let too_long = serde_json::to_string(&request(Op::Input { data: "x".repeat(MAX_REQUEST_BYTES) })).unwrap();
        for bad in ["", "{}", "null", "{\"kind\":\"request\"}", &other_version, &too_long] {
            assert!(parse(bad.as_bytes()).is_none(), "{bad:.80}");
        }
    }

    #[tokio::test]
    async fn a_request_to_an_unreachable_redis_fails_at_once_and_is_forgotten() {
        let link = CommandLink::new(redis::Client::open("redis://127.0.0.1:1").unwrap(), "test");
        let relay = TerminalRelay::new(link, InstanceId::new());
        let (interview, session, who) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let failed = relay.ask(InstanceId::new(), interview, session, who, Op::Stop).await;
        assert_eq!(failed, Err(RelayFailure::Unreachable));
        assert!(relay.pending.lock().unwrap().is_empty());
    }
}
