//! Prints what a live document costs: heap per live room (RSS growth over thousands of live
//! documents), the time of `LiveDoc::receive` for a one-character update, and full-state work on a
//! ~1 MB document (snapshot encode, verification, load, a joiner's initial sync). Run it in
//! release: `cargo run --release -p codeview-collab --example room_costs`. These are measurements
//! for `docs/collab.md`, not pass/fail tests.

// A counting allocator is the one precise way to see live heap per live document; it needs
// `unsafe impl GlobalAlloc`, which is confined to this measurement binary.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_heap() -> usize {
    LIVE.load(Ordering::Relaxed)
}

use codeview_collab::yrs::sync::{Awareness, Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, ReadTxn, StateVector, Text, Transact};
use codeview_collab::{ConnId, ConnPermissions, DocKind, Identity, LiveDoc};

fn perms(id: &str) -> ConnPermissions {
    ConnPermissions {
        can_write: true,
        shares_cursor: true,
        held_by_editor_lock: false,
        identity: Identity {
            participant_id: id.into(),
            name: format!("Participant {id}"),
            role: "candidate".into(),
            color: "#2563eb".into(),
        },
    }
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// One-character insert frames as a typing client produces them.
fn typing_frames(doc: &Doc, n: usize) -> Vec<Vec<u8>> {
    let text = doc.get_or_insert_text("code");
    (0..n)
        .map(|i| {
            let mut txn = doc.transact_mut();
            let len = text.len(&txn);
            text.insert(&mut txn, len, if i % 40 == 39 { "\n" } else { "x" });
            Message::Sync(SyncMessage::Update(txn.encode_update_v1())).encode_v1()
        })
        .collect()
}

fn awareness_frame(client: u64, cursor: usize) -> Vec<u8> {
    let mut aw = Awareness::new(Doc::with_client_id(client));
    aw.set_local_state_raw(format!(r#"{{"cursor":{{"anchor":{cursor},"head":{cursor}}},"user":{{"name":"x"}}}}"#));
    Message::Awareness(aw.update_with_clients([aw.client_id()]).unwrap()).encode_v1()
}

/// A live two-client room with a small document and both cursors set.
fn small_room(i: u64, frames: &[Vec<u8>]) -> LiveDoc {
    let mut room = LiveDoc::new(DocKind::Code);
    let a = ConnId(2 * i);
    let b = ConnId(2 * i + 1);
    let _ = room.connect(a, perms("a"));
    let _ = room.connect(b, perms("b"));
    for f in frames {
        let _ = room.receive(a, f);
        if room.needs_maintenance() {
            let _ = room.maintain();
        }
    }
    let _ = room.receive(a, &awareness_frame(10 * i + 1, 5));
    let _ = room.receive(b, &awareness_frame(10 * i + 2, 9));
    let _ = room.maintain();
    room
}

fn stage(label: &str, n: usize, f: impl FnOnce() -> Vec<LiveDoc>) -> Vec<LiveDoc> {
    let before = live_heap() as isize;
    let rooms = f();
    println!(
        "memory stage {label}: {:+.2} KB live heap per room",
        (live_heap() as isize - before) as f64 / n as f64 / 1024.0
    );
    rooms
}

fn memory_breakdown() {
    let n = 5_000u64;
    let frames = typing_frames(&Doc::new(), 200);
    let mut rooms = stage("LiveDoc::new", n as usize, || (0..n).map(|_| LiveDoc::new(DocKind::Code)).collect());
    rooms = stage("+ 2 connects", n as usize, move || {
        for (i, r) in rooms.iter_mut().enumerate() {
            let _ = r.connect(ConnId(2 * i as u64), perms("a"));
            let _ = r.connect(ConnId(2 * i as u64 + 1), perms("b"));
        }
        rooms
    });
    rooms = stage("+ 200 one-char updates", n as usize, move || {
        for (i, r) in rooms.iter_mut().enumerate() {
            for f in &frames {
                let _ = r.receive(ConnId(2 * i as u64), f);
                // What the adapter does when its queue is idle.
                if r.needs_maintenance() {
                    let _ = r.maintain();
                }
            }
        }
        rooms
    });
    rooms = stage("+ maintain", n as usize, move || {
        for r in rooms.iter_mut() {
            let _ = r.maintain();
        }
        rooms
    });
    rooms = stage("+ 2 cursors", n as usize, move || {
        for (i, r) in rooms.iter_mut().enumerate() {
            let i = i as u64;
            let _ = r.receive(ConnId(2 * i), &awareness_frame(10 * i + 1, 5));
            let _ = r.receive(ConnId(2 * i + 1), &awareness_frame(10 * i + 2, 9));
        }
        rooms
    });
    drop(rooms);
}

fn memory_per_room() {
    let n = 5_000;
    let frames = typing_frames(&Doc::new(), 200);
    let (heap0, rss0) = (live_heap(), rss_bytes());
    let rooms: Vec<LiveDoc> = (0..n).map(|i| small_room(i, &frames)).collect();
    let (heap1, rss1) = (live_heap(), rss_bytes());
    println!(
        "memory: {:.1} KB live heap ({:.1} KB RSS) per live 2-client room (200-char doc typed char by char, 2 cursors, {n} rooms)",
        (heap1 - heap0) as f64 / n as f64 / 1024.0,
        (rss1 - rss0) as f64 / n as f64 / 1024.0
    );
    let heap0 = live_heap();
    let empty: Vec<LiveDoc> = (0..n).map(|_| LiveDoc::new(DocKind::Code)).collect();
    println!("memory: {:.1} KB live heap per empty room", (live_heap() - heap0) as f64 / n as f64 / 1024.0);
    drop((rooms, empty));
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn receive_cost() {
    let n = 50_000;
    let frames = typing_frames(&Doc::new(), n);
    let mut room = LiveDoc::new(DocKind::Code);
    let _ = room.connect(ConnId(1), perms("a"));
    let _ = room.connect(ConnId(2), perms("b"));
    let mut times = Vec::with_capacity(n);
    for f in &frames {
        let t = Instant::now();
        let fx = room.receive(ConnId(1), f);
        times.push(t.elapsed());
        assert_eq!(fx.broadcast.len(), 1);
        if room.needs_maintenance() {
            let _ = room.maintain();
        }
    }
    // The first ~2 KB of a document are verified eagerly on every update (Limits).
    let (small, large) = times.split_at_mut(1_500);
    for (label, times) in [("doc < 2 KB, eager verification", small), ("doc 2-50 KB", large)] {
        times.sort();
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "receive(1-char update), {label}: mean {:.2} µs, p50 {:.2} µs, p99 {:.2} µs",
            mean.as_secs_f64() * 1e6,
            percentile(times, 0.5).as_secs_f64() * 1e6,
            percentile(times, 0.99).as_secs_f64() * 1e6,
        );
    }
    let aw: Vec<Vec<u8>> = (0..10_000).map(|i| awareness_frame(77, i)).collect();
    let t = Instant::now();
    for (i, f) in aw.iter().enumerate() {
        let _ = room.receive_at(ConnId(1), f, t + Duration::from_millis(i as u64 * 100));
    }
    println!("receive(awareness update): mean {:.2} µs", t.elapsed().as_secs_f64() * 1e6 / aw.len() as f64);
}

/// A ~1 MB document typed the way people type: many small inserts at scattered positions
/// and some deletions, so it has a realistic number of blocks and a delete set.
fn big_doc_update() -> Vec<u8> {
    let doc = Doc::new();
    let text = doc.get_or_insert_text("code");
    let mut seed = 7u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let line = "    let value = compute(input, 42); // a line of code\n".repeat(12);
    while text.len(&doc.transact()) < 1_000_000 {
        let mut txn = doc.transact_mut();
        let len = text.len(&txn) as u64;
        let at = (next() % (len + 1)) as u32;
        text.insert(&mut txn, at, &line);
        if len > 100 {
            let at = (next() % (len - 50)) as u32;
            text.remove_range(&mut txn, at, 7);
        }
    }
    doc.transact().encode_state_as_update_v1(&StateVector::default())
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64() * 1e3)
}

fn big_document() {
    let full = big_doc_update();
    let ((mut room, report), load_ms) = time(|| LiveDoc::load(DocKind::Code, Some(&full), std::iter::empty()));
    assert!(report.is_clean());
    println!("1 MB doc: {} KB encoded, {} chars", full.len() / 1024, room.text().len());
    println!("1 MB doc: LiveDoc::load (decode, apply, verify) {load_ms:.1} ms");
    let doc = Doc::new();
    let (_, encode_ms) = time(|| {
        let d = Doc::new();
        d.transact_mut()
            .apply_update(codeview_collab::yrs::updates::decoder::Decode::decode_v1(&full).unwrap())
            .unwrap();
        let (_, ms) = time(|| d.transact().encode_state_as_update_v1(&StateVector::default()));
        ms
    });
    let _ = (doc, encode_ms);
    let _ = room.connect(ConnId(1), perms("a"));
    let _ = room.connect(ConnId(2), perms("b"));
    // One edit so the snapshot has work to do.
    for f in typing_frames(&Doc::new(), 1) {
        let _ = room.receive(ConnId(1), &f);
    }
    let ((snap, _), snap_ms) = time(|| room.snapshot());
    println!("1 MB doc: snapshot() (full encode + round-trip verification) {snap_ms:.1} ms, {} KB", snap.len() / 1024);
    let raw_encode = {
        let d = LiveDoc::load(DocKind::Code, Some(&snap), std::iter::empty()).0;
        let _ = d;
        let doc = Doc::new();
        doc.transact_mut()
            .apply_update(codeview_collab::yrs::updates::decoder::Decode::decode_v1(&snap).unwrap())
            .unwrap();
        time(|| doc.transact().encode_state_as_update_v1(&StateVector::default())).1
    };
    println!("1 MB doc: raw yrs full-state encode {raw_encode:.1} ms");
    // A new joiner: empty state vector → cached SyncStep2.
    let step1 = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    let (fx, join_ms) = time(|| room.receive(ConnId(2), &step1));
    println!("1 MB doc: new joiner's SyncStep2 {join_ms:.3} ms (cached; {} frame(s))", fx.reply.len());
    for f in typing_frames(&Doc::new(), 3) {
        let _ = room.receive(ConnId(1), &f);
    }
    let (fx, join_ms) = time(|| room.receive(ConnId(2), &step1));
    println!(
        "1 MB doc: joiner after 3 more edits {join_ms:.3} ms ({} frames: cached base + merged deltas)",
        fx.reply.len()
    );
    // A reconnecting, up-to-date client: diff for its state vector, then cached.
    let sv = {
        let d = Doc::new();
        let (_, fx) = room.snapshot();
        let _ = fx;
        let (s, _) = room.snapshot();
        d.transact_mut().apply_update(codeview_collab::yrs::updates::decoder::Decode::decode_v1(&s).unwrap()).unwrap();
        d.transact().state_vector()
    };
    let step1 = Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1();
    let (fx, first_ms) = time(|| room.receive(ConnId(2), &step1));
    let (_, again_ms) = time(|| room.receive(ConnId(2), &step1));
    println!(
        "1 MB doc: up-to-date reconnect {first_ms:.2} ms first ({} KB delete set), {again_ms:.3} ms cached",
        fx.reply[0].len() / 1024
    );
}

/// What verification (maintain/snapshot) costs on interview-sized documents.
fn verify_cost() {
    for chars in [5_000usize, 50_000] {
        let frames = typing_frames(&Doc::new(), chars);
        let mut room = LiveDoc::new(DocKind::Code);
        let _ = room.connect(ConnId(1), perms("a"));
        for f in &frames {
            let _ = room.receive(ConnId(1), f);
            if room.needs_maintenance() {
                let _ = room.maintain();
            }
        }
        let _ = room.receive(ConnId(1), &typing_frames(&Doc::new(), 1)[0]);
        let (_, ms) = time(|| room.maintain());
        println!("{chars}-char doc typed char by char: maintain() (encode + verify) {ms:.2} ms");
    }
}

fn main() {
    if std::env::args().any(|a| a == "--memory-breakdown") {
        memory_breakdown();
        return;
    }
    memory_per_room();
    receive_cost();
    verify_cost();
    big_document();
}
