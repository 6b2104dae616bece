//! The large-insert signal: a candidate's accepted update to the code document that inserts at
//! least `LARGE_INSERT_CHARS` characters at once (typed by a tool, or pasted). Live documents
//! report them on a broadcast channel (`LiveDocs::subscribe_large_inserts`); the timeline keeps
//! those with no paste reported just before. Most updates are a few bytes: one length compare
//! each, and the decoding only for updates long enough to hold that many characters, while
//! someone listens.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::history::inserts::inserted_chars;

/// Characters one update must insert to count as a large insert.
pub const LARGE_INSERT_CHARS: usize = 200;
/// Reports a slow listener may fall behind by (then it misses the oldest).
const CHANNEL_CAPACITY: usize = 256;

/// A candidate's update to the code document that inserted `length` characters at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LargeInsert {
    pub interview_id: Uuid,
    pub participant_id: Uuid,
    pub length: usize,
    /// When the live document accepted it (as its history entry says).
    pub at: DateTime<Utc>,
}

/// The channel live documents report large inserts on. Cheap to clone.
#[derive(Clone)]
pub struct LargeInserts {
    sender: broadcast::Sender<LargeInsert>,
}

impl Default for LargeInserts {
    fn default() -> Self {
        LargeInserts { sender: broadcast::channel(CHANNEL_CAPACITY).0 }
    }
}

impl LargeInserts {
    pub fn subscribe(&self) -> broadcast::Receiver<LargeInsert> {
        self.sender.subscribe()
    }

    /// Reports each of `updates` (a candidate's, accepted `at` into the code document) that
    /// inserts `LARGE_INSERT_CHARS` characters or more.
    pub fn check(&self, interview_id: Uuid, participant_id: Uuid, at: DateTime<Utc>, updates: &[Bytes]) {
        for update in updates.iter().filter(|u| u.len() >= LARGE_INSERT_CHARS) {
            if self.sender.receiver_count() == 0 {
                return;
            }
            if let Some(length) = inserted_chars(update, LARGE_INSERT_CHARS).filter(|n| *n >= LARGE_INSERT_CHARS) {
                let _ = self.sender.send(LargeInsert { interview_id, participant_id, length, at });
            }
        }
    }
}
