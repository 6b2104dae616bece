//! Budgets of bytes in flight to document sockets, per live document and per process. A large frame
//! (a joiner's document state, a large update) is charged before a live document hands it to sockets,
//! and the charge lasts until every socket it was queued for has written it or died: the
//! charged `Bytes` owns the charge, so dropping its last clone releases it. Sockets send
//! large frames as slices of that one allocation (`doc_socket`), so the budget counts each
//! allocation once, however many sockets share it. Joiners of the same document state share
//! one charge too ([`StateCharges`]). Over budget, a live document refuses the frame (its joiner is
//! closed with 1013 and retries) instead of letting stalled sockets pin more memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;

/// Frames from this size on are charged; smaller ones are bounded by the outboxes alone.
pub const CHARGED_FRAME_BYTES: usize = 64 << 10;
/// Bytes of large frames one live document may have in flight: a few versions of the largest
/// document (`Limits::max_doc_bytes`, 16 MiB).
pub const ROOM_SEND_BUDGET: usize = 64 << 20;
/// Bytes of large frames all live documents of the process may have in flight.
pub const PROCESS_SEND_BUDGET: usize = 192 << 20;

/// A number of bytes that may be in flight at once.
pub struct ByteBudget {
    limit: usize,
    used: AtomicUsize,
}

impl ByteBudget {
    pub fn new(limit: usize) -> ByteBudget {
        ByteBudget { limit, used: AtomicUsize::new(0) }
    }

    fn try_take(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|total| *total <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::AcqRel);
    }

    /// Bytes in flight now (for tests and metrics).
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }
}

/// Bytes taken from a live document's budget and the process's, given back when dropped.
struct Charge {
    room: Arc<ByteBudget>,
    process: Arc<ByteBudget>,
    bytes: usize,
}

impl Charge {
    fn take(room: &Arc<ByteBudget>, process: &Arc<ByteBudget>, bytes: usize) -> Option<Charge> {
        if !room.try_take(bytes) {
            return None;
        }
        if !process.try_take(bytes) {
            room.give_back(bytes);
            return None;
        }
        Some(Charge { room: room.clone(), process: process.clone(), bytes })
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.room.give_back(self.bytes);
        self.process.give_back(self.bytes);
    }
}

/// A frame and the charge its clones hold.
struct ChargedFrame {
    frame: Bytes,
    _charge: Charge,
}

/// `Bytes::from_owner` wants an owner per `Bytes`; joiners of one state share the frame.
struct SharedFrame(Arc<ChargedFrame>);

impl AsRef<[u8]> for SharedFrame {
    fn as_ref(&self) -> &[u8] {
        &self.0.frame
    }
}

/// One live document's budget, shared with the process's, and the charge of the state frame it sent
/// last (a weak reference: the sockets holding it keep it alive, the live document does not).
pub struct RoomSendBudget {
    room: Arc<ByteBudget>,
    process: Arc<ByteBudget>,
    last_state: Weak<ChargedFrame>,
}

impl RoomSendBudget {
    pub fn new(process: Arc<ByteBudget>) -> RoomSendBudget {
        RoomSendBudget { room: Arc::new(ByteBudget::new(ROOM_SEND_BUDGET)), process, last_state: Weak::new() }
    }

    /// `frame` as a charged frame to hand to sockets (clone it for each), or `None` when the
    /// budget has no room for it. Small frames pass uncharged.
    pub fn charge(&mut self, frame: &Bytes) -> Option<Bytes> {
        if frame.len() < CHARGED_FRAME_BYTES {
            return Some(frame.clone());
        }
        let charge = Charge::take(&self.room, &self.process, frame.len())?;
        Some(Bytes::from_owner(SharedFrame(Arc::new(ChargedFrame { frame: frame.clone(), _charge: charge }))))
    }

    /// Like [`Self::charge`] for a joiner's document state: a frame that is the same
    /// allocation as the last state charged here, while any socket still holds that one,
    /// shares its charge, so joiners of one document state cost the budget once.
    pub fn charge_state(&mut self, frame: &Bytes) -> Option<Bytes> {
        if frame.len() < CHARGED_FRAME_BYTES {
            return Some(frame.clone());
        }
        if let Some(live) = self.last_state.upgrade()
            && live.frame.as_ptr() == frame.as_ptr()
            && live.frame.len() == frame.len()
        {
            return Some(Bytes::from_owner(SharedFrame(live)));
        }
        let charge = Charge::take(&self.room, &self.process, frame.len())?;
        let live = Arc::new(ChargedFrame { frame: frame.clone(), _charge: charge });
        self.last_state = Arc::downgrade(&live);
        Some(Bytes::from_owner(SharedFrame(live)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn large(len: usize) -> Bytes {
        Bytes::from(vec![7; len])
    }

    #[test]
    fn sockets_sharing_one_state_charge_it_once_until_the_last_is_done() {
        let process = Arc::new(ByteBudget::new(PROCESS_SEND_BUDGET));
        let mut room = RoomSendBudget::new(process.clone());
        let state = large(ROOM_SEND_BUDGET / 2);
        let queued: Vec<Bytes> = (0..300).map(|_| room.charge_state(&state).expect("shared")).collect();
        assert_eq!(process.used(), state.len());
        assert_eq!(queued[299][..], state[..]);
        drop(queued);
        assert_eq!(process.used(), 0, "released when every socket is done");
    }

    #[test]
    fn distinct_large_frames_are_refused_past_the_room_budget() {
        let process = Arc::new(ByteBudget::new(PROCESS_SEND_BUDGET));
        let mut room = RoomSendBudget::new(process.clone());
        let versions: Vec<Bytes> = (0..4).map(|_| room.charge(&large(ROOM_SEND_BUDGET / 4)).expect("fits")).collect();
        assert!(room.charge(&large(CHARGED_FRAME_BYTES)).is_none(), "a fifth version waits");
        assert!(room.charge(&large(100)).is_some(), "small frames are not charged");
        drop(versions);
        assert!(room.charge(&large(CHARGED_FRAME_BYTES)).is_some());
    }

    #[test]
    fn rooms_together_are_bounded_by_the_process_budget() {
        let process = Arc::new(ByteBudget::new(ROOM_SEND_BUDGET));
        let (mut a, mut b) = (RoomSendBudget::new(process.clone()), RoomSendBudget::new(process.clone()));
        let held = a.charge(&large(ROOM_SEND_BUDGET)).expect("fits");
        assert!(b.charge(&large(CHARGED_FRAME_BYTES)).is_none());
        drop(held);
        assert!(b.charge(&large(CHARGED_FRAME_BYTES)).is_some());
        assert_eq!(process.used(), 0);
    }
}
