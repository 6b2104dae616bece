//! Builders for the y-websocket frames the live document sends. The stock JS client reads exactly one
//! message per WebSocket frame, so every message gets its own frame. Bytes are written with
//! yrs' own lib0 writer (`Write for Vec<u8>`), so the wire format is yrs', not ours.

use bytes::Bytes;
use yrs::StateVector;
use yrs::encoding::write::Write;
use yrs::sync::AwarenessUpdate;
use yrs::sync::protocol::{MSG_AWARENESS, MSG_SYNC, MSG_SYNC_STEP_1, MSG_SYNC_STEP_2, MSG_SYNC_UPDATE};
use yrs::updates::encoder::Encode;

fn sync_frame(tag: u8, payload: &[u8]) -> Bytes {
    // 2 tag bytes + at most 10 bytes of length prefix.
    let mut buf = Vec::with_capacity(payload.len() + 12);
    buf.write_var(MSG_SYNC);
    buf.write_var(tag);
    buf.write_buf(payload);
    Bytes::from(buf)
}

/// The update inside a frame built by [`update`] (a slice of the same allocation, so the
/// broadcast frame and the durable log entry share memory).
pub(crate) fn update_payload(frame: &Bytes) -> Bytes {
    // Two one-byte tags, then the varint length of the rest.
    let mut start = 2;
    while frame.get(start).is_some_and(|b| b & 0x80 != 0) {
        start += 1;
    }
    frame.slice(start + 1..)
}

/// `sync / update` frame: an incremental change for peers.
pub(crate) fn update(update: &[u8]) -> Bytes {
    sync_frame(MSG_SYNC_UPDATE, update)
}

/// `sync / step 2` frame: the answer to a peer's state vector.
pub(crate) fn sync_step2(update: &[u8]) -> Bytes {
    sync_frame(MSG_SYNC_STEP_2, update)
}

/// `sync / step 1` frame: the live document's state vector, asking the peer for what it is missing.
pub(crate) fn sync_step1(sv: &StateVector) -> Bytes {
    sync_frame(MSG_SYNC_STEP_1, &sv.encode_v1())
}

/// `awareness` frame.
pub(crate) fn awareness(update: &AwarenessUpdate) -> Bytes {
    let payload = update.encode_v1();
    let mut buf = Vec::with_capacity(payload.len() + 11);
    buf.write_var(MSG_AWARENESS);
    buf.write_buf(&payload);
    Bytes::from(buf)
}
