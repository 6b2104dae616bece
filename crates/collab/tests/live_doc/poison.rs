//! Hostile updates: garbage and structurally valid but broken updates are refused, the sender
//! is closed, and the live document keeps working for everyone else.

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::{CloseReason, ConnId, DocKind, LiveDoc, ProtocolError};

use crate::support::{Net, perms};

fn update_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

#[test]
fn garbage_updates_are_rejected_and_the_room_still_works() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    net.clients.get_mut(&1).unwrap().insert(0, "before");
    net.settle();
    let conn2 = net.conn_of[&2];
    for bad in [
        vec![1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 4, 1, 1, b'x'],
        vec![5, 188, 105, 167, 66, 82, 152, 165, 88, 130, 21],
        vec![1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    ] {
        let fx = net.room.receive(conn2, &update_frame(bad));
        assert!(fx.broadcast.is_empty() && fx.persist.is_empty());
        assert!(matches!(fx.close, Some(CloseReason::Protocol(_))), "{:?}", fx.close);
    }
    net.clients.get_mut(&1).unwrap().insert(6, " after");
    net.settle();
    assert_eq!(net.room_text(), "before after");
    assert_eq!(net.clients[&2].text(), "before after");
    let (snap, _) = net.room.snapshot();
    let (room, report) = LiveDoc::load(DocKind::Code, Some(&snap), std::iter::empty());
    assert!(report.is_clean());
    assert_eq!(room.text(), "before after");
}

#[test]
fn oversized_updates_close_the_sender() {
    let mut room = LiveDoc::new(DocKind::Code);
    room.set_limits(codeview_collab::Limits { max_update_bytes: 100, ..Default::default() });
    let _ = room.connect(ConnId(1), perms("a", true));
    let fx = room.receive(ConnId(1), &update_frame(vec![0; 200]));
    assert!(matches!(fx.close, Some(CloseReason::Protocol(ProtocolError::UpdateTooLarge { .. }))));
}

#[test]
fn document_size_is_capped() {
    let mut net = Net::new(DocKind::Code);
    net.room.set_limits(codeview_collab::Limits { max_doc_bytes: 1000, ..Default::default() });
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.settle();
    let big = "x".repeat(600);
    net.clients.get_mut(&1).unwrap().insert(0, &big);
    net.settle();
    net.clients.get_mut(&1).unwrap().insert(0, &big);
    net.settle();
    assert_eq!(net.closed, vec![1]);
    assert_eq!(net.room_text().len(), 600);
}

/// Found by `fuzz_bounded::find_minimal_poison`: three updates from one client whose items
/// name each other as origins out of clock order. Each passes the per-update checks, but
/// the resulting document does not survive a reload unchanged.
const CYCLIC_ORIGINS: [&[u8]; 3] = [
    &[0, 2, 21, 1, 1, 173, 214, 204, 249, 197, 7, 2, 136, 173, 214, 204, 249, 197, 7, 0, 1, 125, 2, 0],
    &[0, 2, 20, 1, 1, 173, 214, 204, 249, 197, 7, 0, 8, 1, 4, 108, 105, 115, 116, 1, 125, 0, 0],
    &[0, 2, 21, 1, 1, 173, 214, 204, 249, 197, 7, 1, 136, 173, 214, 204, 249, 197, 7, 2, 1, 125, 11, 0],
];

#[test]
fn updates_with_missing_dependencies_are_dropped_not_parked() {
    let mut net = Net::new(DocKind::Code);
    // Also as a large document would be (no eager verification): the door check alone holds.
    net.room.set_limits(codeview_collab::Limits { eager_verify_bytes: 0, ..Default::default() });
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("good", true));
    net.connect(2, perms("attacker", true));
    net.clients.get_mut(&1).unwrap().insert(0, "hello");
    net.settle();
    let attacker = net.conn_of[&2];
    for frame in CYCLIC_ORIGINS {
        let fx = net.room.receive(attacker, frame);
        net.apply(Some(2), fx);
        assert!(!net.room.has_pending_updates());
    }
    let fx = net.room.maintain();
    assert!(fx.is_empty(), "nothing poisonous got in: {fx:?}");
    net.clients.get_mut(&1).unwrap().insert(5, " world");
    net.settle();
    assert_eq!(net.room_text(), "hello world");
    assert_eq!(net.clients[&1].text(), "hello world");
    let before = net.room_text();
    net.restart(false);
    assert_eq!(net.room_text(), before);
}

#[test]
fn an_update_typed_before_the_sync_answer_arrives_via_sync_step2() {
    // A client with offline edits types again before answering our SyncStep1: its update
    // depends on edits the live document has not seen and is dropped, then its SyncStep2 brings both.
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.settle();
    let c2 = net.clients.get_mut(&2).unwrap();
    c2.insert(0, "offline ");
    c2.outbox.clear();
    net.connect(2, perms("b", true));
    // Before processing the live document's frames, client 2 types again and sends it first.
    let c2 = net.clients.get_mut(&2).unwrap();
    c2.insert(8, "more");
    let typed = c2.outbox.pop().unwrap();
    net.clients.get_mut(&2).unwrap().outbox.insert(0, typed);
    net.settle();
    assert_eq!(net.room_text(), "offline more");
    assert_eq!(net.clients[&1].text(), "offline more");
    assert!(net.closed.is_empty());
}

#[test]
fn a_poisoned_log_still_loads() {
    let updates: Vec<&[u8]> = CYCLIC_ORIGINS.iter().map(|f| &f[3..]).collect();
    let (room, report) = LiveDoc::load(DocKind::Code, None, updates);
    assert!(!report.skipped_updates.is_empty(), "{report:?}");
    let (snap, _) = { room }.snapshot();
    let (_, report) = LiveDoc::load(DocKind::Code, Some(&snap), std::iter::empty());
    assert!(report.is_clean());
}
