//! Root types: the code document holds one Y.Text per question (`code`, `code:{question_id}`)
//! and `meta`; the notes document holds `notes`. A client creating any other root, or more
//! roots than the limit, is refused and closed like any hostile update, and the live document
//! keeps working. The server fills empty question texts with starter code, never typed ones.

use codeview_collab::yrs::sync::{Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, Map, ReadTxn, Text, Transact, WriteTxn};
use codeview_collab::{CloseReason, ConnId, DocKind, Limits, LiveDoc, code_text_name};

use crate::support::{Net, perms};

const Q2: &str = "0190a5f4-1b2c-7d3e-8f40-123456789abd";

/// An update (as its own client) that writes `content` into the root text `name`.
fn text_update(name: &str, content: &str) -> Vec<u8> {
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    let text = txn.get_or_insert_text(name);
    text.insert(&mut txn, 0, content);
    txn.encode_update_v1()
}

fn frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

fn connected(kind: DocKind) -> LiveDoc {
    let mut room = LiveDoc::new(kind);
    let _ = room.connect(ConnId(1), perms("a", true));
    let _ = room.receive(ConnId(1), &Message::Sync(SyncMessage::SyncStep2(vec![0, 0])).encode_v1());
    room
}

#[test]
fn a_question_text_is_accepted_and_read_by_name() {
    let mut room = connected(DocKind::Code);
    let name = code_text_name(Some(Q2), false);
    let fx = room.receive(ConnId(1), &frame(text_update(&name, "def two(): pass")));
    assert!(fx.close.is_none(), "{:?}", fx.close);
    assert_eq!(fx.persist.len(), 1);
    assert_eq!(room.named_text(&name), "def two(): pass");
    assert_eq!(room.text(), "", "the first question's text is another one");
}

#[test]
fn a_frame_creating_another_root_is_refused_like_other_hostile_frames() {
    for (kind, name) in [
        (DocKind::Code, "list"),
        (DocKind::Code, "code:not-a-question"),
        (DocKind::Code, "notes"),
        (DocKind::Notes, "code"),
        (DocKind::Notes, "meta"),
    ] {
        let mut room = connected(kind);
        let fx = room.receive(ConnId(1), &frame(text_update(name, "junk")));
        assert!(matches!(fx.close, Some(CloseReason::Protocol(_))), "{kind:?} {name}: {:?}", fx.close);
        assert!(fx.persist.is_empty() && fx.broadcast.is_empty(), "{kind:?} {name}");
        assert_eq!(room.named_text(name), "", "{kind:?} {name}: the document was rebuilt without it");
        let (snapshot, _) = room.snapshot();
        let (reloaded, report) = LiveDoc::load(kind, Some(&snapshot), std::iter::empty());
        assert!(report.is_clean());
        assert_eq!(reloaded.named_text(name), "");
    }
    // A map root under another name, too.
    let mut room = connected(DocKind::Code);
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    txn.get_or_insert_map("settings").insert(&mut txn, "x", 1);
    let fx = room.receive(ConnId(1), &frame(txn.encode_update_v1()));
    assert!(matches!(fx.close, Some(CloseReason::Protocol(_))), "{:?}", fx.close);
}

#[test]
fn the_number_of_root_types_is_bounded() {
    let mut room = connected(DocKind::Code);
    room.set_limits(Limits { max_root_types: 3, ..Limits::default() });
    let question = |i: u32| code_text_name(Some(&format!("0190a5f4-1b2c-7d3e-8f40-{i:012x}")), false);
    for i in 0..3 {
        let fx = room.receive(ConnId(1), &frame(text_update(&question(i), "x")));
        assert!(fx.close.is_none(), "root {i}: {:?}", fx.close);
    }
    let fx = room.receive(ConnId(1), &frame(text_update(&question(3), "x")));
    assert!(matches!(fx.close, Some(CloseReason::Protocol(_))), "{:?}", fx.close);
    assert_eq!(room.named_text(&question(3)), "");
    // Writing into the roots it has is still fine.
    let fx = room.receive(ConnId(1), &frame(text_update(&question(0), "y")));
    assert!(fx.close.is_none(), "{:?}", fx.close);
}

#[test]
fn starter_code_fills_only_empty_texts_in_one_update() {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.connect(1, perms("a", true));
    net.clients.get_mut(&1).unwrap().insert(0, "typed");
    net.settle();
    let second = code_text_name(Some(Q2), false);
    let seeds = vec![("code".to_owned(), "starter 1".to_owned()), (second.clone(), "starter 2".to_owned())];
    let fx = net.room.fill_empty_texts(&seeds);
    assert_eq!(fx.persist.len(), 1, "one transaction");
    net.apply(None, fx);
    net.settle();
    assert_eq!(net.room.text(), "typed", "typed code is never overwritten");
    assert_eq!(net.room.named_text(&second), "starter 2");
    let client = net.clients[&1].doc().transact();
    assert_eq!(client.get_text(second.as_str()).map(|t| t.get_string(&client)).as_deref(), Some("starter 2"));
    drop(client);
    let again = net.room.fill_empty_texts(&seeds);
    assert!(again.persist.is_empty() && again.broadcast.is_empty(), "a retry changes nothing");
    let refused = net.room.fill_empty_texts(&[("list".to_owned(), "x".to_owned())]);
    assert!(refused.persist.is_empty(), "the server writes only the document's own roots");
}
