//! The relay's publisher: every message this instance sends to others goes through the relay's
//! one Redis link, in pipelines of what is queued.

use std::sync::Weak;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;

use super::{DocRelay, PUBLISH_BATCH, Relay, lease};
use crate::cluster::InstanceId;

/// The publisher: one task on one connection, so each connection's messages keep their order;
/// what is queued meanwhile goes in one pipeline. A failed publish drops every cross-instance
/// link (their messages are lost; clients reconnect and re-sync).
pub(super) async fn publish_all(relay: Weak<Relay>, mut queue: mpsc::Receiver<(InstanceId, Vec<u8>)>) {
    let mut batch = Vec::with_capacity(PUBLISH_BATCH);
    while queue.recv_many(&mut batch, PUBLISH_BATCH).await > 0 {
        let Some(relay) = relay.upgrade() else { return };
        let bytes: usize = batch.iter().map(|(_, message)| message.len()).sum();
        let mut pipe = redis::pipe();
        for (to, message) in batch.drain(..) {
            pipe.cmd("PUBLISH").arg(lease::channel(to)).arg(message).ignore();
        }
        let sent = relay.link.run(|mut connection| async move { pipe.query_async::<()>(&mut connection).await }).await;
        if sent.is_err() {
            DocRelay { inner: relay.clone() }.drop_all_links();
        }
        relay.publish_bytes.fetch_sub(bytes, Ordering::AcqRel);
    }
}
