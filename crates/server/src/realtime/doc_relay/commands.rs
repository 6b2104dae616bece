//! Server-side changes of a document relayed to the instance that owns it
//! (`LiveDocs::interview_ended`, `controls_changed`, `fill_starter_code`), and the owner's
//! answer. Each command carries a request number (in the envelope's connection field); the
//! owner applies it to its live document and answers whether the document was there, so the
//! caller tells "done" from "not live there" (the owner unloaded it meanwhile: claim again)
//! from "no answer" (Redis or the owner failed: refuse with a clear status).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::wire::Body;
use super::{DocRelay, lease};
use crate::cluster::InstanceId;
use crate::realtime::types::DocKey;

/// How long a caller waits for the owner's answer (it applies a command in milliseconds; no
/// answer means the owner or Redis failed).
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// A server-side change of a document, relayed to its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ServerCommand {
    InterviewEnded,
    EditorLocked(bool),
    /// `(text name, starter code by language)`: answered once the change is handed to the
    /// owner's update log.
    FillStarterCode(Vec<(String, BTreeMap<String, String>)>),
}

/// What became of a relayed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarded {
    /// The owner applied it to its live document.
    Applied,
    /// No other instance runs the document (nobody holds its lease, this instance does, or
    /// the holder no longer has it loaded).
    NotLive,
    /// Redis failed, or the owner did not answer in time.
    Unanswered,
}

/// A command sent and not answered yet.
pub(super) struct PendingCommand {
    owner: InstanceId,
    answer: oneshot::Sender<bool>,
}

impl DocRelay {
    /// Sends `command` to the instance that owns `key`, if another does, and waits for its
    /// answer.
    pub async fn forward_command(&self, key: DocKey, command: &ServerCommand) -> Forwarded {
        let holder = self.with_redis(|mut redis| async move { lease::holder(&mut redis, key).await }).await;
        let owner = match holder {
            Ok(Some(owner)) if owner != self.inner.me => owner,
            Ok(_) => return Forwarded::NotLive,
            Err(_) => return Forwarded::Unanswered,
        };
        let Ok(command) = serde_json::to_vec(command) else { return Forwarded::Unanswered };
        let request = self.inner.next_command.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = oneshot::channel();
        self.lock_commands().insert(request, PendingCommand { owner, answer });
        let outcome = if self.publish(owner, request, 0, Body::Command { key, command: command.into() }).await {
            match tokio::time::timeout(ANSWER_WITHIN, answered).await {
                Ok(Ok(true)) => Forwarded::Applied,
                Ok(Ok(false)) => Forwarded::NotLive,
                Ok(Err(_)) | Err(_) => Forwarded::Unanswered,
            }
        } else {
            Forwarded::Unanswered
        };
        self.lock_commands().remove(&request);
        if outcome == Forwarded::Unanswered {
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "command unanswered").increment(1);
        }
        outcome
    }

    /// Owner side: applies a command another instance relayed, then answers it (request 0
    /// asks for no answer).
    pub(super) fn command_received(&self, from: InstanceId, request: u64, key: DocKey, command: &[u8]) {
        let Ok(command) = serde_json::from_slice::<ServerCommand>(command) else {
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "malformed").increment(1);
            return;
        };
        let relay = self.clone();
        tokio::spawn(async move {
            let applied = relay.inner.docs.apply_command(key, command).await;
            if request != 0 {
                relay.publish(from, request, 0, Body::CommandDone { applied }).await;
            }
        });
    }

    /// Caller side: the owner's answer to one of our commands.
    pub(super) fn command_answered(&self, from: InstanceId, request: u64, applied: bool) {
        let mut pending = self.lock_commands();
        match pending.remove(&request) {
            Some(command) if command.owner == from => {
                let _ = command.answer.send(applied);
            }
            Some(command) => {
                // Not from the instance asked: keep waiting for the right one.
                pending.insert(request, command);
                metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "unknown connection").increment(1);
            }
            None => {
                metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "unknown connection").increment(1);
            }
        }
    }

    fn lock_commands(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<u64, PendingCommand>> {
        self.inner.commands.lock().unwrap_or_else(|e| e.into_inner())
    }
}
