//! The room socket's state across server instances (issue 21), when they share Redis: who has
//! the room open (`presence`), and the interactive terminal's session, owned by one instance
//! and reachable from all (`terminal_lock`, `terminal_relay`). Without `--redis-url` nothing
//! here runs and each part behaves as on a single server.
//!
//! Redis names start with `codeview:room:`. Every message read from Redis is parsed with size
//! limits before use; what does not parse is dropped and counted
//! (`codeview_redis_messages_dropped_total{part}`), and every failed command is counted
//! (`codeview_redis_errors_total{part}`; `link`).

pub mod link;
pub mod presence;
