//! The owner's side of the relay: other instances' sockets as *remote members* of the live
//! documents this instance owns — each joins the document with a real outbox (bounded as a
//! local socket's), is fed the origin's frames in order, and has its outbox published back
//! to the origin; a gap, a flood or a dead origin drops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use codeview_collab::ConnPermissions;
use tokio::sync::mpsc;

use super::wire::Body;
use super::{DocRelay, Inbound, MEMBER_INBOX, MEMBER_INBOX_BYTES, RELAY_LOST, RELAY_UNAVAILABLE, RemoteMember};
use crate::cluster::InstanceId;
use crate::realtime::outbox::{Outgoing, outbox};
use crate::realtime::types::DocKey;

impl DocRelay {
    pub(super) fn member_connected(&self, origin: InstanceId, conn: u64, key: DocKey, perms: ConnPermissions) {
        let (inbound, frames) = mpsc::channel(MEMBER_INBOX);
        let queued = Arc::new(AtomicUsize::new(0));
        {
            let mut members = self.lock_members();
            if members.contains_key(&(origin, conn)) {
                metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "duplicate connect").increment(1);
                return;
            }
            members.insert((origin, conn), RemoteMember { inbound, queued: queued.clone(), next_seq: 1 });
            metrics::gauge!("codeview_doc_remote_members").set(members.len() as f64);
        }
        tokio::spawn(run_member(self.clone(), origin, conn, (key, perms), frames, queued));
    }

    pub(super) fn member_inbound(&self, origin: InstanceId, conn: u64, seq: u32, inbound: Inbound) {
        let mut members = self.lock_members();
        let Some(member) = members.get_mut(&(origin, conn)) else {
            drop(members);
            if matches!(inbound, Inbound::Frame(_)) {
                // A socket this instance does not know (it restarted, or dropped the member):
                // the origin closes it, and its client reconnects.
                metrics::counter!("codeview_doc_relay_dropped_total", "reason" => "unknown connection").increment(1);
                let (code, reason) = RELAY_LOST;
                self.try_publish(origin, conn, 0, Body::Close { code, reason: reason.into() });
            }
            return;
        };
        let in_order = seq == member.next_seq;
        member.next_seq = member.next_seq.wrapping_add(1);
        let len = match &inbound {
            Inbound::Frame(frame) => frame.len(),
            Inbound::Disconnect => 0,
        };
        let fits = member.queued.fetch_add(len, Ordering::AcqRel) + len <= MEMBER_INBOX_BYTES;
        if !in_order || !fits || member.inbound.try_send(inbound).is_err() {
            // Lost or too much: the member's task ends (its inbox closes) and closes the socket.
            let reason = if in_order { "member inbox full" } else { "gap" };
            metrics::counter!("codeview_doc_relay_dropped_total", "reason" => reason).increment(1);
            members.remove(&(origin, conn));
            metrics::gauge!("codeview_doc_remote_members").set(members.len() as f64);
        }
    }

    /// Drops the remote members of `origin` (it died): their live documents forget them.
    pub(super) fn drop_members_of(&self, origin: InstanceId) {
        let mut members = self.lock_members();
        members.retain(|(from, _), _| *from != origin);
        metrics::gauge!("codeview_doc_remote_members").set(members.len() as f64);
    }
}

/// A remote member: joins the live document here, feeds it the origin's frames, and
/// publishes its outbox back to the origin, until either side ends; then closes the origin's
/// socket if the document asked to (or the member was dropped).
pub(super) async fn run_member(
    relay: DocRelay,
    origin: InstanceId,
    conn: u64,
    (key, perms): (DocKey, ConnPermissions),
    mut inbound: mpsc::Receiver<Inbound>,
    queued: Arc<AtomicUsize>,
) {
    let mut seq = 1u32;
    let close = async {
        let (outbox, mut outgoing) = outbox();
        let link = match relay.inner.docs.join_remote(key, perms, outbox).await {
            Ok(link) => link,
            Err(close) => return Some(close),
        };
        let close = loop {
            tokio::select! {
                message = inbound.recv() => match message {
                    Some(Inbound::Frame(frame)) => {
                        queued.fetch_sub(frame.len(), Ordering::AcqRel);
                        if !link.send(frame).await {
                            break Some((1011, "document unavailable"));
                        }
                    }
                    Some(Inbound::Disconnect) => break None,
                    None => break Some(RELAY_LOST),
                },
                item = outgoing.recv() => match item {
                    Some(Outgoing::Frame(frame)) => {
                        let len = frame.len();
                        if !relay.publish(origin, conn, seq, Body::Deliver(frame)).await {
                            break Some(RELAY_UNAVAILABLE);
                        }
                        seq = seq.wrapping_add(1);
                        outgoing.written(len);
                    }
                    Some(Outgoing::Close(code, reason)) => break Some((code, reason)),
                    None => break Some((1013, "too slow; reconnect")),
                },
            }
        };
        link.leave().await;
        close
    }
    .await;
    // Queued before the member goes: a shutting-down instance waits for both (`flushed`).
    if let Some((code, reason)) = close {
        relay.publish(origin, conn, seq, Body::Close { code, reason: reason.into() }).await;
    }
    let mut members = relay.lock_members();
    members.remove(&(origin, conn));
    metrics::gauge!("codeview_doc_remote_members").set(members.len() as f64);
}
