//! The room socket's state across server instances (issue 21), when they share Redis: who has
//! the room open (`presence`), the interactive terminal's session, owned by one instance
//! and reachable from all (`terminal_lock`, `terminal_relay`, `terminal_service`), and the
//! video call's roster (`call`). Without `--redis-url` nothing
//! here runs and each part behaves as on a single server.
//!
//! Redis names start with `codeview:room:`. Every message read from Redis is parsed with size
//! limits before use; what does not parse is dropped and counted
//! (`codeview_redis_messages_dropped_total{part}`), and every failed command is counted
//! (`codeview_redis_errors_total{part}`, by `cluster::command_link`).

pub mod call;
pub mod presence;
pub mod terminal_lock;
pub mod terminal_relay;
pub mod terminal_service;

use tokio::sync::mpsc;
use uuid::Uuid;

use crate::cluster::Cluster;
use crate::cluster::command_link::CommandLink;
use crate::state::AppState;
use crate::terminal::TerminalCluster;

/// Counts a message from Redis that was dropped because it did not parse or was too large.
pub fn dropped(part: &'static str) {
    metrics::counter!("codeview_redis_messages_dropped_total", "part" => part).increment(1);
}

/// The terminal's lock and relay, when the process shares Redis.
pub fn terminal_cluster(cluster: &Cluster) -> Option<TerminalCluster> {
    let client = cluster.redis()?;
    Some(TerminalCluster {
        locks: terminal_lock::TerminalLocks::new(CommandLink::new(client.clone(), "room_terminal"), cluster.instance()),
        relay: terminal_relay::TerminalRelay::new(
            CommandLink::new(client.clone(), "room_terminal"),
            cluster.instance(),
        ),
    })
}

/// Starts sharing the room's state through Redis (nothing without it): presence, given the
/// interviews whose presence changes here (`RoomEvents::share_presence`), the call's
/// keeper and the terminal relay's listener. Fails when Redis does not answer now.
pub async fn start(state: &AppState, presence_changes: Option<mpsc::Receiver<Uuid>>) -> anyhow::Result<()> {
    if let Some(changes) = presence_changes {
        presence::start(&state.cluster, state.runs.events.clone(), state.store.clone(), changes).await?;
    }
    if let Some(shared_call) = &state.shared_call {
        call::start(&state.cluster, shared_call.clone()).await?;
    }
    terminal_service::start(&state.cluster, state.terminals.clone(), state.store.clone()).await
}
