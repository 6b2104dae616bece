//! libFuzzer target for the message path: `LiveDoc::receive` on a room that already holds a
//! document and a cursor. The input is split into frames; each frame's first byte picks how
//! it is sent (raw bytes, or wrapped as a structurally valid sync update, sync step 2,
//! awareness payload or sync step 1) so the fuzzer reaches yrs' update integration, not just
//! the framing. After the frames: no panic escaped, the snapshot loads cleanly into an equal
//! room, and a well-behaved client still syncs and converges with it.
#![no_main]

use codeview_collab::yrs::encoding::write::Write;
use codeview_collab::yrs::sync::{Awareness, DefaultProtocol, Message, Protocol, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, StateVector, Text, Transact};
use codeview_collab::{ConnId, ConnPermissions, DocKind, Identity, LiveDoc};
use std::sync::Once;

use libfuzzer_sys::fuzz_target;

fn perms(id: &str) -> ConnPermissions {
    ConnPermissions {
        can_write: true,
        identity: Identity {
            participant_id: id.into(),
            name: id.into(),
            role: "candidate".into(),
            color: "#000".into(),
        },
    }
}

/// A room with some text, typed by a client with a fixed id so inputs can refer to it.
fn seeded_room() -> LiveDoc {
    let doc = Doc::with_client_id(7);
    let text = doc.get_or_insert_text("code");
    let mut room = LiveDoc::new(DocKind::Code);
    let _ = room.connect(ConnId(0), perms("seed"));
    for s in ["hello", " world", "!"] {
        let mut txn = doc.transact_mut();
        let len = text.len(&txn);
        text.insert(&mut txn, len, s);
        let frame = Message::Sync(SyncMessage::Update(txn.encode_update_v1())).encode_v1();
        drop(txn);
        let _ = room.receive(ConnId(0), &frame);
    }
    let _ = room.set_language("python");
    room
}

fn wrap(kind: u8, body: &[u8]) -> Vec<u8> {
    match kind % 5 {
        0 => body.to_vec(),
        1 => Message::Sync(SyncMessage::Update(body.to_vec())).encode_v1(),
        2 => Message::Sync(SyncMessage::SyncStep2(body.to_vec())).encode_v1(),
        3 => {
            let mut f = Vec::new();
            f.write_var(1u8);
            f.write_buf(body);
            f
        }
        _ => {
            let mut f = Vec::new();
            f.write_var(0u8);
            f.write_var(0u8);
            f.write_buf(body);
            f
        }
    }
}

fn good_client_converges(room: &mut LiveDoc) {
    let conn = ConnId(u64::MAX - 1);
    let _ = room.connect(conn, perms("good"));
    let mut client = Awareness::new(Doc::new());
    let step1 = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    let fx = room.receive(conn, &step1);
    assert!(fx.close.is_none());
    for frame in fx.reply {
        DefaultProtocol.handle(&mut client, &frame).expect("room sent a frame yrs cannot read");
    }
    let text = client.doc().get_or_insert_text("code");
    let mut txn = client.doc().transact_mut();
    text.insert(&mut txn, 0, "ok");
    let frame = Message::Sync(SyncMessage::Update(txn.encode_update_v1())).encode_v1();
    drop(txn);
    let fx = room.receive(conn, &frame);
    assert!(fx.close.is_none(), "a good update was refused: {:?}", fx.close);
    let txn = client.doc().transact();
    assert_eq!(text.get_string(&txn), room.text());
}

/// libfuzzer-sys installs a panic hook that aborts on *every* panic, even one the room
/// catches on purpose (yrs panics on malformed input; `LiveDoc` isolates that). Replace it with
/// a silent hook: a panic that escapes the target still aborts (libfuzzer-sys catches it
/// and calls `abort`), so crashes are still reported. Reproduce a crash with the bounded
/// test and `COLLAB_FUZZ_LOUD=1` for messages.
fn allow_caught_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    let mut room = seeded_room();
    let mut conn = 1;
    let _ = room.connect(ConnId(conn), perms("fuzzer"));
    // Frames are separated by 0xFE 0xFD (rare in real updates, easy for the fuzzer to learn).
    let mut rest = data;
    while !rest.is_empty() {
        let end = rest.windows(2).position(|w| w == [0xfe, 0xfd]).unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail.get(2..).unwrap_or(&[]);
        let Some((&kind, body)) = chunk.split_first() else { continue };
        let fx = room.receive(ConnId(conn), &wrap(kind, body));
        if fx.close.is_some() {
            let _ = room.disconnect(ConnId(conn));
            conn += 1;
            let _ = room.connect(ConnId(conn), perms("fuzzer"));
        }
    }
    let (snapshot, _) = room.snapshot();
    let (loaded, report) = LiveDoc::load(DocKind::Code, Some(&snapshot), std::iter::empty());
    assert!(report.is_clean(), "{report:?}");
    if !room.has_pending_updates() {
        assert_eq!(loaded.text(), room.text());
    }
    good_client_converges(&mut room);
});
