//! Document sync through the live document: convergence, permissions, the shared language.

use codeview_collab::{CloseReason, ConnId, DocKind, LiveDoc, ProtocolError};

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
fn the_editor_lock_drops_only_the_held_connections_updates_until_unlocked() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("interviewer", true));
    let mut candidate = perms("candidate", true);
    candidate.held_by_editor_lock = true;
    net.connect(2, candidate);
    net.clients.get_mut(&2).unwrap().insert(0, "a");
    net.settle();
    assert_eq!(net.room_text(), "a");

    net.room.set_editor_locked(true);
    let log_len = net.log.len();
    net.clients.get_mut(&2).unwrap().insert(1, "LOCKED");
    net.settle();
    assert_eq!(net.room_text(), "a", "the candidate's update is dropped");
    assert_eq!(net.clients[&1].text(), "a", "and never relayed");
    assert_eq!(net.log.len(), log_len, "nor persisted");
    assert!(net.closed.is_empty(), "dropping is silent");
    net.clients.get_mut(&1).unwrap().insert(0, "i");
    net.settle();
    assert_eq!(net.room_text(), "ia", "the interviewer still writes");

    // Unlocked, the candidate writes again (a fresh client: the web client re-syncs from the
    // server after an unlock, leaving behind what was dropped).
    net.room.set_editor_locked(false);
    assert!(!net.room.is_editor_locked());
    net.add_client(3);
    let mut candidate = perms("candidate", true);
    candidate.held_by_editor_lock = true;
    net.connect(3, candidate);
    net.settle();
    net.clients.get_mut(&3).unwrap().insert(2, "b");
    net.settle();
    assert_eq!(net.room_text(), "iab");
    assert_eq!(net.clients[&1].text(), "iab");
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
    let mut room = LiveDoc::new(DocKind::Code);
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
    assert_send::<LiveDoc>();
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

/// A 14 MB document's state must exist once however many joiners ask for it at the same
/// time: every joiner with an empty state vector gets the same allocation, until a change.
#[test]
fn joiners_with_nothing_of_the_document_share_one_encoded_state_until_it_changes() {
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::yrs::{ClientID, StateVector};
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "shared state");
    net.settle();
    let empty = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    // A state vector naming only clients the live document never saw (or clock 0) asks for the same.
    let strangers: StateVector = [(ClientID::new(4242), 7), (ClientID::new(4343), 0)].into_iter().collect();
    let strangers = Message::Sync(SyncMessage::SyncStep1(strangers)).encode_v1();
    let mut answers = Vec::new();
    for (i, step1) in [&empty, &strangers, &empty].into_iter().enumerate() {
        let conn = ConnId(100 + i as u64);
        let _ = net.room.connect(conn, perms("joiner", false));
        let fx = net.room.receive(conn, step1);
        assert_eq!(fx.reply.len(), 1);
        answers.push(fx.reply[0].clone());
    }
    assert!(answers.iter().all(|a| a.as_ptr() == answers[0].as_ptr() && a.len() == answers[0].len()), "one allocation");

    net.clients.get_mut(&1).unwrap().insert(0, "changed ");
    net.settle();
    let _ = net.room.connect(ConnId(200), perms("late", false));
    let fx = net.room.receive(ConnId(200), &empty);
    assert_ne!(fx.reply[0], answers[0], "a change invalidates the shared state");
}

#[test]
fn a_state_vector_ahead_of_the_room_gets_the_same_answer_as_the_rooms_own() {
    use codeview_collab::yrs::sync::{Message, SyncMessage};
    use codeview_collab::yrs::updates::encoder::Encode;
    use codeview_collab::yrs::{ClientID, ReadTxn, StateVector, Transact};
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "abc");
    net.settle();
    let ours = net.clients[&1].doc().transact().state_vector();
    let ahead: StateVector =
        ours.iter().map(|(client, clock)| (*client, clock + 1000)).chain([(ClientID::new(77), 5)]).collect();
    let ask = |net: &mut Net, conn: u64, sv: StateVector| {
        let _ = net.room.connect(ConnId(conn), perms("b", false));
        net.room.receive(ConnId(conn), &Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()).reply
    };
    let exact = ask(&mut net, 300, ours);
    let clamped = ask(&mut net, 301, ahead);
    assert_eq!(exact, clamped);
    assert_eq!(exact[0].as_ptr(), clamped[0].as_ptr(), "the cached answer is shared");
}
