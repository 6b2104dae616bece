//! The origin's side of the relay: this instance's sockets whose document another instance
//! owns — the owner's frames handed to each socket's outbox in order, its closes obeyed, and
//! the sockets closed when the owner moves, dies, or Redis fails.

use std::sync::atomic::Ordering;

use bytes::Bytes;

use super::wire::Body;
use super::{DOCUMENT_MOVED, DocRelay, RELAY_LOST, RELAY_UNAVAILABLE, Relayed, RemoteLink, SERVER_RESTARTING};
use crate::cluster::InstanceId;
use crate::realtime::outbox::Outgoing;

impl DocRelay {
    pub(super) fn delivered(&self, from: InstanceId, conn: u64, seq: u32, frame: Bytes) {
        let mut relayed = self.lock_relayed();
        let Some(link) = relayed.get_mut(&conn).filter(|link| link.owner == from) else {
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "unknown connection").increment(1);
            return;
        };
        let in_order = seq == link.next_seq;
        link.next_seq = link.next_seq.wrapping_add(1);
        if in_order && link.outbox.try_send(Outgoing::Frame(frame)).is_ok() {
            return;
        }
        let close = if in_order { (1013, "too slow; reconnect") } else { RELAY_LOST };
        metrics::counter!("codeview_doc_relay_dropped_total", "reason" => if in_order { "too slow" } else { "gap" })
            .increment(1);
        if let Some(link) = relayed.remove(&conn) {
            let _ = link.outbox.try_send(Outgoing::Close(close.0, close.1));
            self.try_publish(link.owner, conn, 0, Body::Disconnect);
        }
        drop(relayed);
        self.relayed_gauge();
    }

    pub(super) fn closed_by_owner(&self, from: InstanceId, conn: u64, code: u16, reason: &str) {
        let mut relayed = self.lock_relayed();
        if relayed.get(&conn).is_some_and(|link| link.owner == from)
            && let Some(link) = relayed.remove(&conn)
        {
            let _ = link.outbox.try_send(Outgoing::Close(code, known_reason(reason)));
        }
        drop(relayed);
        self.relayed_gauge();
    }

    /// Closes the relayed sockets that match `which` with `close` (their clients reconnect).
    pub(super) fn close_relayed(&self, close: (u16, &'static str), which: impl Fn(&Relayed) -> bool) {
        let mut relayed = self.lock_relayed();
        relayed.retain(|_, link| {
            if which(link) {
                let _ = link.outbox.try_send(Outgoing::Close(close.0, close.1));
                false
            } else {
                true
            }
        });
        drop(relayed);
        self.relayed_gauge();
    }
}

impl RemoteLink {
    /// Hands a client frame to the owner; false when the relay cannot take it (the socket
    /// must close).
    pub async fn send(&self, frame: Bytes) -> bool {
        let seq = self.next_seq.fetch_add(1, Ordering::AcqRel);
        self.relay.publish(self.owner, self.conn, seq, Body::Frame(frame)).await
    }

    pub async fn leave(self) {
        let known = self.relay.lock_relayed().remove(&self.conn).is_some();
        self.relay.relayed_gauge();
        if known {
            let seq = self.next_seq.load(Ordering::Acquire);
            self.relay.publish(self.owner, self.conn, seq, Body::Disconnect).await;
        }
    }
}

/// The close reasons the server uses, as static text (a reason from another instance that is
/// not one of them is replaced).
pub(super) fn known_reason(reason: &str) -> &'static str {
    const KNOWN: [&str; 11] = [
        "too slow; reconnect",
        "try again later",
        "protocol violation",
        "update rejected",
        "document unavailable",
        "document unavailable, reconnecting",
        "binary frames only",
        DOCUMENT_MOVED.1,
        SERVER_RESTARTING.1,
        RELAY_UNAVAILABLE.1,
        RELAY_LOST.1,
    ];
    KNOWN.into_iter().find(|known| *known == reason).unwrap_or("closed by the document's instance")
}
