//! Builders for the y-websocket frames the room sends. The stock JS client reads exactly one
//! message per WebSocket frame, so every message gets its own frame. Bytes are written with
//! yrs' own lib0 writer (`Write for Vec<u8>`), so the wire format is yrs', not ours.

use bytes::Bytes;
use yrs::StateVector;
use yrs::encoding::write::Write;
use yrs::sync::AwarenessUpdate;
use yrs::sync::protocol::{
    MSG_AWARENESS, MSG_SYNC, MSG_SYNC_STEP_1, MSG_SYNC_STEP_2, MSG_SYNC_UPDATE,
};
use yrs::updates::encoder::Encode;

/// A sync frame carrying `update`, plus where the update starts inside it, so the same
/// allocation serves as the broadcast frame and (sliced) as the durable log entry.
pub(crate) struct UpdateFrame {
    pub frame: Bytes,
    pub update: Bytes,
}

fn sync_frame(tag: u8, payload: &[u8]) -> UpdateFrame {
    // 2 tag bytes + at most 10 bytes of length prefix.
    let mut buf = Vec::with_capacity(payload.len() + 12);
    buf.write_var(MSG_SYNC);
    buf.write_var(tag);
    buf.write_buf(payload);
    let start = buf.len() - payload.len();
    let frame = Bytes::from(buf);
    let update = frame.slice(start..);
    UpdateFrame { frame, update }
}

/// `sync / update` frame: an incremental change for peers.
pub(crate) fn update(update: &[u8]) -> UpdateFrame {
    sync_frame(MSG_SYNC_UPDATE, update)
}

/// `sync / step 2` frame: the answer to a peer's state vector.
pub(crate) fn sync_step2(update: &[u8]) -> UpdateFrame {
    sync_frame(MSG_SYNC_STEP_2, update)
}

/// `sync / step 1` frame: the room's state vector, asking the peer for what it is missing.
pub(crate) fn sync_step1(sv: &StateVector) -> Bytes {
    sync_frame(MSG_SYNC_STEP_1, &sv.encode_v1()).frame
}

/// `awareness` frame.
pub(crate) fn awareness(update: &AwarenessUpdate) -> Bytes {
    let payload = update.encode_v1();
    let mut buf = Vec::with_capacity(payload.len() + 11);
    buf.write_var(MSG_AWARENESS);
    buf.write_buf(&payload);
    Bytes::from(buf)
}
