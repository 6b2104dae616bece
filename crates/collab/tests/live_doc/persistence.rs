//! Loading from the durable store: snapshot + log equals the live state, and corrupt
//! entries are skipped and reported instead of making the live document unloadable.

use codeview_collab::DocKind;
use codeview_collab::LiveDoc;

use crate::support::{Net, perms};

fn typed_net() -> Net {
    let mut net = Net::new(DocKind::Code);
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    for i in 0..20 {
        net.clients.get_mut(&1).unwrap().insert(i, "a");
        net.clients.get_mut(&2).unwrap().insert(0, "b");
        if i % 5 == 0 {
            net.clients.get_mut(&2).unwrap().delete(1, 2);
        }
        net.settle();
    }
    net
}

#[test]
fn load_from_snapshot_and_log_equals_live_state() {
    let mut net = typed_net();
    let live = net.room_text();
    // Log only.
    let (room, report) = LiveDoc::load(DocKind::Code, None, net.log.iter().map(|u| u.as_slice()));
    assert!(report.is_clean());
    assert_eq!(room.text(), live);
    // Snapshot half-way, then the rest of the log.
    let half = net.log.len() / 2;
    let (mut early, _) = LiveDoc::load(DocKind::Code, None, net.log[..half].iter().map(|u| u.as_slice()));
    let (snap, _) = early.snapshot();
    let (room, report) = LiveDoc::load(DocKind::Code, Some(&snap), net.log[half..].iter().map(|u| u.as_slice()));
    assert!(report.is_clean());
    assert_eq!(room.text(), live);
    // Full snapshot from the live room.
    let (snap, _) = net.room.snapshot();
    let (room, _) = LiveDoc::load(DocKind::Code, Some(&snap), std::iter::empty());
    assert_eq!(room.text(), live);
}

#[test]
fn corrupt_log_entries_are_skipped_and_reported() {
    let net = typed_net();
    let mut log: Vec<Vec<u8>> = net.log.clone();
    log.insert(3, vec![0xff, 0xff, 0xff]);
    log.push(b"not an update at all".to_vec());
    let (room, report) = LiveDoc::load(DocKind::Code, None, log.iter().map(|u| u.as_slice()));
    let skipped: Vec<usize> = report.skipped_updates.iter().map(|s| s.index).collect();
    assert_eq!(skipped, vec![3, log.len() - 1]);
    assert_eq!(room.text(), net.room_text());
}

#[test]
fn a_corrupt_snapshot_is_reported_and_the_log_still_loads() {
    let net = typed_net();
    let (room, report) = LiveDoc::load(DocKind::Code, Some(&[1, 2, 3, 4, 5]), net.log.iter().map(|u| u.as_slice()));
    assert!(report.snapshot_rejected.is_some());
    assert_eq!(room.text(), net.room_text());
}

#[test]
fn restarted_room_serves_reconnecting_clients() {
    let mut net = typed_net();
    let before = net.room_text();
    net.restart(true);
    assert_eq!(net.room_text(), before);
    net.connect(1, perms("a", true));
    net.connect(2, perms("b", true));
    net.clients.get_mut(&1).unwrap().insert(0, "!");
    net.settle();
    assert_eq!(net.clients[&1].text(), net.clients[&2].text());
    assert_eq!(net.clients[&1].text(), net.room_text());
}
