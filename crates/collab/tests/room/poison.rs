//! Hostile updates: garbage and structurally valid but broken updates are refused, the sender
//! is closed, and the room keeps working for everyone else.

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::{CloseReason, ConnId, DocKind, ProtocolError, Room};

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
        assert!(
            matches!(fx.close, Some(CloseReason::Protocol(_))),
            "{:?}",
            fx.close
        );
    }
    net.clients.get_mut(&1).unwrap().insert(6, " after");
    net.settle();
    assert_eq!(net.room_text(), "before after");
    assert_eq!(net.clients[&2].text(), "before after");
    let (snap, _) = net.room.snapshot();
    let (room, report) = Room::load(DocKind::Code, Some(&snap), std::iter::empty());
    assert!(report.is_clean());
    assert_eq!(room.text(), "before after");
}

#[test]
fn oversized_updates_close_the_sender() {
    let mut room = Room::new(DocKind::Code);
    room.set_limits(codeview_collab::Limits {
        max_update_bytes: 100,
        ..Default::default()
    });
    let _ = room.connect(ConnId(1), perms("a", true));
    let fx = room.receive(ConnId(1), &update_frame(vec![0; 200]));
    assert!(matches!(
        fx.close,
        Some(CloseReason::Protocol(ProtocolError::UpdateTooLarge { .. }))
    ));
}

#[test]
fn document_size_is_capped() {
    let mut net = Net::new(DocKind::Code);
    net.room.set_limits(codeview_collab::Limits {
        max_doc_bytes: 1000,
        ..Default::default()
    });
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
