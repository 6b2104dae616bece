//! Awareness through the live document: cursors appear, vanish on disconnect, cannot be spoofed,
//! floods are merged, and observers are seen without their cursors.

use std::time::{Duration, Instant};

use codeview_collab::yrs::sync::{Awareness, Message};
use codeview_collab::yrs::updates::decoder::Decode;
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::{ConnId, DocKind, LiveDoc};
use serde_json::Value;

use crate::support::{Net, observer, perms};

fn state_of(aw: &Awareness, client: codeview_collab::yrs::ClientID) -> Option<Value> {
    aw.state::<Value>(client)
}

#[test]
fn awareness_appears_at_peers_and_disappears_on_disconnect() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    net.settle();
    let c1 = net.clients[&1].awareness.client_id();
    net.clients.get_mut(&1).unwrap().awareness.set_local_state_raw(r#"{"cursor":{"anchor":3}}"#);
    net.clients.get_mut(&1).unwrap().send_awareness();
    net.settle();
    let seen = state_of(&net.clients[&2].awareness, c1).expect("peer sees the cursor");
    assert_eq!(seen["cursor"]["anchor"], 3);
    assert_eq!(seen["user"]["name"], "name-a");

    // A late joiner gets current states with its first frames.
    net.add_client(3);
    net.connect(3, perms("c", false));
    net.settle();
    assert!(state_of(&net.clients[&3].awareness, c1).is_some());

    net.disconnect(1);
    net.settle();
    assert!(state_of(&net.clients[&2].awareness, c1).is_none(), "no ghost cursor");
    assert!(state_of(&net.clients[&3].awareness, c1).is_none(), "no ghost cursor");
}

#[test]
fn spoofed_name_and_role_are_rewritten() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("mallory", true));
    net.connect(2, perms("b", true));
    net.settle();
    let c1 = net.clients[&1].awareness.client_id();
    net.clients
        .get_mut(&1)
        .unwrap()
        .awareness
        .set_local_state_raw(r##"{"user":{"name":"The Interviewer","role":"host","color":"#fff"},"cursor":null}"##);
    net.clients.get_mut(&1).unwrap().send_awareness();
    net.settle();
    let seen = state_of(&net.clients[&2].awareness, c1).unwrap();
    assert_eq!(seen["user"]["name"], "name-mallory");
    assert_eq!(seen["user"]["role"], "candidate");
    assert_eq!(seen["user"]["id"], "mallory");
}

#[test]
fn a_connection_cannot_speak_for_another_participants_client() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    let c1 = net.clients[&1].awareness.client_id();
    net.clients.get_mut(&1).unwrap().awareness.set_local_state_raw(r#"{"cursor":1}"#);
    net.clients.get_mut(&1).unwrap().send_awareness();
    net.settle();

    // Client 2 forges an update for client 1's id: a new state, then a removal.
    let forged = |json: &str, clock: u32| {
        let mut clients = std::collections::HashMap::new();
        clients.insert(c1, codeview_collab::yrs::sync::awareness::AwarenessUpdateEntry { clock, json: json.into() });
        Message::Awareness(codeview_collab::yrs::sync::AwarenessUpdate { clients }).encode_v1()
    };
    net.clients.get_mut(&2).unwrap().outbox.push(forged(r#"{"cursor":99}"#, 50));
    net.clients.get_mut(&2).unwrap().outbox.push(forged("null", 51));
    net.settle();
    let seen = state_of(&net.clients[&2].awareness, c1).unwrap();
    assert_eq!(seen["cursor"], 1);
    assert_eq!(seen["user"]["id"], "a");
}

#[test]
fn awareness_floods_are_merged_and_flushed_by_tick() {
    let mut room = LiveDoc::new(DocKind::Code);
    let _ = room.connect(ConnId(1), perms("a", true));
    let _ = room.connect(ConnId(2), perms("b", true));
    let mut client = Awareness::default();
    let t0 = Instant::now();
    let mut immediate = 0;
    for i in 0..100 {
        client.set_local_state_raw(format!(r#"{{"cursor":{i}}}"#));
        let id = client.client_id();
        let frame = Message::Awareness(client.update_with_clients([id]).unwrap()).encode_v1();
        let fx = room.receive_at(ConnId(1), &frame, t0 + Duration::from_millis(i));
        immediate += fx.broadcast.len();
    }
    assert_eq!(immediate, 2, "one broadcast per 50 ms window");
    let due = room.next_tick().expect("merged states are pending");
    let fx = room.tick(due);
    assert_eq!(fx.broadcast.len(), 1);
    // The flushed frame carries the latest state.
    let Message::Awareness(update) = Message::decode_v1(&fx.broadcast[0]).unwrap() else { panic!("not awareness") };
    let entry = update.clients.values().next().unwrap();
    assert!(entry.json.contains(r#""cursor":99"#), "{}", entry.json);
    assert!(room.next_tick().is_none());
}

#[test]
fn a_reconnecting_participant_takes_its_cursor_to_the_new_socket() {
    let mut room = LiveDoc::new(DocKind::Code);
    let _ = room.connect(ConnId(1), perms("a", true));
    let _ = room.connect(ConnId(9), perms("b", true));
    let mut client = Awareness::default();
    client.set_local_state_raw(r#"{"cursor":1}"#);
    let id = client.client_id();
    let frame = |aw: &Awareness| Message::Awareness(aw.update_with_clients([id]).unwrap()).encode_v1();
    let t0 = Instant::now();
    let _ = room.receive_at(ConnId(1), &frame(&client), t0);
    // The new socket speaks for the same client id before the old one is noticed gone.
    let _ = room.connect(ConnId(2), perms("a", true));
    client.set_local_state_raw(r#"{"cursor":2}"#);
    let fx = room.receive_at(ConnId(2), &frame(&client), t0 + Duration::from_secs(1));
    assert_eq!(fx.broadcast.len(), 1, "accepted from the same participant");
    // Closing the old socket must not remove the cursor that moved.
    let fx = room.disconnect(ConnId(1));
    assert!(fx.broadcast.is_empty(), "no removal for a client that moved");
    let fx = room.receive_at(ConnId(9), &Message::AwarenessQuery.encode_v1(), t0);
    let Message::Awareness(all) = Message::decode_v1(&fx.reply[0]).unwrap() else { panic!("not awareness") };
    assert!(all.clients[&id].json.contains(r#""cursor":2"#));
}

#[test]
fn a_second_tab_echoing_a_cursor_does_not_keep_it_alive() {
    // y-websocket re-broadcasts every awareness state it applies, so the participant's second
    // tab sends the first tab's state back with the same clock.
    let mut room = LiveDoc::new(DocKind::Code);
    let _ = room.connect(ConnId(1), perms("a", true));
    let _ = room.connect(ConnId(2), perms("a", true));
    let _ = room.connect(ConnId(9), perms("b", true));
    let mut first_tab = Awareness::default();
    first_tab.set_local_state_raw(r#"{"cursor":1}"#);
    let id = first_tab.client_id();
    let frame = Message::Awareness(first_tab.update_with_clients([id]).unwrap()).encode_v1();
    let t0 = Instant::now();
    let fx = room.receive_at(ConnId(1), &frame, t0);
    let relayed = fx.broadcast[0].clone();
    let fx = room.receive_at(ConnId(2), &relayed, t0 + Duration::from_secs(1));
    assert!(fx.broadcast.is_empty(), "an echo changes nothing");

    let fx = room.disconnect(ConnId(1));
    assert_eq!(fx.broadcast.len(), 1, "the first tab's cursor is removed when it closes");
    let Message::Awareness(removal) = Message::decode_v1(&fx.broadcast[0]).unwrap() else { panic!("not awareness") };
    assert_eq!(removal.clients[&id].json.as_ref(), "null");
    let fx = room.receive_at(ConnId(9), &Message::AwarenessQuery.encode_v1(), t0);
    assert!(fx.reply.is_empty(), "no ghost cursor left: {:?}", fx.reply);
}

/// What y-monaco puts in awareness for a selection (relative positions), plus a `cursor` field
/// as other editor bindings write it.
const SELECT_ALL: &str = r#"{"selection":{"anchor":{"type":{"client":1,"clock":0},"tname":null,"item":null,"assoc":0},"head":{"type":null,"tname":"code","item":null,"assoc":0}},"cursor":{"anchor":0,"head":999}}"#;

#[test]
fn an_observers_cursor_and_selection_never_reach_anyone_but_their_presence_does() {
    let mut net = Net::new(DocKind::Code);
    for key in [1, 2, 3] {
        net.add_client(key);
    }
    net.connect(1, perms("writer", true));
    net.connect(2, perms("peer", true));
    net.connect(3, observer("watcher"));
    net.settle();
    let writer = net.clients[&1].awareness.client_id();
    let watcher = net.clients[&3].awareness.client_id();
    for key in [1, 3] {
        let client = net.clients.get_mut(&key).unwrap();
        client.awareness.set_local_state_raw(SELECT_ALL);
        client.send_awareness();
    }
    net.settle();

    // Moving the selection again changes nothing for the others either.
    let client = net.clients.get_mut(&3).unwrap();
    client.awareness.set_local_state_raw(r#"{"selection":{"anchor":5,"head":6}}"#);
    client.send_awareness();
    net.settle();

    // A late joiner gets the stored states: the observer's is stripped there too.
    net.add_client(4);
    net.connect(4, perms("late", true));
    net.settle();

    for key in [1, 2, 4] {
        let seen = state_of(&net.clients[&key].awareness, watcher).expect("the observer is present");
        assert_eq!(seen["user"]["name"], "name-watcher", "{seen}");
        assert_eq!(seen["user"]["role"], "observer", "{seen}");
        assert_eq!(seen.as_object().unwrap().len(), 1, "only `user` is shared: {seen}");
    }
    for key in [2, 3, 4] {
        let seen = state_of(&net.clients[&key].awareness, writer).expect("the writer is present");
        assert_eq!(seen["selection"]["head"]["tname"], "code", "a writer's selection is shared: {seen}");
        assert_eq!(seen["cursor"]["head"], 999, "{seen}");
    }
}
