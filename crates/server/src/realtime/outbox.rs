//! A connection's outbox: the frames its live document has handed it and its socket has not yet
//! written, bounded in count (the channel) and in bytes. Frames are shared `Bytes` (one
//! broadcast or one document state queued for many sockets is one allocation), but each
//! socket keeps what it holds alive: the byte bound is what a peer that stops reading can pin.
//! A connection over either bound is too slow: its live document closes it (1013) and it re-syncs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use tokio::sync::mpsc;

/// Frames waiting for one connection before it counts as too slow.
pub const OUTBOX_CAPACITY: usize = 512;
/// Bytes queued and not yet written for one connection before it counts as too slow. The
/// largest document state (`Limits::max_doc_bytes`) must fit, with room for updates behind it.
pub const MAX_UNSENT_BYTES: usize = 24 << 20;

/// What a connection receives from its live document.
#[derive(Debug)]
pub enum Outgoing {
    Frame(Bytes),
    /// Close with this WebSocket close code and reason.
    Close(u16, &'static str),
}

/// The live document's end of a connection's outbox. Cheap to clone.
#[derive(Clone)]
pub struct Outbox {
    frames: mpsc::Sender<Outgoing>,
    /// Bytes of frames queued and not yet written by the socket.
    unsent: Arc<AtomicUsize>,
}

/// The socket's end of its outbox.
pub struct OutboxReceiver {
    frames: mpsc::Receiver<Outgoing>,
    unsent: Arc<AtomicUsize>,
}

/// The outbox is full (frames or bytes), or its socket is gone.
#[derive(Debug)]
pub struct TooSlow;

pub fn outbox() -> (Outbox, OutboxReceiver) {
    let (frames, receiver) = mpsc::channel(OUTBOX_CAPACITY);
    let unsent = Arc::new(AtomicUsize::new(0));
    (Outbox { frames, unsent: unsent.clone() }, OutboxReceiver { frames: receiver, unsent })
}

impl Outbox {
    /// Queues `item` without waiting. A frame is refused when it would take the unsent bytes
    /// past `MAX_UNSENT_BYTES`, unless nothing else is unsent (one frame always fits).
    pub fn try_send(&self, item: Outgoing) -> Result<(), TooSlow> {
        let len = match &item {
            Outgoing::Frame(frame) => frame.len(),
            Outgoing::Close(..) => 0,
        };
        let before = self.unsent.fetch_add(len, Ordering::AcqRel);
        if before > 0 && before + len > MAX_UNSENT_BYTES {
            self.unsent.fetch_sub(len, Ordering::AcqRel);
            return Err(TooSlow);
        }
        self.frames.try_send(item).map_err(|_| {
            self.unsent.fetch_sub(len, Ordering::AcqRel);
            TooSlow
        })
    }
}

impl OutboxReceiver {
    pub async fn recv(&mut self) -> Option<Outgoing> {
        self.frames.recv().await
    }

    pub fn try_recv(&mut self) -> Result<Outgoing, mpsc::error::TryRecvError> {
        self.frames.try_recv()
    }

    /// The socket has written a frame of `len` bytes (or dropped it).
    pub fn written(&self, len: usize) {
        self.unsent.fetch_sub(len, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(len: usize) -> Outgoing {
        Outgoing::Frame(Bytes::from(vec![0; len]))
    }

    #[test]
    fn a_connection_that_does_not_write_is_refused_past_the_byte_bound() {
        let (outbox, receiver) = outbox();
        outbox.try_send(frame(MAX_UNSENT_BYTES + 1)).expect("one frame always fits");
        assert!(outbox.try_send(frame(1)).is_err(), "nothing more while it is unsent");
        receiver.written(MAX_UNSENT_BYTES + 1);
        outbox.try_send(frame(MAX_UNSENT_BYTES / 2)).expect("room again once written");
        outbox.try_send(frame(MAX_UNSENT_BYTES / 2)).expect("up to the bound");
        assert!(outbox.try_send(frame(1)).is_err());
        outbox.try_send(Outgoing::Close(1013, "too slow; reconnect")).expect("a close always fits");
    }
}
