//! Size and rate limits applied to every connection of a live document. The defaults fit a code
//! interview (documents of kilobytes, a handful of cursors) with a wide margin; the adapter
//! should also cap WebSocket frame size at `max_frame_bytes` so oversized frames never reach
//! memory in the first place.

use std::time::Duration;

/// Limits for one live document. Cheap to copy; every live document holds its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest frame accepted from a client; bigger frames close the connection.
    pub max_frame_bytes: usize,
    /// Largest single document update (sync step 2 or update) accepted from a client.
    pub max_update_bytes: usize,
    /// Rough upper bound on the encoded document; writes beyond it are refused so one
    /// participant cannot grow a live document without bound.
    pub max_doc_bytes: usize,
    /// Largest JSON awareness state per client (cursor, selection, user).
    pub max_awareness_state_bytes: usize,
    /// Awareness client ids one connection may own (one per Y.Doc on the page).
    pub max_awareness_clients_per_conn: usize,
    /// Minimum spacing between awareness broadcasts caused by one connection; updates
    /// arriving faster are merged and flushed by [`crate::LiveDoc::tick`].
    pub awareness_interval: Duration,
    /// Accepted updates after which `LiveDoc::needs_maintenance` asks for a re-verification
    /// of the full state (folding the updates into the cached state for joiners). Each kept
    /// update costs ~100 bytes, so this bounds per-document memory.
    pub checkpoint_every_updates: usize,
    /// Documents up to this size (encoded) are fully verified (encode, reload, compare)
    /// after every update, before it is broadcast or persisted: ~10-20 µs per update at
    /// 1-4 KB (measured), against ~2 µs without. Off by default (0): at 6,000 edits/s it
    /// cost the server a third of its CPU and pushed p99 from 47 ms to 0.4-1 s. Every update
    /// is still decoded, applied and re-encoded under guard before it counts; the full state
    /// is verified at checkpoints (`LiveDoc::maintain`), and a poisonous update found there is
    /// removed after the fact (see `Effects::replace_log`). Raise it for more safety.
    pub eager_verify_bytes: usize,
    /// Updates with missing dependencies a connection may send before it is closed. A
    /// client typing before its first sync answer sends a few; each can cost the live document a
    /// rebuild, so an endless stream is refused.
    pub max_dropped_updates_per_conn: usize,
    /// Root types (named top-level Y.Text / Y.Map) a document may hold; an update creating
    /// more is refused. The code document holds `code`, `meta` and one text per further
    /// question of the interview (at most 20); notes hold one.
    pub max_root_types: usize,
    /// Update bytes below which a small document is not re-verified (the other trigger is
    /// as many update bytes as the document's own size).
    pub checkpoint_min_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_bytes: 4 << 20,
            max_update_bytes: 4 << 20,
            max_doc_bytes: 16 << 20,
            max_awareness_state_bytes: 8 << 10,
            max_awareness_clients_per_conn: 4,
            awareness_interval: Duration::from_millis(50),
            eager_verify_bytes: 0,
            max_dropped_updates_per_conn: 32,
            checkpoint_every_updates: 64,
            checkpoint_min_bytes: 2 << 10,
            max_root_types: 64,
        }
    }
}
