//! The relay's publisher: every message this instance sends to others goes through one Redis
//! connection, in pipelines of what is queued.

use std::sync::Weak;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;

use super::{DocRelay, PUBLISH_BATCH, Relay, lease};
use crate::cluster::InstanceId;

/// The publisher: one connection, so each connection's messages keep their order; what is
/// queued meanwhile goes in one pipeline. A failed publish drops every cross-instance link
/// (their messages are lost; clients reconnect and re-sync).
pub(super) async fn publish_all(
    relay: Weak<Relay>,
    client: redis::Client,
    connection: redis::aio::MultiplexedConnection,
    mut queue: mpsc::Receiver<(InstanceId, Vec<u8>)>,
) {
    let mut connection = Some(connection);
    let mut batch = Vec::with_capacity(PUBLISH_BATCH);
    while queue.recv_many(&mut batch, PUBLISH_BATCH).await > 0 {
        let Some(relay) = relay.upgrade() else { return };
        let bytes: usize = batch.iter().map(|(_, message)| message.len()).sum();
        let mut pipe = redis::pipe();
        for (to, message) in batch.drain(..) {
            pipe.cmd("PUBLISH").arg(lease::channel(to)).arg(message).ignore();
        }
        let sent = async {
            let mut current = match connection.take() {
                Some(current) => current,
                None => client.get_multiplexed_async_connection().await?,
            };
            pipe.query_async::<()>(&mut current).await?;
            Ok::<_, redis::RedisError>(current)
        };
        match tokio::time::timeout(lease::REDIS_TIMEOUT, sent).await {
            Ok(Ok(current)) => connection = Some(current),
            failed => {
                let error = match failed {
                    Ok(Err(err)) => err.to_string(),
                    _ => "timed out".to_owned(),
                };
                let relay = DocRelay { inner: relay.clone() };
                let _ = relay.redis_failed(&error);
                relay.drop_all_links();
            }
        }
        relay.publish_bytes.fetch_sub(bytes, Ordering::AcqRel);
    }
}
