//! Document sync through the room: convergence, permissions, the shared language.

use codeview_collab::{CloseReason, ConnId, DocKind, ProtocolError, Room};

use crate::support::{Net, perms};

#[test]
fn two_clients_converge_through_the_room() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    net.settle();
    net.clients.get_mut(&1).unwrap().insert(0, "hello");
    net.clients.get_mut(&2).unwrap().insert(0, "world ");
    net.settle();
    let a = net.clients[&1].text();
    assert_eq!(a.len(), 11);
    assert_eq!(a, net.clients[&2].text());
    assert_eq!(a, net.room_text());
    assert!(!net.log.is_empty(), "accepted updates are handed to the durable log");
}

#[test]
fn offline_edits_merge_when_a_client_connects() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "online");
    net.settle();
    // Client 2 edits before it ever connects; its SyncStep2 carries the edit.
    net.clients.get_mut(&2).unwrap().insert(0, "offline ");
    net.clients.get_mut(&2).unwrap().outbox.clear();
    net.connect(2, perms("b", true));
    net.settle();
    assert_eq!(net.clients[&1].text(), net.clients[&2].text());
    assert!(net.room_text().contains("offline"));
}

#[test]
fn read_only_updates_never_reach_the_doc() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("writer", true));
    net.connect(2, perms("observer", false));
    net.clients.get_mut(&1).unwrap().insert(0, "abc");
    net.settle();
    assert_eq!(net.clients[&2].text(), "abc", "observers still receive");
    let log_len = net.log.len();
    net.clients.get_mut(&2).unwrap().insert(0, "XYZ");
    net.settle();
    assert_eq!(net.room_text(), "abc");
    assert_eq!(net.clients[&1].text(), "abc");
    assert_eq!(net.log.len(), log_len, "nothing persisted");
    assert!(net.closed.is_empty(), "dropping is silent");
}

#[test]
fn an_ended_interview_is_read_only_for_everyone() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "x");
    net.settle();
    net.room.set_read_only(true);
    net.clients.get_mut(&1).unwrap().insert(1, "y");
    net.settle();
    assert_eq!(net.room_text(), "x");
}

#[test]
fn language_set_by_the_server_reaches_clients_and_persists() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.settle();
    let fx = net.room.set_language("python");
    assert_eq!(fx.persist.len(), 1);
    net.apply(None, fx);
    net.settle();
    assert_eq!(net.room.language().as_deref(), Some("python"));
    use codeview_collab::yrs::{Map, Transact};
    let doc = net.clients[&1].doc();
    let meta = doc.get_or_insert_map("meta");
    let txn = doc.transact();
    assert_eq!(meta.get(&txn, "language").unwrap().to_string(&txn), "python");
    drop(txn);
    net.restart(false);
    assert_eq!(net.room.language().as_deref(), Some("python"));
}

#[test]
fn unknown_connections_and_garbage_close_the_socket() {
    let mut room = Room::new(DocKind::Code);
    let fx = room.receive(ConnId(9), &[0, 0, 1, 0]);
    assert_eq!(fx.close, Some(CloseReason::Protocol(ProtocolError::UnknownConnection)));
    let _ = room.connect(ConnId(1), perms("a", true));
    let fx = room.receive(ConnId(1), &[0, 7, 1]);
    assert!(matches!(fx.close, Some(CloseReason::Protocol(ProtocolError::Malformed(_)))));
    let fx = room.receive(ConnId(1), &vec![0u8; (4 << 20) + 1]);
    assert!(matches!(fx.close, Some(CloseReason::Protocol(ProtocolError::FrameTooLarge { .. }))));
}

#[test]
fn room_is_send_so_a_task_can_own_it() {
    fn assert_send<T: Send>() {}
    assert_send::<Room>();
}

#[test]
fn a_joiner_gets_the_whole_state_in_one_sync_step2() {
    let mut net = Net::new(DocKind::Code);
    // No eager verification: updates accumulate as deltas, as for a large document.
    net.room.set_limits(codeview_collab::Limits { eager_verify_bytes: 0, ..Default::default() });
    net.add_client(1);
    net.connect(1, perms("a", true));
    for i in 0..10 {
        net.clients.get_mut(&1).unwrap().insert(i, "x");
        net.settle();
    }
    use codeview_collab::yrs::StateVector;
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    let _ = net.room.connect(ConnId(99), perms("late", true));
    let step1 = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    let fx = net.room.receive(ConnId(99), &step1);
    // y-websocket reports `synced` on the SyncStep2: it must already hold the recent updates.
    assert_eq!(fx.reply.len(), 1, "one SyncStep2 with base and recent updates merged");
    use codeview_collab::yrs::updates::decoder::Decode;
    use codeview_collab::yrs::{GetString, Transact, Update};
    let Ok(Message::Sync(SyncMessage::SyncStep2(update))) = Message::decode_v1(&fx.reply[0]) else {
        panic!("expected a SyncStep2");
    };
    let joiner = codeview_collab::yrs::Doc::new();
    let text = joiner.get_or_insert_text("code");
    joiner.transact_mut().apply_update(Update::decode_v1(&update).unwrap()).unwrap();
    assert_eq!(text.get_string(&joiner.transact()), "xxxxxxxxxx");
    net.add_client(2);
    net.connect(2, perms("b", true));
    net.settle();
    assert_eq!(net.clients[&2].text(), "xxxxxxxxxx");
}

#[test]
fn reconnecting_clients_with_the_same_state_share_one_encoded_answer() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "abc");
    net.settle();
    net.clients.get_mut(&1).unwrap().delete(0, 1);
    net.settle();
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::yrs::{ReadTxn, Transact};
    let sv = net.clients[&1].doc().transact().state_vector();
    let step1 = Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1();
    let _ = net.room.connect(ConnId(50), perms("a", true));
    let _ = net.room.connect(ConnId(51), perms("b", true));
    let a = net.room.receive(ConnId(50), &step1);
    let b = net.room.receive(ConnId(51), &step1);
    assert_eq!(a.reply.len(), 1);
    assert_eq!(a.reply[0].as_ptr(), b.reply[0].as_ptr(), "same cached frame");
}
